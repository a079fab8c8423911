package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.Event;
import dev.revstream.model.TestEvents;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private static final long HORIZON = Duration.ofDays(7).toMillis();
    private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Deduplicator(HORIZON, Duration.ofDays(30))),
                Event::dedupKey,
                Types.STRING);
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
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    }

    @Test
    void shouldForgetAKeyOnceTheWatermarkIsMoreThanTheHorizonPastIt() throws Exception {
        send(TestEvents.touch("hubspot", "e1", 1_000, 1));
        harness.processWatermark(1_000 + HORIZON);
        assertThat(harness.numKeyedStateEntries())
                .as("exactly the horizon: still remembered")
                .isEqualTo(1);
        send(TestEvents.touch("hubspot", "e1", 1_000 + HORIZON + 10, 2));
        assertThat(passed()).containsExactly("e1");

        harness.processWatermark(1_000 + HORIZON + 1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        // after the horizon a copy counts as a new event (this one is not behind the watermark)
        send(TestEvents.touch("hubspot", "e1", 2_000 + HORIZON, 3));
        assertThat(passed()).containsExactly("e1", "e1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
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
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
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
