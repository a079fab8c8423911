package dev.revstream.tools.e2e;

import static dev.revstream.tools.testing.RawEvents.deal;
import static dev.revstream.tools.testing.RawEvents.touch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed KPIs through the real job on a real broker: three accounts over the last days of
 * March 2026 in Europe/Berlin (29 March is a 23-hour day), daily windows and a fiscal quarter
 * (fiscal year from February), a 2-day lookback and a 1-day retention lookback. It has an adopted
 * deal, a renewal that contracts, a contraction to zero that churns, an empty day, and metrics
 * that are null or divide by zero. Every expected value below is worked out in the comments.
 */
class KpiFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyMetricMatchesItsHandComputedValue() throws Exception {
        RevstreamConfig cfg = Infra.config(
                "kpi-fixture",
                "time.zone=Europe/Berlin",
                "kpi.windows=1d,1Q",
                "kpi.fiscal-year-start-month=2",
                "kpi.lookback=2d",
                "kpi.retention-lookback=1d");
        String tp = cfg.topics().touchpoints();
        String dl = cfg.topics().deals();
        List<Out> in = new ArrayList<>();
        // times are Berlin local: CET (+01:00) until 29 March 02:00, CEST (+02:00) after
        in.add(touch(tp, "e1", "2026-03-27T08:00:00+01:00", "acct-A", "Ad Clicked", "segment", "\"channel\":\"cpc\""));
        in.add(deal(
                dl,
                "e2",
                "2026-03-27T09:00:00+01:00",
                "C1",
                "acct-C",
                "CREATED",
                "\"stage\":\"NEGOTIATION\",\"amount\":2000"));
        in.add(touch(tp, "e3", "2026-03-27T10:00:00+01:00", "acct-A", "LEAD_CREATED", "hubspot", null));
        in.add(touch(tp, "e4", "2026-03-27T12:00:00+01:00", "acct-A", "MQL", "hubspot", null));
        in.add(
                deal(
                        dl,
                        "e5",
                        "2026-03-27T13:00:00+01:00",
                        "A1",
                        "acct-A",
                        "CREATED",
                        "\"stage\":\"QUALIFICATION\",\"amount\":1000,\"expectedCloseDate\":\"2026-03-30\",\"segment\":\"smb\",\"ownerId\":\"rep-1\""));
        in.add(deal(dl, "e6", "2026-03-27T18:00:00+01:00", "C1", "acct-C", "CLOSED_WON", null));
        in.add(touch(
                tp,
                "e7",
                "2026-03-27T20:00:00+01:00",
                null,
                "SPEND",
                "ads",
                "\"channel\":\"paid_search\",\"amount\":100"));
        in.add(touch(tp, "e8", "2026-03-28T09:00:00+01:00", "acct-A", "SQL", "hubspot", null));
        in.add(deal(
                dl,
                "e9",
                "2026-03-28T09:00:00+01:00",
                "C2",
                "acct-C",
                "CREATED",
                "\"stage\":\"NEGOTIATION\",\"amount\":1500,\"dealType\":\"renewal\""));
        in.add(
                deal(
                        dl,
                        "e10",
                        "2026-03-28T10:00:00+01:00",
                        "B1",
                        "acct-B",
                        "UPDATED",
                        "\"stage\":\"DISCOVERY\",\"amount\":500,\"segment\":\"mid_market\",\"ownerId\":\"rep-2\",\"expectedCloseDate\":\"2026-03-30\""));
        in.add(deal(dl, "e11", "2026-03-28T13:00:00+01:00", "A1", "acct-A", "STAGE_CHANGED", "\"stage\":\"PROPOSAL\""));
        in.add(deal(dl, "e12", "2026-03-28T18:00:00+01:00", "C2", "acct-C", "CLOSED_WON", null));
        in.add(deal(dl, "e13", "2026-03-29T13:00:00+02:00", "A1", "acct-A", "CLOSED_WON", null));
        in.add(deal(
                dl,
                "e14",
                "2026-03-30T09:00:00+02:00",
                "C3",
                "acct-C",
                "CREATED",
                "\"stage\":\"NEGOTIATION\",\"amount\":1500,\"dealType\":\"contraction\""));
        in.add(deal(dl, "e15", "2026-03-30T10:00:00+02:00", "B1", "acct-B", "CLOSED_LOST", null));
        in.add(deal(dl, "e16", "2026-03-30T18:00:00+02:00", "C3", "acct-C", "CLOSED_WON", null));
        // the as-of time: the end of the fiscal quarter February to April
        for (int p = 0; p < 3; p++) {
            in.add(new Out(
                    tp,
                    p,
                    null,
                    ("{\"eventId\":\"hb-" + p + "\",\"occurredAt\":\"2026-05-01T00:00:00+02:00\",\"source\":\"test\","
                                    + "\"type\":\"HEARTBEAT\"}")
                            .getBytes(StandardCharsets.UTF_8)));
        }
        KafkaTopics.ensure(cfg);
        TopicIo.produce(cfg.kafka().bootstrapServers(), in);
        LocalFlink flink = Infra.flink();
        JobID job = LocalRunner.submitBounded(flink, cfg, AsOfScanner.scan(cfg), null, null);
        assertThat(flink.awaitResult(job, Duration.ofMinutes(3)).isSuccess()).isTrue();

        Map<String, JsonNode> got = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().kpis())) {
            JsonNode n = JSON.readTree(r.value());
            got.put(
                    n.get("windowSize").asText() + " " + n.get("windowStart").asText() + " "
                            + n.get("dimension").asText() + "="
                            + n.get("dimensionValue").asText(),
                    n);
        }

        // ---- all, day by day. Windows in UTC: 27 = [26 23:00, 27 23:00), 28 = [27 23:00, 28 23:00),
        // 29 = [28 23:00, 29 22:00) (23 h), 30 = [29 22:00, 30 22:00), 31 = [30 22:00, 31 22:00) (nothing happens).
        // Lookbacks are 2 days back from the window's end; retention 1 day (or the window's length).
        expect(
                got,
                "1d 2026-03-26T23:00:00Z all=all",
                Map.ofEntries(
                        // C1 and A1 created (2000 + 1000); C1 won after 9 h in NEGOTIATION; A1 open at the end
                        // (QUALIFICATION, p 0.1)
                        m("dealsCreated", "2"),
                        m("dealsAdopted", "0"),
                        m("pipelineCreatedAmount", "3000.00"),
                        m("dealsWon", "1"),
                        m("dealsLost", "0"),
                        m("wonAmount", "2000.00"),
                        m("openDeals", "1"),
                        m("openPipelineAmount", "1000.00"),
                        m("weightedPipelineAmount", "100.00"),
                        m("winRate", "1.000000"),
                        m("avgDealSize", "2000.00"),
                        m("avgSalesCycleDays", "0.375000"),
                        // 1 open x 2000 x 1 / 0.375
                        m("pipelineVelocityPerDay", "5333.33"),
                        m("stageConversion.NEGOTIATION", "1.000000"),
                        m("avgDaysInStage.NEGOTIATION", "0.375000"),
                        m("stageConversion.QUALIFICATION", "absent"),
                        // nothing was open at the start: F = 0, A = 2000
                        m("forecastAccuracy", "0.000000"),
                        m("newLeads", "1"),
                        m("newMqls", "1"),
                        m("newSqls", "0"),
                        m("newOpportunities", "2"),
                        m("newCustomers", "1"),
                        // A's MQL is in L, its SQL comes after the end
                        m("mqlToSqlRate", "0.000000"),
                        m("arr", "2000.00"),
                        m("customers", "1"),
                        m("newArr", "2000.00"),
                        m("expansionArr", "0.00"),
                        m("contractionArr", "0.00"),
                        m("churnedArr", "0.00"),
                        m("netNewArr", "2000.00"),
                        // no customers at the start, none 1 day before the end, none at end - L
                        m("logoChurnRate", "null"),
                        m("netRevenueRetention", "null"),
                        m("grossRevenueRetention", "null"),
                        m("clv", "null"),
                        m("spend", "100.00"),
                        m("cac", "100.00")));
        expect(
                got,
                "1d 2026-03-27T23:00:00Z all=all",
                Map.ofEntries(
                        // C2 (renewal) created and won; B1 adopted; A1 moved to PROPOSAL (p 0.6): open A1 1000 + B1 500
                        // (p 0.2)
                        m("dealsCreated", "1"),
                        m("dealsAdopted", "1"),
                        m("pipelineCreatedAmount", "1500.00"),
                        m("dealsWon", "1"),
                        m("wonAmount", "1500.00"),
                        m("openDeals", "2"),
                        m("openPipelineAmount", "1500.00"),
                        m("weightedPipelineAmount", "700.00"),
                        // L = [26 23:00, 28 23:00): C1 and C2 won
                        m("winRate", "1.000000"),
                        m("avgDealSize", "1750.00"),
                        m("avgSalesCycleDays", "0.375000"),
                        m("pipelineVelocityPerDay", "9333.33"),
                        m("stageConversion.QUALIFICATION", "1.000000"),
                        m("avgDaysInStage.QUALIFICATION", "1.000000"),
                        m("stageConversion.NEGOTIATION", "1.000000"),
                        // A1 was open at the start, expected on the 30th: not in this window
                        m("forecastAccuracy", "0.000000"),
                        m("newSqls", "1"),
                        m("newOpportunities", "1"),
                        m("newCustomers", "0"),
                        m("mqlToSqlRate", "1.000000"),
                        // the renewal sets ARR to 1500: a contraction of 500
                        m("arr", "1500.00"),
                        m("customers", "1"),
                        m("newArr", "0.00"),
                        m("contractionArr", "500.00"),
                        m("netNewArr", "-500.00"),
                        m("logoChurnRate", "0.000000"),
                        // C was a customer 1 day before the end with 2000; it has 1500 now
                        m("netRevenueRetention", "0.750000"),
                        m("grossRevenueRetention", "0.750000"),
                        m("clv", "null"),
                        m("spend", "0.00"),
                        m("cac", "null")));
        expect(
                got,
                "1d 2026-03-28T23:00:00Z all=all",
                Map.ofEntries(
                        // the 23-hour day: A1 won, 47 h after its creation, 23 h in PROPOSAL
                        m("dealsWon", "1"),
                        m("wonAmount", "1000.00"),
                        m("openDeals", "1"),
                        m("openPipelineAmount", "500.00"),
                        m("weightedPipelineAmount", "100.00"),
                        // L = [27 22:00, 29 22:00): C2 (9 h) and A1 (47 h)
                        m("winRate", "1.000000"),
                        m("avgDealSize", "1250.00"),
                        m("avgSalesCycleDays", "1.166667"),
                        m("pipelineVelocityPerDay", "1071.43"),
                        m("stageConversion.PROPOSAL", "1.000000"),
                        m("avgDaysInStage.PROPOSAL", "0.958333"),
                        m("forecastAccuracy", "0.000000"),
                        m("newCustomers", "1"),
                        // A's MQL (27 11:00 UTC) is before L
                        m("mqlToSqlRate", "null"),
                        m("arr", "2500.00"),
                        m("customers", "2"),
                        m("newArr", "1000.00"),
                        m("netNewArr", "1000.00"),
                        m("logoChurnRate", "0.000000"),
                        m("netRevenueRetention", "1.000000"),
                        m("grossRevenueRetention", "1.000000"),
                        m("clv", "null"),
                        m("cac", "0.00")));
        expect(
                got,
                "1d 2026-03-29T22:00:00Z all=all",
                Map.ofEntries(
                        // C3 (contraction) created and won: C's ARR 1500 -> 0, a churn; B1 lost after 47 h in DISCOVERY
                        m("dealsCreated", "1"),
                        m("pipelineCreatedAmount", "1500.00"),
                        m("dealsWon", "1"),
                        m("dealsLost", "1"),
                        m("wonAmount", "1500.00"),
                        m("openDeals", "0"),
                        m("openPipelineAmount", "0.00"),
                        m("weightedPipelineAmount", "0.00"),
                        // L = [28 22:00, 30 22:00): A1 and C3 won, B1 lost
                        m("winRate", "0.666667"),
                        m("avgDealSize", "1250.00"),
                        m("avgSalesCycleDays", "1.166667"),
                        m("pipelineVelocityPerDay", "0.00"),
                        m("stageConversion.DISCOVERY", "0.000000"),
                        m("avgDaysInStage.DISCOVERY", "1.958333"),
                        m("stageConversion.PROPOSAL", "1.000000"),
                        // B1 was open at the start, expected on the 30th: F = 500 x 0.2 = 100, A = 1500: 1 - 1400/1500
                        m("forecastAccuracy", "0.066667"),
                        m("mqlToSqlRate", "null"),
                        m("arr", "1000.00"),
                        m("customers", "1"),
                        m("churnedArr", "1500.00"),
                        m("netNewArr", "-1500.00"),
                        // 2 customers at the start, C churned
                        m("logoChurnRate", "0.500000"),
                        // a day before the end A had 1000 and C 1500: now 1000 and 0
                        m("netRevenueRetention", "0.400000"),
                        m("grossRevenueRetention", "0.400000"),
                        // (1000 / 1) / (1 of 1 customers at end - L churned x 365 / 2)
                        m("clv", "5.48"),
                        m("cac", "null")));
        expect(
                got,
                "1d 2026-03-30T22:00:00Z all=all",
                Map.ofEntries(
                        // an empty day: zeros, levels, and lookbacks that still see the days before
                        m("dealsCreated", "0"),
                        m("dealsWon", "0"),
                        m("openDeals", "0"),
                        m("winRate", "0.500000"),
                        m("avgDealSize", "1500.00"),
                        m("avgSalesCycleDays", "0.375000"),
                        m("pipelineVelocityPerDay", "0.00"),
                        // F = 0 and A = 0
                        m("forecastAccuracy", "null"),
                        m("arr", "1000.00"),
                        m("customers", "1"),
                        m("netNewArr", "0.00"),
                        m("logoChurnRate", "0.000000"),
                        m("netRevenueRetention", "1.000000"),
                        // 1 of the 2 customers at end - L churned: 1000 / (0.5 x 365 / 2)
                        m("clv", "10.96"),
                        m("cac", "null")));

        // ---- the fiscal quarter February to April: L and R are the quarter itself
        expect(
                got,
                "1Q 2026-01-31T23:00:00Z all=all",
                Map.ofEntries(
                        m("dealsCreated", "4"),
                        m("dealsAdopted", "1"),
                        m("pipelineCreatedAmount", "6000.00"),
                        m("dealsWon", "4"),
                        m("dealsLost", "1"),
                        m("wonAmount", "6000.00"),
                        m("winRate", "0.800000"),
                        m("avgDealSize", "1500.00"),
                        m("avgSalesCycleDays", "0.770833"),
                        m("stageConversion.NEGOTIATION", "1.000000"),
                        m("stageConversion.DISCOVERY", "0.000000"),
                        m("forecastAccuracy", "0.000000"),
                        m("newLeads", "1"),
                        m("newMqls", "1"),
                        m("newSqls", "1"),
                        m("newOpportunities", "3"),
                        m("newCustomers", "2"),
                        m("mqlToSqlRate", "1.000000"),
                        m("arr", "1000.00"),
                        m("customers", "1"),
                        m("newArr", "3000.00"),
                        m("contractionArr", "500.00"),
                        m("churnedArr", "1500.00"),
                        m("expansionArr", "0.00"),
                        m("netNewArr", "1000.00"),
                        m("logoChurnRate", "null"),
                        m("netRevenueRetention", "null"),
                        m("clv", "null"),
                        m("spend", "100.00"),
                        m("cac", "50.00")));

        // ---- other dimensions
        expect(
                got,
                "1d 2026-03-27T23:00:00Z dealType=renewal",
                Map.ofEntries(
                        m("dealsCreated", "1"), m("dealsWon", "1"), m("wonAmount", "1500.00"), m("openDeals", "0")));
        expect(
                got,
                "1d 2026-03-27T23:00:00Z ownerId=rep-2",
                Map.ofEntries(m("dealsAdopted", "1"), m("openDeals", "1"), m("openPipelineAmount", "500.00")));
        expect(
                got,
                "1d 2026-03-28T23:00:00Z segment=smb",
                Map.ofEntries(m("dealsWon", "1"), m("arr", "1000.00"), m("customers", "1"), m("newArr", "1000.00")));
        expect(got, "1d 2026-03-26T23:00:00Z region=unknown", Map.ofEntries(m("dealsCreated", "2")));
        // the AD_CLICK is A's only attributable touch (and its lead-creation touch): all of A1 for every model
        expect(
                got,
                "1d 2026-03-28T23:00:00Z channel=paid_search",
                Map.ofEntries(
                        m("attributedRevenue.W_SHAPED", "1000.00"),
                        m("attributedRevenue.TIME_DECAY", "1000.00"),
                        m("spend", "0.00"),
                        m("roi", "null")));
        expect(
                got,
                "1d 2026-03-26T23:00:00Z channel=paid_search",
                Map.ofEntries(m("attributedRevenue.LINEAR", "0.00"), m("spend", "100.00"), m("roi", "0.000000")));
        expect(
                got,
                "1Q 2026-01-31T23:00:00Z channel=paid_search",
                Map.ofEntries(
                        m("attributedRevenue.FIRST_TOUCH", "1000.00"), m("spend", "100.00"), m("roi", "10.000000")));
        // segments report only windows with something in them or open deals: smb has nothing on the 31st
        assertThat(got).doesNotContainKey("1d 2026-03-30T22:00:00Z segment=smb");
        assertThat(got).containsKey("1d 2026-03-30T22:00:00Z all=all");
        assertThat(got.keySet())
                .allMatch(k -> Instant.parse(k.split(" ")[1]).isBefore(Instant.parse("2026-04-30T22:00:00Z")));
    }

    private static Map.Entry<String, String> m(String metric, String value) {
        return Map.entry(metric, value);
    }

    private static void expect(Map<String, JsonNode> got, String key, Map<String, String> metrics) {
        assertThat(got).as("snapshot %s", key).containsKey(key);
        JsonNode n = got.get(key);
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(metrics));
        sorted.forEach((metric, value) -> {
            if (value.equals("absent")) {
                assertThat(n.has(metric)).as("%s %s absent", key, metric).isFalse();
            } else if (value.equals("null")) {
                assertThat(n.get(metric)).as("%s %s", key, metric).isNotNull();
                assertThat(n.get(metric).isNull())
                        .as("%s %s is null, got %s", key, metric, n.get(metric))
                        .isTrue();
            } else {
                assertThat(n.get(metric)).as("%s %s present", key, metric).isNotNull();
                assertThat(n.get(metric).decimalValue())
                        .as("%s %s", key, metric)
                        .isEqualByComparingTo(value);
            }
        });
    }
}
