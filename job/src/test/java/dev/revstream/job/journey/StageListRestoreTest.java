package dev.revstream.job.journey;

import static dev.revstream.model.EventBuilder.deal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.StageConfig;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Deals in state hold positions in {@code deals.stages}: state restored under another list stops the job
 * at start-up, without restarts, naming both lists; under the same list it restores and goes on.
 */
class StageListRestoreTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> harness(JourneySettings s)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new JourneyFunction(s, Duration.ZERO)), Event::accountId, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static OperatorSubtaskState saved() throws Exception {
        try (var h = harness(TestJourneySettings.defaults())) {
            h.open();
            h.processElement(new StreamRecord<>(
                    deal("d1", "CREATED", T0)
                            .account("acct-1")
                            .stage("PROPOSAL")
                            .amount(5_000)
                            .build(),
                    T0));
            h.processWatermark(T0 + 1);
            assertThat(h.extractOutputValues()).isNotEmpty();
            return h.snapshot(1, T0 + 2);
        }
    }

    @Test
    void aChangedStageListStopsTheRestoreAndTheSameOneGoesOn() throws Exception {
        OperatorSubtaskState state = saved();

        List<StageConfig> reordered =
                new ArrayList<>(TestJourneySettings.defaults().stages());
        reordered.add(0, reordered.remove(3)); // PROPOSAL first: the saved deal's position now means another stage
        try (var h = harness(TestJourneySettings.withStages(reordered))) {
            h.setup();
            assertThatThrownBy(() -> h.initializeState(state))
                    .isInstanceOf(SuppressRestartsException.class)
                    .cause()
                    .hasMessageContaining("deals.stages changed since the state was saved")
                    .hasMessageContaining("[QUALIFICATION, DISCOVERY, SOLUTION, PROPOSAL, NEGOTIATION]")
                    .hasMessageContaining("now [PROPOSAL, QUALIFICATION, DISCOVERY, SOLUTION, NEGOTIATION]");
        }

        try (var h = harness(TestJourneySettings.defaults())) {
            h.setup();
            h.initializeState(state);
            h.open();
            h.processElement(new StreamRecord<>(
                    deal("d1", "STAGE_CHANGED", T0 + 10)
                            .account("acct-1")
                            .stage("NEGOTIATION")
                            .build(),
                    T0 + 10));
            h.processWatermark(T0 + 11);
            assertThat(h.extractOutputValues())
                    .anySatisfy(u -> assertThat(u.toString()).contains("NEGOTIATION"));
        }
    }
}
