package dev.revstream.kpi;

/**
 * The KPIs of one window for one dimension value: the window, the value, and the metrics as typed
 * values ({@link KpiValues}, computed once by {@link KpiMetrics}). Written as JSON only by the
 * output topic's serializer; the warehouse reads the values as they are.
 */
public record KpiSnapshot(
        String windowSize,
        long windowStart,
        long windowEnd,
        String dimension,
        String dimensionValue,
        KpiValues values) {

    /** The compacted topic's key: one record per (window size, start, dimension, value). */
    public String key() {
        return windowSize + "|" + windowStart + "|" + dimension + "|" + dimensionValue;
    }
}
