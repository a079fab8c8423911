package dev.revstream.job.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.kafka.OutputJson;
import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.KpiFact;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiWindow;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamElement;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The KPIs fed summed facts against the KPIs fed every fact: random facts of every summable kind and of
 * kinds that pass through, under two dimension values, in time order with late ones among them and
 * watermarks and checkpoint barriers between them, through {@link KpiSums} into a {@link KpiFunction}
 * (RocksDB) give the same snapshots, revision by revision, as the same facts straight into it. Nothing is
 * held past a watermark or a barrier, and the sums are fewer records than the facts.
 */
class KpiSumsTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final List<String> STAGES = List.of("QUALIFICATION", "DISCOVERY", "PROPOSAL");
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final List<KpiWindow> WINDOWS =
            List.of(new KpiWindow("1d", ZONE, 1), new KpiWindow("1w", ZONE, 1), new KpiWindow("1M", ZONE, 1));
    private static final long LOOKBACK = 10 * DAY + 5 * HOUR; // marks off the day boundaries

    @Test
    void theKpisOfSummedFactsEqualThoseOfEveryFact() throws Exception {
        long facts = 0;
        long records = 0;
        for (long seed = 1; seed <= 12; seed++) {
            Random r = new Random(seed);
            List<StreamElement> input = randomInput(r, 1_500 + r.nextInt(1_500));
            List<StreamElement> summed = summed(input, r, seed);
            facts += input.stream().filter(StreamElement::isRecord).count();
            records += summed.stream().filter(StreamElement::isRecord).count();
            Map<String, String> want = snapshots(input);
            assertThat(differences(snapshots(summed), want))
                    .as("seed %d: snapshots from the sums against those from every fact", seed)
                    .isEmpty();
        }
        assertThat(records).as("records into the KPIs, of %d facts", facts).isLessThan(facts * 3 / 4);
    }

    @Test
    void aFactAtATimeNoCalendarHoldsGoesOnAndTheOthersAreStillSummed() throws Exception {
        OneInputStreamOperatorTestHarness<KpiFact, KpiFact> sums =
                new OneInputStreamOperatorTestHarness<>(new KpiSums(WINDOWS, LOOKBACK));
        sums.open();
        Random r = new Random(3);
        KpiFact far = randomFact(r, Long.MAX_VALUE - 1).under("all", "all");
        sums.processElement(new StreamRecord<>(far));
        for (int i = 0; i < 10; i++) {
            sums.processElement(new StreamRecord<>(new KpiFact(
                            FactKind.FIRST_LEAD,
                            T0 + i,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            1,
                            null,
                            null,
                            0,
                            false,
                            "acct-" + i,
                            null,
                            null,
                            -1)
                    .under("all", "all")));
        }
        sums.close();
        List<KpiFact> out = sums.extractOutputValues();
        assertThat(out).contains(far);
        assertThat(out)
                .filteredOn(f -> f.kind() == FactKind.FIRST_LEAD)
                .singleElement()
                .satisfies(f -> assertThat(f.weight()).isEqualTo(10));
    }

    /** The input through the sums, with barriers at random: what leaves it, records and watermarks in order. */
    private static List<StreamElement> summed(List<StreamElement> input, Random r, long seed) throws Exception {
        OneInputStreamOperatorTestHarness<KpiFact, KpiFact> sums =
                new OneInputStreamOperatorTestHarness<>(new KpiSums(WINDOWS, LOOKBACK));
        sums.open();
        long sent = 0;
        for (StreamElement e : input) {
            if (e.isWatermark()) {
                sums.processWatermark(e.asWatermark());
                List<Object> sent0 = new ArrayList<>(sums.getOutput());
                assertThat(sent0.get(sent0.size() - 1))
                        .as("seed %d: the watermark goes on last", seed)
                        .isEqualTo(e);
                assertThat(weight(sums.extractOutputValues()))
                        .as("seed %d: summed before the watermark", seed)
                        .isEqualTo(sent);
                continue;
            }
            @SuppressWarnings("unchecked")
            StreamRecord<KpiFact> f = (StreamRecord<KpiFact>) (StreamRecord<?>) e.asRecord();
            sums.processElement(f);
            sent += f.getValue().weight();
            if (r.nextInt(400) == 0) {
                sums.prepareSnapshotPreBarrier(sent);
                assertThat(weight(sums.extractOutputValues()))
                        .as("seed %d: summed before the barrier", seed)
                        .isEqualTo(sent);
            }
        }
        sums.close(); // the end of the input
        List<StreamElement> out = new ArrayList<>();
        for (Object o : sums.getOutput()) {
            out.add((StreamElement) o);
        }
        return out;
    }

    /** The first few windows that differ (the whole output is too long to read). */
    private static List<String> differences(Map<String, String> got, Map<String, String> want) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(got.keySet());
        keys.addAll(want.keySet());
        for (String k : keys) {
            String g = got.getOrDefault(k, "(none)");
            String w = want.getOrDefault(k, "(none)");
            if (!g.equals(w) && out.size() < 3) {
                out.add(k + "\n  got  " + g + "\n  want " + w);
            }
        }
        return out;
    }

    private static long weight(List<KpiFact> facts) {
        return facts.stream().mapToLong(KpiFact::weight).sum();
    }

    /**
     * The KPI function's settled output for these records and watermarks: each window's last revision, as
     * written to revops.kpis without its revision number (a late fact summed with facts that were not late
     * is applied at the firing after them, not by a correction of its own, so the number of revisions on
     * the way can differ).
     */
    private static Map<String, String> snapshots(List<StreamElement> in) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, KpiFact, KpiSnapshot> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new KpiFunction(WINDOWS, STAGES, LOOKBACK, 365 * DAY, 1.0, null, 7 * DAY)),
                        KpiFact::key,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        for (StreamElement e : in) {
            if (e.isWatermark()) {
                h.processWatermark(e.asWatermark());
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<KpiFact> f = (StreamRecord<KpiFact>) (StreamRecord<?>) e.asRecord();
                h.processElement(f);
            }
        }
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.getSideOutput(KpiFunction.DEAD_LETTERS)).as("dead letters").isNullOrEmpty();
        Map<String, KpiSnapshot> last = new TreeMap<>();
        for (KpiSnapshot s : h.extractOutputValues()) {
            last.merge(s.key(), s, (a, b) -> b.revision() >= a.revision() ? b : a);
        }
        h.close();
        Map<String, String> out = new TreeMap<>();
        last.forEach((k, s) -> out.put(
                k, new String(OutputJson.kpi(s), StandardCharsets.UTF_8).replaceFirst("\"revision\":\\d+,", "")));
        return out;
    }

    /**
     * Facts over about 20 days in time order, each under all and its segment, every 40th late (up to
     * four days behind, within the correction horizon), every 15th the retraction of one sent before, with a watermark at random a few hours behind.
     */
    private static List<StreamElement> randomInput(Random r, int n) {
        List<StreamElement> out = new ArrayList<>();
        long t = T0;
        long watermark = Long.MIN_VALUE;
        List<KpiFact> emitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t += (long) (r.nextDouble() * 20 * DAY / n * 2);
            KpiFact f;
            if (r.nextInt(15) == 0 && !emitted.isEmpty()) {
                // as the journey takes back a fact it sent, once a late event no longer supports it
                f = emitted.remove(r.nextInt(emitted.size())).retraction();
            } else {
                long at = r.nextInt(40) == 0 ? Math.max(T0, t - r.nextInt(4 * 24) * HOUR) : t;
                f = randomFact(r, at);
                emitted.add(f);
            }
            for (KpiFact under : List.of(f.under("all", "all"), f.under("segment", f.segment()))) {
                out.add(new StreamRecord<>(under.slim(), under.at()));
            }
            if (r.nextInt(150) == 0 && t - 6 * HOUR > watermark) {
                watermark = t - r.nextInt(6) * HOUR;
                out.add(new Watermark(watermark));
            }
        }
        return out;
    }

    private static KpiFact randomFact(Random r, long at) {
        FactKind kind = KINDS[r.nextInt(KINDS.length)];
        String segment = r.nextBoolean() ? "smb" : "enterprise";
        String stage = null;
        long millis = 0;
        long since = -1;
        long count = 1;
        BigDecimal amount = BigDecimal.valueOf(r.nextInt(100_000), 2);
        boolean forward = r.nextBoolean();
        switch (kind) {
            case STAGE_EXIT -> {
                stage = STAGES.get(r.nextInt(STAGES.size()));
                millis = r.nextInt(30) * DAY + r.nextInt(1000);
                amount = null;
            }
            case DEAL_WON -> millis = r.nextInt(4) == 0 ? -1 : r.nextInt(90) * DAY;
            case FIRST_MQL, FIRST_SQL -> since = r.nextBoolean() ? at - r.nextInt(20) * DAY : -1;
            case ARR_FLOW -> {
                stage = List.of("new", "expansion", "contraction", "churn").get(r.nextInt(4));
                since = "churn".equals(stage) ? at - r.nextInt(300) * DAY : -1;
            }
            case ARR_LEVEL -> count = r.nextBoolean() ? 1 : -1;
            case ATTRIBUTED -> {
                stage = r.nextBoolean() ? "FIRST_TOUCH" : "LINEAR";
                count = r.nextInt(1_000_000);
            }
            case FIRST_LEAD, FIRST_DEAL, NEW_CUSTOMER, DEAL_LOST, DEAL_ADOPTED -> amount = null;
            default -> {}
        }
        return new KpiFact(
                kind,
                at,
                null,
                null,
                segment,
                "emea",
                "rep-" + r.nextInt(3),
                "new_business",
                stage,
                "paid_search",
                count,
                amount,
                null,
                millis,
                forward,
                "acct-" + r.nextInt(50),
                null,
                null,
                since);
    }

    private static final FactKind[] KINDS = {
        FactKind.DEAL_CREATED,
        FactKind.DEAL_ADOPTED,
        FactKind.DEAL_WON,
        FactKind.DEAL_LOST,
        FactKind.STAGE_EXIT,
        FactKind.FIRST_LEAD,
        FactKind.FIRST_MQL,
        FactKind.FIRST_SQL,
        FactKind.FIRST_DEAL,
        FactKind.NEW_CUSTOMER,
        FactKind.ARR_LEVEL,
        FactKind.ARR_FLOW,
        FactKind.SPEND,
        FactKind.ATTRIBUTED
    };
}
