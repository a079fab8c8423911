package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.ingest.EventParser;
import dev.revstream.ingest.TestSettings;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.model.TestEvents;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class IngestRouterTest {

    @Test
    void shouldSplitEventsDeadLettersAndQualitySamplesAndStopHeartbeats() throws Exception {
        try (OneInputStreamOperatorTestHarness<Ingested, Event> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new IngestRouter()))) {
            h.open();
            EventParser parser = new EventParser(TestSettings.ingest());
            Ingested bad =
                    parser.parse(TestSettings.TOUCHPOINTS, 0, 7, null, "{".getBytes(StandardCharsets.UTF_8), 99, 0);
            Ingested unmapped = parser.parse(
                    TestSettings.TOUCHPOINTS,
                    0,
                    8,
                    null,
                    "{\"eventId\":\"e\",\"occurredAt\":1,\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\",\"channel\":\"tv\"}"
                            .getBytes(StandardCharsets.UTF_8),
                    100,
                    0);
            h.processElement(new StreamRecord<>(Ingested.accepted(TestEvents.touch("hubspot", "e1", 1_000, 5), false)));
            h.processElement(new StreamRecord<>(Ingested.accepted(TestEvents.heartbeat(2_000), false)));
            h.processElement(new StreamRecord<>(bad));
            h.processElement(new StreamRecord<>(unmapped));

            assertThat(h.extractOutputValues()).extracting(Event::eventId).containsExactly("e1", "e");
            assertThat(h.getSideOutput(IngestRouter.DEAD_LETTERS))
                    .extracting(r -> r.getValue().offset())
                    .containsExactly(7L);
            assertThat(h.getSideOutput(IngestRouter.QUALITY))
                    .extracting(r -> r.getValue())
                    .filteredOn(s -> s.dimension().equals(QualitySample.ALL))
                    .extracting(QualitySample::outcome)
                    .containsExactly(
                            QualityOutcome.ACCEPTED,
                            QualityOutcome.ACCEPTED,
                            QualityOutcome.REJECTED,
                            QualityOutcome.ACCEPTED,
                            QualityOutcome.CHANNEL_UNMAPPED);
            assertThat(h.getSideOutput(IngestRouter.QUALITY))
                    .extracting(r -> r.getValue())
                    .filteredOn(s -> s.outcome() == QualityOutcome.REJECTED)
                    .extracting(QualitySample::dimension)
                    .containsExactlyInAnyOrder(QualitySample.UNKNOWN_SOURCE, QualitySample.ALL);
        }
    }
}
