package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Where each event is de-duplicated: one that names its account goes to the journey (to be written when
 * applied), the rest to the keyed path; a late one that names its account is routed late here; and after a
 * restore of state from before the journey de-duplicated, events up to the upgrade's time keep the keyed path.
 */
class DedupRouteTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long NOW = System.currentTimeMillis();

    @Test
    void anEventThatNamesItsAccountGoesToTheJourneyTheRestToTheKeyedPath() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, touch("a-1", NOW - DAY).account("acme").build());
            send(h, touch("v-1", NOW - DAY).account(null).anonymous("visitor-1").build());
            send(
                    h,
                    EventBuilder.deal("d-1", "CREATED", NOW - DAY)
                            .id("d-1")
                            .account("acme")
                            .build());
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.eventId()).isEqualTo("a-1");
                assertThat(e.pendingWrite())
                        .as("the journey writes it once applied")
                        .isTrue();
            });
            assertThat(ids(h.getSideOutput(DedupRoute.KEYED))).containsExactly("v-1", "d-1");
        }
    }

    @Test
    void anEventThatNamesItsAccountBehindTheCorrectionHorizonIsLate() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processWatermark(NOW);
            send(h, touch("old", NOW - 8 * DAY).account("acme").build());
            send(h, touch("recent", NOW - 6 * DAY).account("acme").build());
            assertThat(h.getSideOutput(Deduplicator.LATE))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getValue().event().eventId()).isEqualTo("old"));
            assertThat(h.extractOutputValues()).extracting(Event::eventId).containsExactly("recent");
        }
    }

    @Test
    void restoredFromStateOfTheKeyedDeDuplicationEventsUpToTheUpgradesTimeKeepTheKeyedPath() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.initializeState(OperatorSubtaskState.builder().build()); // a restore without this operator's state
            h.open();
            send(h, touch("before", NOW - DAY).account("acme").build());
            // past now + max-future (1 h) + horizon (7 d): no id kept from before can be a copy of it
            send(h, touch("after", NOW + 8 * DAY).account("acme").build());
            assertThat(ids(h.getSideOutput(DedupRoute.KEYED))).containsExactly("before");
            assertThat(h.extractOutputValues()).extracting(Event::eventId).containsExactly("after");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot); // a later restore goes on with the same time
            h.open();
            send(h, touch("again", NOW + 6 * DAY).account("acme").build());
            assertThat(ids(h.getSideOutput(DedupRoute.KEYED))).containsExactly("again");
        }
    }

    @Test
    void restoredFromItsOwnStateOfANewJobEventsGoToTheJourney() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            send(h, touch("a-1", NOW - DAY).account("acme").build());
            assertThat(h.extractOutputValues()).extracting(Event::eventId).containsExactly("a-1");
            assertThat(h.getSideOutput(DedupRoute.KEYED)).isNull();
        }
    }

    private static EventBuilder touch(String id, long at) {
        return EventBuilder.touch("WEB_VISIT", at).id(id);
    }

    private static void send(OneInputStreamOperatorTestHarness<Event, Event> h, Event e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.occurredAt()));
    }

    private static List<String> ids(ConcurrentLinkedQueue<StreamRecord<Event>> out) {
        return out == null
                ? List.of()
                : out.stream().map(r -> r.getValue().eventId()).toList();
    }

    private static OneInputStreamOperatorTestHarness<Event, Event> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new DedupRoute(
                Duration.ofDays(7).toMillis(),
                Duration.ofDays(7).toMillis(),
                Duration.ofHours(1).toMillis())));
    }
}
