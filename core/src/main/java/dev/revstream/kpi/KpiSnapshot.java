package dev.revstream.kpi;

/**
 * The KPIs of one window for one dimension value: the window, the value, and the metrics as typed
 * values ({@link KpiValues}, computed once by {@link KpiMetrics}). Written as JSON only by the
 * output topic's serializer; the warehouse reads the values as they are.
 *
 * @param values null: the window was reported before and no longer has figures for this value
 * @param revision 0 for the window's first report; a correction reports it again with a higher one
 */
public record KpiSnapshot(
        String windowSize,
        long windowStart,
        long windowEnd,
        String dimension,
        String dimensionValue,
        KpiValues values,
        long revision) {

    /** A window's first report. */
    public KpiSnapshot(
            String windowSize,
            long windowStart,
            long windowEnd,
            String dimension,
            String dimensionValue,
            KpiValues values) {
        this(windowSize, windowStart, windowEnd, dimension, dimensionValue, values, 0);
    }

    /** A window that no longer has figures for this value (a late event took its only facts away). */
    public boolean isWithdrawn() {
        return values == null;
    }

    /** The compacted topic's key: one record per (window size, start, dimension, value). */
    public String key() {
        return windowSize + "|" + windowStart + "|" + dimension + "|" + dimensionValue;
    }
}
