package dev.revstream.job.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.kafka.OutputJson;
import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.KpiFact;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KpiFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400_000L;
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final List<String> STAGES =
            List.of("QUALIFICATION", "DISCOVERY", "SOLUTION", "PROPOSAL", "NEGOTIATION");
    private KeyedOneInputStreamOperatorTestHarness<String, KpiFact, KpiSnapshot> h;

    private void open(Long asOf) throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new KpiFunction(List.of(new KpiWindow("1d", ZoneOffset.UTC, 1)), STAGES, 90 * DAY, asOf)),
                KpiFact::key,
                Types.STRING);
        h.open();
    }

    private void openOnRocksDb(KpiFunction f) throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), KpiFact::key, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend()); // as in the job: what state reads is a copy
        h.open();
    }

    /** The snapshots of a run of {@code facts}, as written to revops.kpis, and its dead letters. */
    private List<Object> run(List<KpiFact> facts, KpiFunction f) throws Exception {
        openOnRocksDb(f);
        for (KpiFact fact : facts) {
            send(fact);
        }
        h.processWatermark(T0 + 4 * DAY);
        List<Object> out = new ArrayList<>();
        for (KpiSnapshot s : h.extractOutputValues()) {
            out.add(new String(OutputJson.kpi(s), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (h.getSideOutput(KpiFunction.DEAD_LETTERS) != null) {
            h.getSideOutput(KpiFunction.DEAD_LETTERS).forEach(r -> out.add(r.getValue()));
        }
        h.close();
        return out;
    }

    @Test
    void aFactWhoseProcessingFailsIsADeadLetterAndTheWindowsGoOnWithoutIt() throws Exception {
        KpiFact poisoned = fact(FactKind.DEAL_WON, T0 + 2 * DAY, "smb", 1, "99000", null, DAY, null, false);
        List<KpiFact> good = List.of(
                fact(FactKind.DEAL_CREATED, T0 + 10 * 3_600_000L, "smb", 1, "1000", null, 0, null, false),
                fact(FactKind.OPEN, T0 + 10 * 3_600_000L, "smb", 1, "1000", "100.0", 0, "QUALIFICATION", false),
                fact(FactKind.DEAL_WON, T0 + 2 * DAY, "smb", 1, "1200", null, 2 * DAY, null, false));
        List<KpiFact> withPoison = new ArrayList<>(good);
        withPoison.add(1, poisoned);
        KpiFunction failing = new KpiFunction(List.of(new KpiWindow("1d", ZoneOffset.UTC, 1)), STAGES, 90 * DAY, null)
                .failingOn(f -> f.kind() == FactKind.DEAL_WON && f.amount().compareTo(new BigDecimal("99000")) == 0);
        List<Object> failed = run(withPoison, failing);
        List<Object> without =
                run(good, new KpiFunction(List.of(new KpiWindow("1d", ZoneOffset.UTC, 1)), STAGES, 90 * DAY, null));

        List<Object> deadLetters =
                failed.stream().filter(o -> o instanceof DeadLetter).toList();
        assertThat(deadLetters)
                .hasSize(2) // the fact under "all" and under its segment
                .allSatisfy(o -> {
                    DeadLetter d = (DeadLetter) o;
                    assertThat(d.errorCode()).isEqualTo(ErrorCode.RECORD_FAILED);
                    assertThat(d.message()).contains("DEAL_WON", "IllegalStateException", "the job goes on");
                });
        assertThat(without).isNotEmpty();
        assertThat(failed.stream().filter(o -> !(o instanceof DeadLetter)).toList())
                .as("the windows equal those without the fact")
                .isEqualTo(without);
        h = null;
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static KpiFact fact(
            FactKind kind,
            long at,
            String segment,
            long count,
            String amount,
            String weighted,
            long millis,
            String stage,
            boolean forward) {
        return new KpiFact(
                kind,
                at,
                null,
                null,
                segment,
                null,
                null,
                "new_business",
                stage,
                null,
                count,
                amount == null ? null : new BigDecimal(amount),
                weighted == null ? null : new BigDecimal(weighted),
                millis,
                forward,
                "acct-1",
                "d-1",
                null,
                -1);
    }

    private void send(KpiFact f) throws Exception {
        for (KpiFact out : List.of(f.under("all", "all"), f.under("segment", f.segment()))) {
            h.processElement(new StreamRecord<>(out, out.at()));
        }
    }

    private List<JsonNode> snapshots(String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (KpiSnapshot s : h.extractOutputValues()) {
            if ((s.dimension() + "=" + s.dimensionValue()).equals(key)) {
                JsonNode n = JSON.readTree(OutputJson.kpi(s)); // as written to revops.kpis
                ((ObjectNode) n)
                        .put("start", Instant.ofEpochMilli(s.windowStart()).toString());
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void shouldReportEveryDayForAllWithWindowedLookbackAndLevelMetrics() throws Exception {
        open(null);
        send(fact(FactKind.DEAL_CREATED, T0 + 10 * 3_600_000L, "smb", 1, "1000", null, 0, null, false));
        send(fact(FactKind.OPEN, T0 + 10 * 3_600_000L, "smb", 1, "1000", "100.0", 0, "QUALIFICATION", false));
        send(fact(
                FactKind.STAGE_EXIT,
                T0 + 2 * DAY,
                "smb",
                1,
                null,
                null,
                2 * DAY - 10 * 3_600_000L,
                "QUALIFICATION",
                true));
        send(fact(FactKind.DEAL_WON, T0 + 2 * DAY, "smb", 1, "1200", null, 2 * DAY - 10 * 3_600_000L, null, false));
        send(fact(FactKind.OPEN, T0 + 2 * DAY, "smb", -1, "-1000", "-100.0", 0, "QUALIFICATION", false));
        h.processWatermark(T0 + 3 * DAY);

        List<JsonNode> all = snapshots("all=all");
        assertThat(all)
                .extracting(n -> n.get("start").asText())
                .containsExactly("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z");
        JsonNode d0 = all.get(0);
        assertThat(d0.get("dealsCreated").asLong()).isEqualTo(1);
        assertThat(d0.get("pipelineCreatedAmount").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(d0.get("openDeals").asLong()).isEqualTo(1);
        assertThat(d0.get("weightedPipelineAmount").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(d0.get("winRate").isNull()).isTrue();
        assertThat(d0.get("pipelineVelocityPerDay").isNull()).isTrue();
        assertThat(d0.has("stageConversion.QUALIFICATION")).isFalse();
        JsonNode d1 = all.get(1);
        assertThat(d1.get("dealsCreated").asLong())
                .as("a quiet day still reports, with zeros")
                .isZero();
        assertThat(d1.get("openDeals").asLong()).isEqualTo(1);
        JsonNode d2 = all.get(2);
        assertThat(d2.get("dealsWon").asLong()).isEqualTo(1);
        assertThat(d2.get("wonAmount").decimalValue()).isEqualByComparingTo("1200.00");
        assertThat(d2.get("winRate").decimalValue()).isEqualByComparingTo("1.000000");
        assertThat(d2.get("avgDealSize").decimalValue()).isEqualByComparingTo("1200.00");
        assertThat(d2.get("avgSalesCycleDays").decimalValue()).isEqualByComparingTo("1.583333");
        assertThat(d2.get("stageConversion.QUALIFICATION").decimalValue()).isEqualByComparingTo("1.000000");
        assertThat(d2.get("avgDaysInStage.QUALIFICATION").decimalValue()).isEqualByComparingTo("1.583333");
        assertThat(d2.get("openDeals").asLong()).isZero();
        assertThat(d2.get("newCustomers").asLong()).isZero();
        assertThat(d2.get("cac").isNull()).isTrue();

        // a segment reports only windows with a fact in them or an open deal at their end
        assertThat(snapshots("segment=smb"))
                .extracting(n -> n.get("start").asText())
                .containsExactly("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z");
        assertThat(snapshots("segment=smb").get(0).has("newLeads"))
                .as("funnel metrics are for all only")
                .isFalse();
        h.processWatermark(T0 + 10 * DAY);
        assertThat(snapshots("segment=smb")).hasSize(3);
        assertThat(snapshots("all=all")).hasSize(10);
    }

    @Test
    void shouldKeepLookbacksOverWindowsWithoutRescanningAndForgetOldMarks() throws Exception {
        open(null);
        send(fact(FactKind.DEAL_LOST, T0, "smb", 1, null, null, 0, null, false));
        send(fact(FactKind.DEAL_WON, T0 + 50 * DAY, "smb", 1, "10", null, DAY, null, false));
        h.processWatermark(T0 + 91 * DAY);
        List<JsonNode> all = snapshots("all=all");
        // [end - 90 d, end): the loss on day 0 counts until the window ending on day 90
        assertThat(all.get(89).get("winRate").decimalValue()).isEqualByComparingTo("0.500000");
        assertThat(all.get(90).get("winRate").decimalValue()).isEqualByComparingTo("1.000000");
        int entries = h.numKeyedStateEntries();
        h.processWatermark(T0 + 400 * DAY);
        assertThat(h.numKeyedStateEntries())
                .as("marks are forgotten, state does not grow with time")
                .isLessThanOrEqualTo(entries);
    }

    @Test
    void shouldReportOnlyWindowsEndingByTheAsOfTime() throws Exception {
        open(T0 + 2 * DAY);
        send(fact(FactKind.DEAL_CREATED, T0 + 3_600_000L, "smb", 1, "5", null, 0, null, false));
        h.processWatermark(Long.MAX_VALUE);
        assertThat(snapshots("all=all"))
                .extracting(n -> n.get("start").asText())
                .containsExactly("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z");
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
