package dev.revstream.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.ErrorCode;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualityReport;
import dev.revstream.quality.QualitySample;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataQualityCounterTest {
    private static final long HOUR = 3_600_000;
    private static final long GRACE = 60_000;
    private KeyedOneInputStreamOperatorTestHarness<String, QualitySample, QualityReport> harness;

    private void open(boolean closeOnWallClock) throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DataQualityCounter(HOUR, GRACE, closeOnWallClock, 10_000)),
                QualitySample::dimension,
                Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void sample(String source, long ingestedAt, QualityOutcome o, ErrorCode code) throws Exception {
        harness.processElement(new StreamRecord<>(new QualitySample(source, ingestedAt, o, code, 1), 0));
    }

    private List<QualityReport> reports() {
        return harness.extractOutputValues();
    }

    @Test
    void shouldReportAWindowOnceIngestionTimeIsGracePastItsEnd() throws Exception {
        open(false);
        sample("hubspot", 10, QualityOutcome.ACCEPTED, null);
        sample("hubspot", 20, QualityOutcome.REJECTED, ErrorCode.NOT_JSON);
        sample("hubspot", 30, QualityOutcome.REJECTED, ErrorCode.NOT_JSON);
        sample("hubspot", 40, QualityOutcome.DUPLICATE, null);
        sample("hubspot", HOUR + GRACE - 1, QualityOutcome.ACCEPTED, null);
        assertThat(reports()).isEmpty();
        sample("hubspot", HOUR + GRACE, QualityOutcome.CHANNEL_UNMAPPED, null);
        assertThat(reports()).hasSize(1);
        QualityReport r = reports().get(0);
        assertThat(r.windowStart()).isZero();
        assertThat(r.windowEnd()).isEqualTo(HOUR);
        assertThat(r.dimension()).isEqualTo("hubspot");
        assertThat(r.eventsAccepted()).isEqualTo(1);
        assertThat(r.eventsRejected()).isEqualTo(2);
        assertThat(r.rejectedByCode()[ErrorCode.NOT_JSON.ordinal()]).isEqualTo(2);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.correction()).isFalse();
        assertThat(harness.numKeyedStateEntries())
                .as("one open window, clock, reported-up-to")
                .isEqualTo(3);
    }

    @Test
    void shouldReportWhatIsLeftWhenABoundedInputEnds() throws Exception {
        open(false);
        sample("all", 10, QualityOutcome.ACCEPTED, null);
        sample("all", 2 * HOUR + 5, QualityOutcome.LATE, null);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(reports()).extracting(QualityReport::windowStart).containsExactly(0L, 2 * HOUR);
        assertThat(reports().get(1).lateEvents()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldEmitAStragglerForAReportedWindowAsACorrection() throws Exception {
        open(false);
        sample("segment", 10, QualityOutcome.ACCEPTED, null);
        sample("segment", HOUR + GRACE, QualityOutcome.ACCEPTED, null);
        sample("segment", 50, QualityOutcome.ACCEPTED, null);
        assertThat(reports()).hasSize(2);
        assertThat(reports().get(1).correction()).isTrue();
        assertThat(reports().get(1).windowStart()).isZero();
        assertThat(reports().get(1).eventsAccepted()).isEqualTo(1);
    }

    @Test
    void shouldCloseAQuietKeysWindowFromTheWallClockInLiveRuns() throws Exception {
        open(true);
        harness.setProcessingTime(0);
        sample("stripe", 10, QualityOutcome.ACCEPTED, null);
        harness.setProcessingTime(HOUR + GRACE + 10_000 - 1);
        assertThat(reports()).isEmpty();
        harness.setProcessingTime(HOUR + GRACE + 10_000);
        assertThat(reports()).hasSize(1);
        assertThat(reports().get(0).eventsAccepted()).isEqualTo(1);
    }
}
