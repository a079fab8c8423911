package dev.revstream.kpi;

/** Where {@link KpiEngine} reports: snapshots out, and the instants it must be woken at (event-time timers in the job). */
public interface KpiOutput {
    void snapshot(KpiSnapshot snapshot);

    /** A window's learned forecast, made as it begins. */
    default void forecast(ForecastRecord forecast) {}

    /** Asks for {@link KpiEngine#fire} at {@code t}; asking twice for the same instant wakes it once. */
    void wakeUpAt(long t);
}
