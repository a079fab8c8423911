package dev.revstream.kpi;

import dev.revstream.forecast.Forecast;
import java.math.BigDecimal;
import java.util.List;

/**
 * The learned forecast of one monthly or quarterly window for one dimension value, made at the window's
 * start ({@link LearnedForecasts}): what it will close at, the interval, the parts, the fixed-weight
 * forecast and the quota beside it, and the open deals' parts, the largest {@link #MAX_DEALS} first.
 * Written to {@code revops.forecasts} (compacted by {@link #key}) as the window begins, so that the
 * period's forecast is there while it runs; the window's KPI snapshot repeats the figures at its end.
 *
 * @param openDeals how many deals were open (the list may hold fewer)
 * @param quota the window's quota for this value, or null
 */
public record ForecastRecord(
        String windowSize,
        long windowStart,
        long windowEnd,
        String dimension,
        String dimensionValue,
        BigDecimal expected,
        BigDecimal low,
        BigDecimal high,
        BigDecimal fromOpen,
        BigDecimal fromNew,
        BigDecimal fixedWeights,
        BigDecimal quota,
        long openDeals,
        List<Forecast.Contribution> deals) {

    /** The deals listed at most: the largest parts, which are what a sales leader inspects. */
    public static final int MAX_DEALS = 25;

    /** The compacted topic's key: one record per (window size, start, dimension, value), as the KPI topic's. */
    public String key() {
        return windowSize + "|" + windowStart + "|" + dimension + "|" + dimensionValue;
    }
}
