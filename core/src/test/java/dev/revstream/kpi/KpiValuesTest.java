package dev.revstream.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formulas on running totals, and the metric names and order the JSON and the warehouse are written in. */
class KpiValuesTest {
    private static final List<String> STAGES = List.of("QUALIFICATION", "PROPOSAL");

    private static KpiExtras extras(BigDecimal forecast) {
        return new KpiExtras(0, 0, 0, 0, 0, 0, 90, forecast, null, null, null, null, null, null);
    }

    private static List<String> names(KpiValues v) {
        List<String> out = new ArrayList<>();
        v.visit(new KpiValues.Visitor<RuntimeException>() {
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

    @Test
    void derivedMetricsUseTheirInputsUnrounded() {
        KpiCounters start = KpiCounters.zero(2);
        KpiCounters end = KpiCounters.zero(2);
        end.dealsWon = 2;
        end.dealsLost = 1;
        end.wonAmount = new BigDecimal("1000");
        end.cycleCount = 2;
        end.cycleMillis = 3 * 86_400_000L;
        end.openDeals = 3;
        end.stageExits[1] = 3;
        end.stageForward[1] = 2;
        end.stageMillis[1] = 86_400_000L;
        KpiValues.Deals d = KpiMetrics.values(start, end, start, STAGES, true, false, false, extras(null), 1.0)
                .deals();
        assertThat(d.winRate()).isEqualTo("0.666667");
        assertThat(d.avgDealSize()).isEqualTo("500.00");
        assertThat(d.avgSalesCycleDays()).isEqualTo("1.500000");
        // open deals x average size x win rate / cycle days: 3 x 500 x 2/3 / 1.5
        assertThat(d.pipelineVelocityPerDay()).isEqualTo("666.67");
        assertThat(d.stages()).hasSize(1);
        assertThat(d.stages()[0])
                .isEqualTo(new KpiValues.Stage("PROPOSAL", new BigDecimal("0.666667"), new BigDecimal("0.333333")));
        assertThat(d.forecastAccuracy()).as("no forecast (hourly windows)").isNull();
    }

    @Test
    void theMetricsComeInTheTopicsOrder() {
        KpiCounters zero = KpiCounters.zero(2);
        KpiCounters end = KpiCounters.zero(2);
        end.stageExits[0] = 1;
        KpiValues all = KpiMetrics.values(zero, end, zero, STAGES, true, true, true, extras(BigDecimal.ZERO), 1.0);
        assertThat(names(all))
                .containsExactly(
                        "dealsCreated=0",
                        "dealsAdopted=0",
                        "pipelineCreatedAmount=0.00",
                        "dealsWon=0",
                        "dealsLost=0",
                        "wonAmount=0.00",
                        "openDeals=0",
                        "openPipelineAmount=0.00",
                        "weightedPipelineAmount=0.00",
                        "winRate=null",
                        "avgDealSize=null",
                        "avgSalesCycleDays=null",
                        "pipelineVelocityPerDay=null",
                        "stageConversion.QUALIFICATION=0.000000",
                        "avgDaysInStage.QUALIFICATION=0.000000",
                        "forecastAccuracy=null",
                        "quota=null",
                        "attainment=null",
                        "newLeads=0",
                        "newMqls=0",
                        "newSqls=0",
                        "newOpportunities=0",
                        "newCustomers=0",
                        "mqlToSqlRate=null",
                        "arr=0.00",
                        "customers=0",
                        "newArr=0.00",
                        "expansionArr=0.00",
                        "contractionArr=0.00",
                        "churnedArr=0.00",
                        "netNewArr=0.00",
                        "logoChurnRate=null",
                        "netRevenueRetention=null",
                        "grossRevenueRetention=null",
                        "clv=null",
                        "spend=0.00",
                        "cac=null");
        end.spend = new BigDecimal("200");
        end.attributedCents = new long[] {100, 0, 0, 0, 50_000};
        KpiValues channel = KpiMetrics.values(zero, end, zero, STAGES, false, false, false, extras(null), 1.0);
        assertThat(names(channel))
                .containsExactly(
                        "attributedRevenue.FIRST_TOUCH=1.00",
                        "attributedRevenue.LAST_TOUCH=0.00",
                        "attributedRevenue.LINEAR=0.00",
                        "attributedRevenue.U_SHAPED=0.00",
                        "attributedRevenue.W_SHAPED=500.00",
                        "attributedRevenue.FULL_PATH=0.00",
                        "attributedRevenue.TIME_DECAY=0.00",
                        "spend=200.00",
                        "roi=2.500000");
    }
}
