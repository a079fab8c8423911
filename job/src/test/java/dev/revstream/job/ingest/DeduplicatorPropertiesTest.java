package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.Event;
import dev.revstream.model.TestEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The sharded de-duplication against a model of its contract computed apart: an id counts from its
 * first copy until the watermark is more than the horizon past that copy's time, forgotten exactly then
 * (as a timer per id did); events behind the watermark by more than the correction horizon are late.
 */
class DeduplicatorPropertiesTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /**
     * An event (source, id, time relative to the last watermark: near it, so that ids come again around their
     * horizons) or, with a null id, the watermark moved on by {@code time}.
     */
    record Step(String source, String id, long time) {}

    enum Outcome {
        APPLIED,
        DUPLICATE,
        LATE
    }

    @Property(tries = 100)
    void shouldDecideEveryEventAsTheModelDoes(
            @ForAll("steps") List<Step> steps, @ForAll("horizons") long horizon, @ForAll boolean corrections)
            throws Exception {
        long correction = corrections ? Math.min(horizon, 24 * HOUR) : 0;
        Map<String, Long> first = new HashMap<>();
        long watermark = Long.MIN_VALUE;
        long now = 0;
        List<Outcome> expected = new ArrayList<>();
        List<Outcome> actual = new ArrayList<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h = open(horizon, correction)) {
            for (Step s : steps) {
                if (s.id() == null) {
                    now += s.time();
                    watermark = now;
                    long w = watermark;
                    first.values().removeIf(t -> t + horizon + 1 <= w);
                    h.processWatermark(watermark);
                    continue;
                }
                long at = now + s.time();
                String key = s.source() + '\u0000' + s.id();
                if (first.containsKey(key)) {
                    expected.add(Outcome.DUPLICATE);
                } else if (watermark != Long.MIN_VALUE && at <= watermark - correction) {
                    expected.add(Outcome.LATE);
                } else {
                    first.put(key, at);
                    expected.add(Outcome.APPLIED);
                }
                int applied = h.extractOutputValues().size();
                int late = h.getSideOutput(Deduplicator.LATE) == null
                        ? 0
                        : h.getSideOutput(Deduplicator.LATE).size();
                Event e = TestEvents.touch(s.source(), s.id(), at, 1);
                h.processElement(new StreamRecord<>(e, e.occurredAt()));
                actual.add(
                        h.extractOutputValues().size() > applied
                                ? Outcome.APPLIED
                                : h.getSideOutput(Deduplicator.LATE) != null
                                                && h.getSideOutput(Deduplicator.LATE)
                                                                .size()
                                                        > late
                                        ? Outcome.LATE
                                        : Outcome.DUPLICATE);
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(DeduplicatorTest.held(h)[0])
                    .as("ids remembered, before any sweep: at least those the model counts")
                    .isGreaterThanOrEqualTo(first.size());
            // a watermark past every id's horizon and half a horizon more: every id and every sweep gone
            h.processWatermark(now + 5 * 24 * HOUR + 2 * horizon + 2_000);
            assertThat(DeduplicatorTest.held(h)[0]).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> open(long horizon, long correction)
            throws Exception {
        DedupShards shards = new DedupShards(DeduplicatorTest.MAX_PARALLELISM);
        KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new DedupOperator(new Deduplicator(horizon, DeduplicatorTest.TTL, correction), shards),
                shards,
                Types.STRING,
                DeduplicatorTest.MAX_PARALLELISM,
                1,
                0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    @Provide
    Arbitrary<Long> horizons() {
        return Arbitraries.of(0L, HOUR, 2 * 24 * HOUR, 7 * 24 * HOUR);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> event = Combinators.combine(
                        Arbitraries.of("crm", "web"),
                        Arbitraries.integers().between(0, 5).map(i -> "e" + i),
                        Arbitraries.longs().between(-2 * 24 * HOUR, 5 * 24 * HOUR))
                .as(Step::new);
        Arbitrary<Step> watermark =
                Arbitraries.longs().between(0, 3 * 24 * HOUR).map(d -> new Step(null, null, d));
        return Arbitraries.frequencyOf(Tuple.of(5, event), Tuple.of(1, watermark))
                .list()
                .ofMinSize(1)
                .ofMaxSize(300);
    }
}
