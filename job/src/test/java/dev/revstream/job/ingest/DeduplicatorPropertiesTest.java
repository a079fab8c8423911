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
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The de-duplication against a model of its contract computed apart: an id counts from its first copy
 * until the watermark is more than the horizon past that copy's time, and is forgotten then; events
 * behind the watermark by more than the correction horizon are late and not remembered.
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

    @Property(tries = 300)
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
            assertThat(h.numKeyedStateEntries()).as("the ids remembered").isEqualTo(first.size());
            // a watermark past every id's horizon: every id and its timer gone
            h.processWatermark(now + 5 * 24 * HOUR + horizon + 1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> open(long horizon, long correction)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Deduplicator(horizon, Duration.ofDays(30), correction)),
                Event::dedupKey,
                Types.STRING);
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
                        Arbitraries.longs().between(-48, 120).map(h -> h * HOUR)) // whole hours: edges meet
                .as(Step::new);
        Arbitrary<Step> watermark = Arbitraries.longs().between(0, 72).map(h -> new Step(null, null, h * HOUR));
        return Arbitraries.frequencyOf(Tuple.of(5, event), Tuple.of(1, watermark))
                .list()
                .ofMinSize(1)
                .ofMaxSize(300);
    }
}
