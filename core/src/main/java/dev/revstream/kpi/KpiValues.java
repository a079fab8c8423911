package dev.revstream.kpi;

import dev.revstream.attribution.AttributionModel;
import java.math.BigDecimal;

/**
 * The KPIs of one window for one dimension value, as computed by {@link KpiMetrics}: counts as
 * longs, money rounded to the cent (scale 2), ratios and day counts to six decimals (scale 6),
 * rounding half to even; null where a metric is undefined (a ratio without a denominator). A group
 * is null where the dimension does not have it: deals for all, segment, region, ownerId and
 * dealType; funnel for all; revenue for all and segment; channel (attribution) for channel only.
 *
 * <p>The metric names and their order (docs/metrics.md) are given by {@link #visit}: the output topic's
 * JSON and the warehouse's rows are both written from it. Records of records, longs, BigDecimals
 * and arrays only: Flink serializes them as POJOs (no Kryo).
 */
public record KpiValues(Channel channel, Deals deals, Funnel funnel, Revenue revenue) {

    /** Deal metrics: window figures, levels at the end, lookback ratios, and the forecast's accuracy. */
    public record Deals(
            long dealsCreated,
            long dealsAdopted,
            BigDecimal pipelineCreatedAmount,
            long dealsWon,
            long dealsLost,
            BigDecimal wonAmount,
            long openDeals,
            BigDecimal openPipelineAmount,
            BigDecimal weightedPipelineAmount,
            BigDecimal winRate,
            BigDecimal avgDealSize,
            BigDecimal avgSalesCycleDays,
            BigDecimal pipelineVelocityPerDay,
            Stage[] stages,
            BigDecimal forecastAccuracy,
            BigDecimal quota,
            BigDecimal attainment,
            LearnedForecast forecast,
            Pipeline pipeline) {}

    /**
     * The learned forecast of a monthly or quarterly window, made at its start (docs/forecast.md):
     * the expected won amount, its 80 % interval, and its two parts (open deals, deals not yet created);
     * each null before the value had a deal. Null for other window sizes.
     */
    public record LearnedForecast(
            BigDecimal expected, BigDecimal low, BigDecimal high, BigDecimal fromOpen, BigDecimal fromNew) {}

    /**
     * The open pipeline at the window's end by stage (every configured stage) and by forecast category
     * (every category; {@code closed}: the deals won in the window), and the window's pipeline movement
     * ({@link PipelineMovement}: its flows between the open deals with a close date in the window at its
     * start and at its end; null for hourly windows).
     */
    public record Pipeline(Level[] byStage, Level[] byCategory, Level[] movement) {}

    /** A number of deals and their amount, named. */
    public record Level(String name, long deals, BigDecimal amount) {}

    /** A stage with exits in the lookback, in the configured order (stages without exits are left out). */
    public record Stage(String stage, BigDecimal conversion, BigDecimal avgDaysInStage) {}

    /** Funnel metrics (all only): first leads, MQLs, ... in the window, MQL-to-SQL over the lookback, spend and CAC. */
    public record Funnel(
            long newLeads,
            long newMqls,
            long newSqls,
            long newOpportunities,
            long newCustomers,
            BigDecimal mqlToSqlRate,
            BigDecimal spend,
            BigDecimal cac) {}

    /** Revenue metrics (all, segment): ARR and customers at the end, ARR flows in the window, churn, retention, CLV. */
    public record Revenue(
            BigDecimal arr,
            long customers,
            BigDecimal newArr,
            BigDecimal expansionArr,
            BigDecimal contractionArr,
            BigDecimal churnedArr,
            BigDecimal netNewArr,
            BigDecimal logoChurnRate,
            BigDecimal netRevenueRetention,
            BigDecimal grossRevenueRetention,
            BigDecimal clv) {}

    /** A channel's attribution: credits of deals won in the window per model (every model, in order), spend, ROI. */
    public record Channel(Credit[] attributedRevenue, BigDecimal spend, BigDecimal roi) {}

    /** One model's credit to a channel. */
    public record Credit(AttributionModel model, BigDecimal revenue) {}

    /** Receives the metrics by name, in order. */
    /** Every metric as name=value in {@link #visit}'s order: two values with the same figures are equal. */
    public java.util.List<String> figures() {
        java.util.List<String> out = new java.util.ArrayList<>();
        visit(new Visitor<RuntimeException>() {
            @Override
            public void count(String name, long value) {
                out.add(name + "=" + value);
            }

            @Override
            public void money(String name, BigDecimal value) {
                out.add(name + "=" + value);
            }

            @Override
            public void ratio(String name, BigDecimal value) {
                out.add(name + "=" + value);
            }
        });
        return out;
    }

    private static <E extends Exception> void levels(Visitor<E> v, String prefix, Level[] levels) throws E {
        for (Level l : levels) {
            v.count(prefix + l.name() + ".deals", l.deals());
            v.money(prefix + l.name() + ".amount", l.amount());
        }
    }

    public interface Visitor<E extends Exception> {
        void count(String name, long value) throws E;

        /** Money (scale 2), or null. */
        void money(String name, BigDecimal value) throws E;

        /** A ratio or a day count (scale 6), or null. */
        void ratio(String name, BigDecimal value) throws E;
    }

    /**
     * Hands every metric to {@code v} in the order of the output topic's JSON: a channel's
     * attribution; the deal metrics (per stage {@code stageConversion.<stage>} and
     * {@code avgDaysInStage.<stage>}; then {@code pipelineByStage.<stage>.deals|amount},
     * {@code forecastCategory.<category>.deals|amount}, {@code pipelineMovement.<flow>.deals|amount}); the funnel counts; the revenue metrics; spend and CAC.
     */
    public <E extends Exception> void visit(Visitor<E> v) throws E {
        if (channel != null) {
            for (Credit c : channel.attributedRevenue()) {
                v.money("attributedRevenue." + c.model().name(), c.revenue());
            }
            v.money("spend", channel.spend());
            v.ratio("roi", channel.roi());
        }
        if (deals != null) {
            Deals d = deals;
            v.count("dealsCreated", d.dealsCreated());
            v.count("dealsAdopted", d.dealsAdopted());
            v.money("pipelineCreatedAmount", d.pipelineCreatedAmount());
            v.count("dealsWon", d.dealsWon());
            v.count("dealsLost", d.dealsLost());
            v.money("wonAmount", d.wonAmount());
            v.count("openDeals", d.openDeals());
            v.money("openPipelineAmount", d.openPipelineAmount());
            v.money("weightedPipelineAmount", d.weightedPipelineAmount());
            v.ratio("winRate", d.winRate());
            v.money("avgDealSize", d.avgDealSize());
            v.ratio("avgSalesCycleDays", d.avgSalesCycleDays());
            v.money("pipelineVelocityPerDay", d.pipelineVelocityPerDay());
            for (Stage s : d.stages()) {
                v.ratio("stageConversion." + s.stage(), s.conversion());
                v.ratio("avgDaysInStage." + s.stage(), s.avgDaysInStage());
            }
            v.ratio("forecastAccuracy", d.forecastAccuracy());
            v.money("quota", d.quota());
            v.ratio("attainment", d.attainment());
            if (d.forecast() != null) {
                v.money("forecast.expected", d.forecast().expected());
                v.money("forecast.low", d.forecast().low());
                v.money("forecast.high", d.forecast().high());
                v.money("forecast.fromOpen", d.forecast().fromOpen());
                v.money("forecast.fromNew", d.forecast().fromNew());
            }
            if (d.pipeline() != null) {
                levels(v, "pipelineByStage.", d.pipeline().byStage());
                levels(v, "forecastCategory.", d.pipeline().byCategory());
                if (d.pipeline().movement() != null) {
                    levels(v, "pipelineMovement.", d.pipeline().movement());
                }
            }
        }
        if (funnel != null) {
            Funnel f = funnel;
            v.count("newLeads", f.newLeads());
            v.count("newMqls", f.newMqls());
            v.count("newSqls", f.newSqls());
            v.count("newOpportunities", f.newOpportunities());
            v.count("newCustomers", f.newCustomers());
            v.ratio("mqlToSqlRate", f.mqlToSqlRate());
        }
        if (revenue != null) {
            Revenue r = revenue;
            v.money("arr", r.arr());
            v.count("customers", r.customers());
            v.money("newArr", r.newArr());
            v.money("expansionArr", r.expansionArr());
            v.money("contractionArr", r.contractionArr());
            v.money("churnedArr", r.churnedArr());
            v.money("netNewArr", r.netNewArr());
            v.ratio("logoChurnRate", r.logoChurnRate());
            v.ratio("netRevenueRetention", r.netRevenueRetention());
            v.ratio("grossRevenueRetention", r.grossRevenueRetention());
            v.money("clv", r.clv());
        }
        if (funnel != null) {
            v.money("spend", funnel.spend());
            v.money("cac", funnel.cac());
        }
    }
}
