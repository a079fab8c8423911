package dev.revstream.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.revstream.attribution.AttributionModel;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * The metric formulas of METRICS.md over running totals: a window's figures are {@code end - start},
 * a lookback's {@code end - lookbackStart}, levels are taken at {@code end}. Money is reported to the
 * cent and ratios (and day counts) to six decimals, rounding half to even.
 */
public final class KpiMetrics {
    private static final JsonFactory JSON = new JsonFactory();
    private static final MathContext MC = MathContext.DECIMAL128;
    private static final BigDecimal DAY_MILLIS = BigDecimal.valueOf(86_400_000L);

    private KpiMetrics() {}

    /**
     * @param deals whether the dimension has deal metrics (all, segment, region, ownerId, dealType)
     * @param funnel whether it has funnel metrics (all)
     * @param revenue whether it has revenue metrics (all, segment)
     */
    public static String json(
            KpiCounters start,
            KpiCounters end,
            KpiCounters lookbackStart,
            List<String> stages,
            boolean deals,
            boolean funnel,
            boolean revenue,
            KpiExtras x,
            double grossMargin) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            if (!deals && !funnel && !revenue) {
                channel(g, start, end);
            }
            if (deals) {
                deals(g, start, end, lookbackStart, stages);
                BigDecimal won = end.wonAmount.subtract(start.wonAmount);
                BigDecimal accuracy = null;
                if (x.forecast() != null && !(won.signum() == 0 && x.forecast().signum() == 0)) {
                    accuracy = BigDecimal.ONE.subtract(
                            won.subtract(x.forecast()).abs().divide(won.max(x.forecast()), MC));
                }
                ratio(g, "forecastAccuracy", accuracy);
            }
            if (funnel) {
                g.writeNumberField("newLeads", end.newLeads - start.newLeads);
                g.writeNumberField("newMqls", end.newMqls - start.newMqls);
                g.writeNumberField("newSqls", end.newSqls - start.newSqls);
                g.writeNumberField("newOpportunities", end.newOpportunities - start.newOpportunities);
                g.writeNumberField("newCustomers", end.newCustomers - start.newCustomers);
                ratio(
                        g,
                        "mqlToSqlRate",
                        x.mqlsInLookback() == 0
                                ? null
                                : BigDecimal.valueOf(x.mqlsWithSql())
                                        .divide(BigDecimal.valueOf(x.mqlsInLookback()), MC));
            }
            if (revenue) {
                money(g, "arr", end.arr);
                g.writeNumberField("customers", end.customers);
                BigDecimal newArr = end.newArr.subtract(start.newArr);
                BigDecimal expansion = end.expansionArr.subtract(start.expansionArr);
                BigDecimal contraction = end.contractionArr.subtract(start.contractionArr);
                BigDecimal churned = end.churnedArr.subtract(start.churnedArr);
                money(g, "newArr", newArr);
                money(g, "expansionArr", expansion);
                money(g, "contractionArr", contraction);
                money(g, "churnedArr", churned);
                money(
                        g,
                        "netNewArr",
                        newArr.add(expansion).subtract(contraction).subtract(churned));
                ratio(
                        g,
                        "logoChurnRate",
                        x.customersAtStart() == 0
                                ? null
                                : BigDecimal.valueOf(x.churnedOfThose())
                                        .divide(BigDecimal.valueOf(x.customersAtStart()), MC));
                boolean base = x.retentionBase() != null && x.retentionBase().signum() != 0;
                ratio(g, "netRevenueRetention", base ? x.retentionNow().divide(x.retentionBase(), MC) : null);
                ratio(g, "grossRevenueRetention", base ? x.retentionGross().divide(x.retentionBase(), MC) : null);
                BigDecimal clv = null;
                if (end.customers != 0 && x.customersAtLookbackStart() != 0 && x.churnedInLookback() != 0) {
                    BigDecimal annualChurn = BigDecimal.valueOf(x.churnedInLookback())
                            .divide(BigDecimal.valueOf(x.customersAtLookbackStart()), MC)
                            .multiply(BigDecimal.valueOf(365))
                            .divide(BigDecimal.valueOf(x.lookbackDays()), MC);
                    clv = end.arr
                            .divide(BigDecimal.valueOf(end.customers), MC)
                            .multiply(BigDecimal.valueOf(grossMargin))
                            .divide(annualChurn, MC);
                }
                money(g, "clv", clv);
            }
            if (funnel) {
                long newCustomers = end.newCustomers - start.newCustomers;
                BigDecimal spend = end.spend.subtract(start.spend);
                money(g, "spend", spend);
                money(g, "cac", newCustomers == 0 ? null : spend.divide(BigDecimal.valueOf(newCustomers), MC));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void deals(JsonGenerator g, KpiCounters s, KpiCounters e, KpiCounters l, List<String> stages)
            throws IOException {
        g.writeNumberField("dealsCreated", e.dealsCreated - s.dealsCreated);
        g.writeNumberField("dealsAdopted", e.dealsAdopted - s.dealsAdopted);
        money(g, "pipelineCreatedAmount", e.pipelineCreated.subtract(s.pipelineCreated));
        g.writeNumberField("dealsWon", e.dealsWon - s.dealsWon);
        g.writeNumberField("dealsLost", e.dealsLost - s.dealsLost);
        money(g, "wonAmount", e.wonAmount.subtract(s.wonAmount));
        g.writeNumberField("openDeals", e.openDeals);
        money(g, "openPipelineAmount", e.openAmount);
        money(g, "weightedPipelineAmount", e.weightedAmount);

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
        ratio(g, "winRate", winRate);
        money(g, "avgDealSize", avgDealSize);
        ratio(g, "avgSalesCycleDays", cycleDays);
        BigDecimal velocity = winRate == null || avgDealSize == null || cycleDays == null || cycleDays.signum() == 0
                ? null
                : BigDecimal.valueOf(e.openDeals)
                        .multiply(avgDealSize)
                        .multiply(winRate)
                        .divide(cycleDays, MC);
        money(g, "pipelineVelocityPerDay", velocity);
        for (int i = 0; i < stages.size(); i++) {
            long exits = e.exits(i) - l.exits(i);
            if (exits > 0) {
                ratio(
                        g,
                        "stageConversion." + stages.get(i),
                        BigDecimal.valueOf(e.forward(i) - l.forward(i)).divide(BigDecimal.valueOf(exits), MC));
                ratio(
                        g,
                        "avgDaysInStage." + stages.get(i),
                        BigDecimal.valueOf(e.millis(i) - l.millis(i))
                                .divide(DAY_MILLIS, MC)
                                .divide(BigDecimal.valueOf(exits), MC));
            }
        }
    }

    /** Attribution by channel: credits of deals won in the window per model, spend, and ROI (W-shaped over spend). */
    private static void channel(JsonGenerator g, KpiCounters s, KpiCounters e) throws IOException {
        BigDecimal wShaped = BigDecimal.ZERO;
        for (AttributionModel m : AttributionModel.values()) {
            BigDecimal revenue = BigDecimal.valueOf(e.attributed(m.ordinal()) - s.attributed(m.ordinal()), 2);
            money(g, "attributedRevenue." + m.name(), revenue);
            if (m == AttributionModel.W_SHAPED) {
                wShaped = revenue;
            }
        }
        BigDecimal spend = e.spend.subtract(s.spend).setScale(2, RoundingMode.HALF_EVEN);
        money(g, "spend", spend);
        ratio(g, "roi", spend.signum() == 0 ? null : wShaped.divide(spend, MC));
    }

    private static void money(JsonGenerator g, String name, BigDecimal v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeFieldName(name);
            g.writeNumber(v.setScale(2, RoundingMode.HALF_EVEN).toPlainString());
        }
    }

    private static void ratio(JsonGenerator g, String name, BigDecimal v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeFieldName(name);
            g.writeNumber(v.setScale(6, RoundingMode.HALF_EVEN).toPlainString());
        }
    }
}
