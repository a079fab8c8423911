package dev.revstream.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The KPI rules over an in-memory store, no Flink: windows, marks, lookbacks, books, nulls. */
class KpiEngineTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final List<String> STAGES = List.of("QUALIFICATION", "PROPOSAL", "NEGOTIATION");

    private static KpiSettings settings(long lookbackDays, Long asOf) {
        return new KpiSettings(
                List.of(new KpiWindow("1d", ZoneOffset.UTC, 1)), STAGES, lookbackDays * DAY, 2 * DAY, 0.8, asOf, null);
    }

    private static KpiFact fact(FactKind kind, long at, long count, String amount, long millis, String stage) {
        return fact(kind, at, count, amount, null, millis, stage, false, "acct-1", "deal-1", null, -1);
    }

    private static KpiFact fact(
            FactKind kind,
            long at,
            long count,
            String amount,
            String weighted,
            long millis,
            String stage,
            boolean forward,
            String account,
            String deal,
            String expectedClose,
            long since) {
        return new KpiFact(
                kind,
                at,
                null,
                null,
                "smb",
                "emea",
                "rep-1",
                "new_business",
                stage,
                "paid_search",
                count,
                amount == null ? null : new BigDecimal(amount),
                weighted == null ? null : new BigDecimal(weighted),
                millis,
                forward,
                account,
                deal,
                expectedClose,
                since);
    }

    private static List<String> starts(List<KpiSnapshot> snapshots) {
        List<String> out = new ArrayList<>();
        for (KpiSnapshot s : snapshots) {
            out.add(Instant.ofEpochMilli(s.windowStart()).toString());
        }
        return out;
    }

    @Test
    void aWindowsFiguresAreDifferencesOfMarksAndItsRatiosLookBack() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(3, null), "all=all");
        all.add(fact(FactKind.DEAL_LOST, T0 + HOUR, 1, null, 0, null));
        all.add(fact(FactKind.STAGE_EXIT, T0 + 2 * DAY, 1, null, DAY, "QUALIFICATION"));
        all.add(fact(FactKind.STAGE_EXIT, T0 + 2 * DAY + HOUR, 1, null, 3 * DAY, "PROPOSAL"));
        all.add(fact(FactKind.DEAL_WON, T0 + 2 * DAY + HOUR, 1, "1200", 2 * DAY, null));
        all.add(fact(FactKind.DEAL_WON, T0 + 3 * DAY, 1, "300.005", DAY, null));
        all.advanceTo(T0 + 5 * DAY);

        assertThat(starts(all.snapshots))
                .containsExactly(
                        "2026-01-05T00:00:00Z",
                        "2026-01-06T00:00:00Z",
                        "2026-01-07T00:00:00Z",
                        "2026-01-08T00:00:00Z",
                        "2026-01-09T00:00:00Z");
        KpiValues.Deals d2 = all.snapshots.get(2).values().deals();
        assertThat(d2.dealsWon()).isEqualTo(1);
        assertThat(d2.dealsLost())
                .as("the loss is on day 0: not in this window")
                .isZero();
        assertThat(d2.wonAmount()).isEqualTo("1200.00");
        // the lookback [end - 3 d, end) still holds day 0's loss
        assertThat(d2.winRate()).isEqualTo("0.500000");
        assertThat(d2.avgDealSize()).isEqualTo("1200.00");
        assertThat(d2.avgSalesCycleDays()).isEqualTo("2.000000");
        assertThat(d2.stages())
                .extracting(KpiValues.Stage::stage)
                .as("stages without exits are left out")
                .containsExactly("QUALIFICATION", "PROPOSAL");
        assertThat(d2.stages()[0].conversion()).isEqualTo("0.000000");
        assertThat(d2.stages()[1].avgDaysInStage()).isEqualTo("3.000000");

        KpiValues.Deals d3 = all.snapshots.get(3).values().deals();
        assertThat(d3.wonAmount()).as("money to the cent, half to even").isEqualTo("300.00");
        // [day 1, day 4): two wins, no loss; the average over both wins
        assertThat(d3.winRate()).isEqualTo("1.000000");
        assertThat(d3.avgDealSize()).isEqualTo("750.00");
        assertThat(d3.avgSalesCycleDays()).isEqualTo("1.500000");
        assertThat(all.snapshots.get(4).values().deals().dealsWon()).isZero();
        assertThat(all.snapshots.get(4).values().deals().winRate()).isEqualTo("1.000000");
    }

    @Test
    void anEmptyWindowReportsZerosForAllAndNothingForOtherValues() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(1, null), "all=all");
        MemoryKpiStore smb = new MemoryKpiStore(settings(1, null), "segment=smb");
        for (MemoryKpiStore s : List.of(all, smb)) {
            s.add(fact(FactKind.DEAL_CREATED, T0 + HOUR, 1, "100", 0, null));
            s.add(fact(FactKind.DEAL_CREATED, T0 + 2 * DAY + HOUR, 1, "50", 0, null));
            s.advanceTo(T0 + 3 * DAY);
        }
        assertThat(starts(all.snapshots))
                .containsExactly("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z");
        KpiValues quiet = all.snapshots.get(1).values();
        assertThat(quiet.deals().dealsCreated()).isZero();
        assertThat(quiet.deals().pipelineCreatedAmount()).isEqualTo("0.00");
        assertThat(quiet.funnel().newLeads()).isZero();
        assertThat(quiet.revenue().arr()).isEqualTo("0.00");
        assertThat(quiet.channel()).as("attribution is a channel's only").isNull();
        assertThat(starts(smb.snapshots))
                .as("a segment reports only windows with a fact in them or an open deal at their end")
                .containsExactly("2026-01-05T00:00:00Z", "2026-01-07T00:00:00Z");
        assertThat(smb.snapshots.get(0).values().funnel())
                .as("funnel metrics are for all only")
                .isNull();
        assertThat(smb.snapshots.get(0).values().revenue()).isNotNull();
    }

    @Test
    void aRatioWithoutADenominatorIsNull() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(1, null), "all=all");
        all.add(fact(FactKind.DEAL_CREATED, T0 + HOUR, 1, "100", 0, null));
        all.advanceTo(T0 + DAY);
        KpiValues v = all.snapshots.get(0).values();
        assertThat(v.deals().winRate()).isNull();
        assertThat(v.deals().avgDealSize()).isNull();
        assertThat(v.deals().avgSalesCycleDays()).isNull();
        assertThat(v.deals().pipelineVelocityPerDay()).isNull();
        assertThat(v.deals().stages()).isEmpty();
        assertThat(v.deals().forecastAccuracy())
                .as("nothing forecast and nothing won")
                .isNull();
        assertThat(v.funnel().mqlToSqlRate()).isNull();
        assertThat(v.funnel().cac()).isNull();
        assertThat(v.funnel().spend()).isEqualTo("0.00");
        assertThat(v.revenue().logoChurnRate()).isNull();
        assertThat(v.revenue().netRevenueRetention()).isNull();
        assertThat(v.revenue().grossRevenueRetention()).isNull();
        assertThat(v.revenue().clv()).isNull();

        MemoryKpiStore channel = new MemoryKpiStore(settings(1, null), "channel=paid_search");
        channel.add(fact(FactKind.ATTRIBUTED, T0 + HOUR, 12_345, null, 0, "W_SHAPED"));
        channel.advanceTo(T0 + DAY);
        KpiValues.Channel c = channel.snapshots.get(0).values().channel();
        assertThat(c.attributedRevenue()).hasSize(7);
        assertThat(c.attributedRevenue()[4].revenue()).isEqualTo("123.45");
        assertThat(c.spend()).isEqualTo("0.00");
        assertThat(c.roi()).as("no spend").isNull();
        assertThat(channel.snapshots.get(0).values().deals()).isNull();
    }

    @Test
    void theBooksGiveForecastFunnelChurnAndRetention() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(2, null), "all=all");
        // a deal open on day 0, expected to close on day 1 and won then: F of day 1 is its weighted amount
        all.add(fact(FactKind.OPEN, T0 + HOUR, 1, "1000", "400", 0, null, false, "a", "d1", "2026-01-06", -1));
        // MQL on day 0, its SQL on day 1: counted by the MQL's time
        all.add(fact(FactKind.FIRST_MQL, T0 + 2 * HOUR, 1, null, null, 0, null, false, "a", null, null, -1));
        all.add(fact(FactKind.FIRST_MQL, T0 + 3 * HOUR, 1, null, null, 0, null, false, "b", null, null, -1));
        all.add(fact(FactKind.FIRST_MQL, T0 + 4 * HOUR, 1, null, null, 0, null, false, "c", null, null, -1));
        // two customers with ARR from day 0
        all.add(fact(FactKind.ARR_LEVEL, T0 + 5 * HOUR, 2, "3000", 0, null));
        all.add(fact(FactKind.ARR_ACCOUNT, T0 + 5 * HOUR, 1, "1000", null, 0, null, false, "a", null, null, -1));
        all.add(fact(FactKind.ARR_ACCOUNT, T0 + 5 * HOUR, 1, "2000", null, 0, null, false, "b", null, null, -1));
        all.add(fact(
                FactKind.FIRST_SQL, T0 + DAY + HOUR, 1, null, null, 0, null, false, "a", null, null, T0 + 2 * HOUR));
        all.add(fact(FactKind.DEAL_WON, T0 + DAY + HOUR, 1, "500", DAY, null));
        all.add(fact(FactKind.OPEN, T0 + DAY + HOUR, -1, "-1000", "-400", 0, null, false, "a", "d1", null, -1));
        // on day 2 account b churns (a customer since day 0) and a expands
        all.add(fact(FactKind.ARR_FLOW, T0 + 2 * DAY + HOUR, 1, "2000", null, 0, "churn", false, "b", null, null, T0));
        all.add(fact(FactKind.ARR_LEVEL, T0 + 2 * DAY + HOUR, -1, "-2000", 0, null));
        all.add(fact(FactKind.ARR_ACCOUNT, T0 + 2 * DAY + HOUR, 1, "0", null, 0, null, false, "b", null, null, -1));
        all.add(fact(
                FactKind.ARR_FLOW, T0 + 2 * DAY + HOUR, 1, "500", null, 0, "expansion", false, "a", null, null, -1));
        all.add(fact(FactKind.ARR_LEVEL, T0 + 2 * DAY + HOUR, 0, "500", 0, null));
        all.add(fact(FactKind.ARR_ACCOUNT, T0 + 2 * DAY + HOUR, 1, "1500", null, 0, null, false, "a", null, null, -1));
        all.advanceTo(T0 + 3 * DAY);

        KpiValues day1 = all.snapshots.get(1).values();
        // F = 400, won 500: 1 - |500 - 400| / 500
        assertThat(day1.deals().forecastAccuracy()).isEqualTo("0.800000");
        // 3 MQLs in [day 0, day 2), one of them with its SQL
        assertThat(day1.funnel().mqlToSqlRate()).isEqualTo("0.333333");
        KpiValues day2 = all.snapshots.get(2).values();
        assertThat(day2.revenue().arr()).isEqualTo("1500.00");
        assertThat(day2.revenue().customers()).isEqualTo(1);
        assertThat(day2.revenue().churnedArr()).isEqualTo("2000.00");
        assertThat(day2.revenue().netNewArr()).isEqualTo("-1500.00");
        // 2 customers at the start, one churned
        assertThat(day2.revenue().logoChurnRate()).isEqualTo("0.500000");
        // the cohort of [end - 2 d): 3000 then, 1500 now, gross min(1000, 1500) + min(2000, 0)
        assertThat(day2.revenue().netRevenueRetention()).isEqualTo("0.500000");
        assertThat(day2.revenue().grossRevenueRetention()).isEqualTo("0.333333");
        // CLV: ARR per customer 1500 x 0.8 / (1 of 2 churned in 2 days, x 365 / 2)
        assertThat(day2.revenue().clv()).isEqualTo("13.15");
    }

    @Test
    void onlyWindowsEndingByTheAsOfTimeAreReportedAndMarksAreForgotten() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(3, T0 + 2 * DAY), "all=all");
        all.add(fact(FactKind.DEAL_CREATED, T0 + HOUR, 1, "5", 0, null));
        all.advanceTo(T0 + 10 * DAY);
        assertThat(starts(all.snapshots)).containsExactly("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z");
        assertThat(all.wakeUpsLeft())
                .as("nothing after the as-of time is asked for")
                .isZero();
        MemoryKpiStore ended = new MemoryKpiStore(settings(3, T0 + 2 * DAY), "all=all");
        ended.add(fact(FactKind.DEAL_CREATED, T0 + HOUR, 1, "5", 0, null));
        ended.advanceTo(Long.MAX_VALUE); // the end of the input: every instant up to the as-of time at once
        assertThat(starts(ended.snapshots)).isEqualTo(starts(all.snapshots));

        MemoryKpiStore open = new MemoryKpiStore(settings(3, null), "all=all");
        open.add(fact(FactKind.DEAL_CREATED, T0 + HOUR, 1, "5", 0, null));
        open.advanceTo(T0 + 60 * DAY);
        assertThat(open.snapshots).hasSize(60);
        assertThat(open.marks.map.size())
                .as("only the marks a future window can look back to are kept")
                .isLessThanOrEqualTo(6);
        assertThat(open.waiting()).isEmpty();
    }

    /** A deal's move under all: open before (with its close date and weighted amount) or not, open after or not. */
    private static KpiFact moved(
            long at, String deal, String closeBefore, String weightedBefore, String close, String weighted) {
        DealMove m = new DealMove(
                closeBefore != null,
                closeBefore == null ? null : "QUALIFICATION",
                closeBefore == null ? null : new BigDecimal("1000"),
                weightedBefore == null ? null : new BigDecimal(weightedBefore),
                null,
                closeBefore,
                null,
                null,
                null,
                null,
                close != null,
                close == null ? "lost" : null,
                false,
                0.4,
                at,
                0,
                T0);
        return fact(FactKind.DEAL_MOVED, at, 1, "1000", weighted, 0, "QUALIFICATION", false, "a", deal, close, -1)
                .with(null, m);
    }

    @Test
    void theForecastOfAWindowIsItsCloseDatesWeightedPipelineAndBooksFromBeforeAreWeighedOnce() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(1, null), "all=all");
        all.add(moved(T0 + HOUR, "d1", null, null, "2026-01-07", "400"));
        all.add(moved(T0 + 2 * HOUR, "d2", null, null, "2026-01-07", "100"));
        all.advanceTo(T0 + DAY);
        assertThat(all.forecasts.get("1d|" + (T0 + DAY)))
                .as("nothing closes on the 6th")
                .isEqualByComparingTo("0");
        assertThat(all.openDeals.keys()).as("no book of open deals is kept").isEmpty();

        // as a release before the weighted levels left it: its open deals in a book, levels without weights
        for (Map.Entry<String, PipelineLevel> e : all.pipelineLevels.entries()) {
            e.getValue().weighted = null;
        }
        all.openDeals.put("d1", new OpenDeal("2026-01-07", new BigDecimal("400")));
        all.openDeals.put("d2", new OpenDeal("2026-01-07", new BigDecimal("100")));
        all.totals().levelsWeighted = false;

        // d2 moves to the 8th and is weighted higher
        all.add(moved(T0 + DAY + HOUR, "d2", "2026-01-07", "100", "2026-01-08", "150"));
        all.advanceTo(T0 + 2 * DAY);
        assertThat(all.forecasts.get("1d|" + (T0 + 2 * DAY))).isEqualByComparingTo("400");
        assertThat(all.openDeals.keys())
                .as("the book was read once and emptied")
                .isEmpty();
        assertThat(all.totals().levelsWeighted).isTrue();
        // d1 is lost on the 7th: the 8th holds d2 alone
        all.add(moved(T0 + 2 * DAY + HOUR, "d1", "2026-01-07", "400", null, null));
        all.advanceTo(T0 + 3 * DAY);
        assertThat(all.forecasts.get("1d|" + (T0 + 3 * DAY))).isEqualByComparingTo("150");
        assertThat(all.pipelineLevels.get("1d|" + (T0 + 2 * DAY)))
                .as("the 7th's level went with its last deal")
                .isNull();
    }
}
