package dev.revstream.kpi;

/**
 * The KPIs of one window for one dimension value. The metrics are a JSON object, built once by
 * {@link KpiMetrics} (metric names as in METRICS.md; nulls where a metric is undefined).
 */
public record KpiSnapshot(
        String windowSize,
        long windowStart,
        long windowEnd,
        String dimension,
        String dimensionValue,
        String metricsJson) {

    /** The compacted topic's key: one record per (window size, start, dimension, value). */
    public String key() {
        return windowSize + "|" + windowStart + "|" + dimension + "|" + dimensionValue;
    }
}
