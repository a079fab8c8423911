package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.Event;
import dev.revstream.model.TestEvents;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** State from before the shards (an id per key, a value and a timer each) restores into the shards. */
class DedupRestoreTest {
    private static final long HORIZON = DeduplicatorTest.HORIZON;

    /** The de-duplication's state as 0.1.0 and 0.2.0 wrote it. */
    static final class IdPerKey extends KeyedProcessFunction<String, Event, Event> {
        private transient ValueState<Long> first;

        @Override
        public void open(OpenContext ctx) {
            first = getRuntimeContext().getState(Deduplicator.legacy(DeduplicatorTest.TTL));
        }

        @Override
        public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
            first.update(e.occurredAt());
            ctx.timerService().registerEventTimeTimer(e.occurredAt() + HORIZON + 1);
        }
    }

    @Test
    void shouldRecogniseCopiesOfIdsRestoredAsKeysOfTheirOwnAndMoveThemIntoShards() throws Exception {
        int ids = 500;
        OperatorSubtaskState saved;
        try (KeyedOneInputStreamOperatorTestHarness<String, Event, Event> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new IdPerKey()),
                        Event::dedupKey,
                        Types.STRING,
                        DeduplicatorTest.MAX_PARALLELISM,
                        1,
                        0)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            for (int i = 0; i < ids; i++) {
                Event e = TestEvents.touch("crm", "old-" + i, 1_000 + i, 1);
                old.processElement(new StreamRecord<>(e, e.occurredAt()));
            }
            saved = old.snapshot(1, 1);
        }

        try (KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h = DeduplicatorTest.dedup(HORIZON)) {
            h.initializeState(saved);
            h.open();
            assertThat(DeduplicatorTest.held(h))
                    .as("every id moved into its shard, and out of its own key")
                    .containsExactly(ids, 0);
            for (int i = 0; i < ids; i++) {
                Event copy = TestEvents.touch("crm", "old-" + i, 5_000, 2);
                h.processElement(new StreamRecord<>(copy, copy.occurredAt()));
            }
            Event fresh = TestEvents.touch("crm", "new", 5_000, 3);
            h.processElement(new StreamRecord<>(fresh, fresh.occurredAt()));
            assertThat(h.extractOutputValues()).extracting(Event::eventId).containsExactly("new");

            // the ids' own timers fire and find nothing; the shards' sweeps remove them
            h.processWatermark(1_000 + ids + HORIZON + 1);
            Event again = TestEvents.touch("crm", "old-0", 1_000 + ids + HORIZON + 5, 4);
            h.processElement(new StreamRecord<>(again, again.occurredAt()));
            assertThat(h.extractOutputValues()).extracting(Event::eventId).containsExactly("new", "old-0");
            h.processWatermark(10_000 + 2 * HORIZON + HORIZON / 2);
            assertThat(DeduplicatorTest.held(h)).containsExactly(0, 0);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
