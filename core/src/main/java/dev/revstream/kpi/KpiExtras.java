package dev.revstream.kpi;

import java.math.BigDecimal;

/**
 * The figures that running totals cannot give, computed by {@link KpiEngine} from its small
 * per-window books.
 *
 * @param mqlsInLookback accounts whose first MQL is in the lookback
 * @param mqlsWithSql those of them whose first SQL is before the end
 * @param customersAtStart customers at the window's start
 * @param churnedOfThose distinct customers at the start that churned in the window
 * @param customersAtLookbackStart customers at end - L
 * @param churnedInLookback of those, the ones that churned in L
 * @param lookbackDays L in days
 * @param forecast F: open deals at the start expected to close in the window, weighted (null: not defined)
 * @param retentionBase ARR at end - R of the accounts that were customers then
 * @param retentionNow their ARR at the end
 * @param retentionGross their ARR at the end, each capped at its ARR at end - R
 * @param quota the window's quota for this value ({@link Quotas}), or null
 * @param learned the window's learned forecast (monthly and quarterly windows), or null
 * @param pipeline the pipeline by stage and category and its movement (deal dimensions), or null
 */
public record KpiExtras(
        long mqlsInLookback,
        long mqlsWithSql,
        long customersAtStart,
        long churnedOfThose,
        long customersAtLookbackStart,
        long churnedInLookback,
        double lookbackDays,
        BigDecimal forecast,
        BigDecimal retentionBase,
        BigDecimal retentionNow,
        BigDecimal retentionGross,
        BigDecimal quota,
        KpiValues.LearnedForecast learned,
        KpiValues.Pipeline pipeline) {}
