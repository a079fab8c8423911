package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.Event;
import dev.revstream.model.TestEvents;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    static final long HORIZON = Duration.ofDays(7).toMillis();
    static final int MAX_PARALLELISM = 128;
    static final Duration TTL = Duration.ofDays(30);
    private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness;

    /** The operator as the job runs it, on RocksDB (where every id of a shard is an entry of its own). */
    static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> dedup(long horizon) throws Exception {
        DedupShards shards = new DedupShards(MAX_PARALLELISM);
        KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new DedupOperator(new Deduplicator(horizon, TTL), shards), shards, Types.STRING, MAX_PARALLELISM, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** How many ids the harness's shards hold (swept or not), and how many ids still have a key of their own. */
    static long[] held(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) throws Exception {
        long[] n = new long[2];
        KeyedStateBackend<String> backend = ((DedupOperator) h.getOperator()).getKeyedStateBackend();
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                Deduplicator.ids(TTL),
                (key, ids) -> ids.keys().forEach(id -> n[0]++));
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                Deduplicator.legacy(TTL),
                (key, first) -> n[1] += first.value() == null ? 0 : 1);
        return n;
    }

    private long ids() throws Exception {
        return held(harness)[0];
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = dedup(HORIZON);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(Event e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.occurredAt()));
    }

    private List<String> passed() {
        return harness.extractOutputValues().stream().map(Event::eventId).collect(Collectors.toList());
    }

    private List<QualityOutcome> quality() {
        return harness.getSideOutput(Deduplicator.QUALITY) == null
                ? List.of()
                : harness.getSideOutput(Deduplicator.QUALITY).stream()
                        .map(r -> r.getValue())
                        .filter(s -> !s.dimension().equals(QualitySample.ALL))
                        .map(QualitySample::outcome)
                        .collect(Collectors.toList());
    }

    @Test
    void shouldLetTheFirstCopyThroughAndDropLaterOnes() throws Exception {
        send(TestEvents.touch("hubspot", "e1", 1_000, 1));
        send(TestEvents.touch("hubspot", "e1", 1_000, 2));
        send(TestEvents.touch("hubspot", "e1", 5_000, 3)); // a copy with other content is still a copy
        send(TestEvents.touch("marketo", "e1", 1_000, 4)); // same id, other source: a different event
        assertThat(passed()).containsExactly("e1", "e1");
        assertThat(harness.extractOutputValues().get(1).source()).isEqualTo("marketo");
        assertThat(quality()).containsExactly(QualityOutcome.DUPLICATE, QualityOutcome.DUPLICATE);
        assertThat(ids()).isEqualTo(2);
    }

    @Test
    void shouldForgetAnIdOnceTheWatermarkIsMoreThanTheHorizonPastItAndSweepItLater() throws Exception {
        send(TestEvents.touch("hubspot", "e1", 1_000, 1));
        harness.processWatermark(1_000 + HORIZON);
        send(TestEvents.touch("hubspot", "e1", 1_000 + HORIZON + 10, 2));
        assertThat(passed()).as("exactly the horizon: still a duplicate").containsExactly("e1");

        harness.processWatermark(1_000 + HORIZON + 1);
        // after the horizon a copy counts as a new event, whether or not the sweep has run
        send(TestEvents.touch("hubspot", "e1", 2_000 + HORIZON, 3));
        assertThat(passed()).containsExactly("e1", "e1");
        assertThat(ids()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // the sweep runs at most half a horizon after the id stops counting, and then nothing is left
        harness.processWatermark(2_000 + 2 * HORIZON + HORIZON / 2 + 1);
        assertThat(ids()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldKeepATimerPerShardNotPerEvent() throws Exception {
        int events = 20_000;
        Set<String> shards = new HashSet<>();
        DedupShards of = new DedupShards(MAX_PARALLELISM);
        for (int i = 0; i < events; i++) {
            Event e = TestEvents.touch("segment", "ev-" + i, 1_000 + (i * 37L) % HORIZON, i);
            shards.add(of.getKey(e));
            send(e);
        }
        assertThat(passed()).hasSize(events);
        assertThat(ids()).isEqualTo(events);
        assertThat(harness.numEventTimeTimers()).isEqualTo(shards.size()).isLessThanOrEqualTo(of.count());

        harness.processWatermark(1_000 + 2 * HORIZON + HORIZON / 2 + 1);
        assertThat(ids()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldRouteEventsBehindTheWatermarkToLateAndNotRememberThem() throws Exception {
        harness.processWatermark(10_000);
        send(TestEvents.touch("hubspot", "old", 10_000, 1));
        send(TestEvents.touch("hubspot", "old", 9_000, 2));
        send(TestEvents.touch("hubspot", "new", 10_001, 3));
        assertThat(passed()).containsExactly("new");
        assertThat(harness.getSideOutput(Deduplicator.LATE))
                .extracting(r -> r.getValue().event().eventId())
                .containsExactly("old", "old");
        assertThat(quality()).containsExactly(QualityOutcome.LATE, QualityOutcome.LATE);
        assertThat(ids()).isEqualTo(1);
    }

    @Test
    void shouldCountDuplicatesUnderTheSourceAndUnderAll() throws Exception {
        send(TestEvents.touch("zendesk", "t", 1_000, 77));
        send(TestEvents.touch("zendesk", "t", 1_000, 78));
        assertThat(harness.getSideOutput(Deduplicator.QUALITY))
                .extracting(r -> r.getValue())
                .containsExactly(
                        new QualitySample("zendesk", 78, QualityOutcome.DUPLICATE, null, 1),
                        new QualitySample("all", 78, QualityOutcome.DUPLICATE, null, 1));
    }
}
