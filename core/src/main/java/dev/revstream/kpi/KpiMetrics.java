package dev.revstream.kpi;

import dev.revstream.attribution.AttributionModel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric formulas of docs/metrics.md over running totals: a window's figures are {@code end - start},
 * a lookback's {@code end - lookbackStart}, levels are taken at {@code end}. Money is reported to the
 * cent and ratios (and day counts) to six decimals, rounding half to even; a metric computed from
 * others uses them unrounded.
 */
public final class KpiMetrics {
    private static final MathContext MC = MathContext.DECIMAL128;
    private static final BigDecimal DAY_MILLIS = BigDecimal.valueOf(86_400_000L);

    private KpiMetrics() {}

    /**
     * @param deals whether the dimension has deal metrics (all, segment, region, ownerId, dealType)
     * @param funnel whether it has funnel metrics (all)
     * @param revenue whether it has revenue metrics (all, segment)
     */
    public static KpiValues values(
            KpiCounters start,
            KpiCounters end,
            KpiCounters lookbackStart,
            List<String> stages,
            boolean deals,
            boolean funnel,
            boolean revenue,
            KpiExtras x,
            double grossMargin) {
        return new KpiValues(
                !deals && !funnel && !revenue ? channel(start, end) : null,
                deals ? deals(start, end, lookbackStart, stages, x) : null,
                funnel ? funnel(start, end, x) : null,
                revenue ? revenue(start, end, x, grossMargin) : null);
    }

    private static KpiValues.Deals deals(
            KpiCounters s, KpiCounters e, KpiCounters l, List<String> stages, KpiExtras x) {
        long won = e.dealsWon - l.dealsWon;
        long lost = e.dealsLost - l.dealsLost;
        BigDecimal winRate =
                won + lost == 0 ? null : BigDecimal.valueOf(won).divide(BigDecimal.valueOf(won + lost), MC);
        BigDecimal avgDealSize =
                won == 0 ? null : e.wonAmount.subtract(l.wonAmount).divide(BigDecimal.valueOf(won), MC);
        long cycles = e.cycleCount - l.cycleCount;
        BigDecimal cycleDays = cycles == 0
                ? null
                : BigDecimal.valueOf(e.cycleMillis - l.cycleMillis)
                        .divide(DAY_MILLIS, MC)
                        .divide(BigDecimal.valueOf(cycles), MC);
        BigDecimal velocity = winRate == null || avgDealSize == null || cycleDays == null || cycleDays.signum() == 0
                ? null
                : BigDecimal.valueOf(e.openDeals)
                        .multiply(avgDealSize)
                        .multiply(winRate)
                        .divide(cycleDays, MC);
        List<KpiValues.Stage> byStage = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            long exits = e.exits(i) - l.exits(i);
            if (exits > 0) {
                byStage.add(new KpiValues.Stage(
                        stages.get(i),
                        ratio(BigDecimal.valueOf(e.forward(i) - l.forward(i)).divide(BigDecimal.valueOf(exits), MC)),
                        ratio(BigDecimal.valueOf(e.millis(i) - l.millis(i))
                                .divide(DAY_MILLIS, MC)
                                .divide(BigDecimal.valueOf(exits), MC))));
            }
        }
        BigDecimal wonInWindow = e.wonAmount.subtract(s.wonAmount);
        BigDecimal accuracy = null;
        // a forecast below zero (a book from before deals kept their weights) has no accuracy
        if (x.forecast() != null && wonInWindow.max(x.forecast()).signum() > 0) {
            accuracy = BigDecimal.ONE.subtract(
                    wonInWindow.subtract(x.forecast()).abs().divide(wonInWindow.max(x.forecast()), MC));
        }
        return new KpiValues.Deals(
                e.dealsCreated - s.dealsCreated,
                e.dealsAdopted - s.dealsAdopted,
                money(e.pipelineCreated.subtract(s.pipelineCreated)),
                e.dealsWon - s.dealsWon,
                e.dealsLost - s.dealsLost,
                money(wonInWindow),
                e.openDeals,
                money(e.openAmount),
                money(e.weightedAmount),
                ratio(winRate),
                money(avgDealSize),
                ratio(cycleDays),
                money(velocity),
                byStage.toArray(KpiValues.Stage[]::new),
                ratio(accuracy),
                money(x.quota()),
                x.quota() == null || x.quota().signum() == 0 ? null : ratio(wonInWindow.divide(x.quota(), MC)),
                x.learned(),
                x.pipeline());
    }

    private static KpiValues.Funnel funnel(KpiCounters s, KpiCounters e, KpiExtras x) {
        long newCustomers = e.newCustomers - s.newCustomers;
        BigDecimal spend = e.spend.subtract(s.spend);
        return new KpiValues.Funnel(
                e.newLeads - s.newLeads,
                e.newMqls - s.newMqls,
                e.newSqls - s.newSqls,
                e.newOpportunities - s.newOpportunities,
                newCustomers,
                ratio(
                        x.mqlsInLookback() == 0
                                ? null
                                : BigDecimal.valueOf(x.mqlsWithSql())
                                        .divide(BigDecimal.valueOf(x.mqlsInLookback()), MC)),
                money(spend),
                money(newCustomers == 0 ? null : spend.divide(BigDecimal.valueOf(newCustomers), MC)));
    }

    private static KpiValues.Revenue revenue(KpiCounters s, KpiCounters e, KpiExtras x, double grossMargin) {
        BigDecimal newArr = e.newArr.subtract(s.newArr);
        BigDecimal expansion = e.expansionArr.subtract(s.expansionArr);
        BigDecimal contraction = e.contractionArr.subtract(s.contractionArr);
        BigDecimal churned = e.churnedArr.subtract(s.churnedArr);
        boolean base = x.retentionBase() != null && x.retentionBase().signum() != 0;
        BigDecimal clv = null;
        if (e.customers != 0 && x.customersAtLookbackStart() != 0 && x.churnedInLookback() != 0) {
            BigDecimal annualChurn = BigDecimal.valueOf(x.churnedInLookback())
                    .divide(BigDecimal.valueOf(x.customersAtLookbackStart()), MC)
                    .multiply(BigDecimal.valueOf(365))
                    .divide(BigDecimal.valueOf(x.lookbackDays()), MC);
            clv = e.arr.divide(BigDecimal.valueOf(e.customers), MC)
                    .multiply(BigDecimal.valueOf(grossMargin))
                    .divide(annualChurn, MC);
        }
        return new KpiValues.Revenue(
                money(e.arr),
                e.customers,
                money(newArr),
                money(expansion),
                money(contraction),
                money(churned),
                money(newArr.add(expansion).subtract(contraction).subtract(churned)),
                ratio(
                        x.customersAtStart() == 0
                                ? null
                                : BigDecimal.valueOf(x.churnedOfThose())
                                        .divide(BigDecimal.valueOf(x.customersAtStart()), MC)),
                ratio(base ? x.retentionNow().divide(x.retentionBase(), MC) : null),
                ratio(base ? x.retentionGross().divide(x.retentionBase(), MC) : null),
                money(clv));
    }

    /** Attribution by channel: credits of deals won in the window per model, spend, and ROI (W-shaped over spend). */
    private static KpiValues.Channel channel(KpiCounters s, KpiCounters e) {
        AttributionModel[] models = AttributionModel.values();
        KpiValues.Credit[] credits = new KpiValues.Credit[models.length];
        BigDecimal wShaped = BigDecimal.ZERO;
        for (AttributionModel m : models) {
            BigDecimal revenue = BigDecimal.valueOf(e.attributed(m.ordinal()) - s.attributed(m.ordinal()), 2);
            credits[m.ordinal()] = new KpiValues.Credit(m, money(revenue));
            if (m == AttributionModel.W_SHAPED) {
                wShaped = revenue;
            }
        }
        BigDecimal spend = e.spend.subtract(s.spend).setScale(2, RoundingMode.HALF_EVEN);
        return new KpiValues.Channel(credits, spend, ratio(spend.signum() == 0 ? null : wShaped.divide(spend, MC)));
    }

    /** Money to the cent, or null. */
    static BigDecimal money(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** A ratio or day count to six decimals, or null. */
    static BigDecimal ratio(BigDecimal v) {
        return v == null ? null : v.setScale(6, RoundingMode.HALF_EVEN);
    }
}
