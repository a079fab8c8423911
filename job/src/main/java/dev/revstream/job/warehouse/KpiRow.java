package dev.revstream.job.warehouse;

import java.math.BigDecimal;

/** One metric of one KPI snapshot: the warehouse's long format. {@code value} is null where the metric is undefined. */
public record KpiRow(
        String windowSize,
        long windowStart,
        long windowEnd,
        String dimension,
        String dimensionValue,
        String metric,
        BigDecimal value,
        long revision) {}
