package dev.revstream.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.ErrorCode;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualityReport;
import dev.revstream.quality.QualitySample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Summed samples against the samples themselves: the same count per dimension value, window,
 * outcome and code; nothing held across a watermark, a checkpoint barrier or the end of the input;
 * and the counter's reports from the sums equal its reports from every sample.
 */
class QualitySumsTest {
    private static final long HOUR = 3_600_000;
    private static final long GRACE = 60_000;
    private static final List<String> DIMENSIONS = List.of("all", "hubspot", "stripe");

    @Test
    void sumsCountWhatTheSamplesCountAndNothingWaitsPastAWatermarkOrABarrier() throws Exception {
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            List<QualitySample> samples = randomSamples(r, 200 + r.nextInt(2_000));
            OneInputStreamOperatorTestHarness<QualitySample, QualitySample> sums =
                    new OneInputStreamOperatorTestHarness<>(new QualitySums(HOUR));
            sums.open();
            long sent = 0;
            for (int i = 0; i < samples.size(); i++) {
                sums.processElement(new StreamRecord<>(samples.get(i)));
                sent += samples.get(i).count();
                switch (r.nextInt(60)) {
                    case 0 -> {
                        sums.processWatermark(new Watermark(i));
                        assertThat(countsBeforeLastWatermark(sums.getOutput()))
                                .as("seed %d: summed before the watermark", seed)
                                .isEqualTo(sent);
                    }
                    case 1 -> {
                        sums.prepareSnapshotPreBarrier(i);
                        assertThat(counted(sums.extractOutputValues()))
                                .as("seed %d: summed before the barrier", seed)
                                .isEqualTo(sent);
                    }
                    default -> {}
                }
            }
            sums.close(); // the end of the input
            List<QualitySample> out = sums.extractOutputValues();
            assertThat(byGroup(out)).as("seed %d", seed).isEqualTo(byGroup(samples));
            assertThat(reports(out)).as("seed %d: the counter's reports", seed).isEqualTo(reports(samples));
        }
    }

    @Test
    void aFullBufferIsSentWithoutWaiting() throws Exception {
        OneInputStreamOperatorTestHarness<QualitySample, QualitySample> sums =
                new OneInputStreamOperatorTestHarness<>(new QualitySums(HOUR));
        sums.open();
        for (int i = 0; i <= QualitySums.MAX_SUMS; i++) {
            sums.processElement(
                    new StreamRecord<>(new QualitySample("all", i * HOUR, QualityOutcome.ACCEPTED, null, 1)));
        }
        assertThat(sums.extractOutputValues()).hasSize(QualitySums.MAX_SUMS);
        sums.close();
    }

    @Test
    void aSampleWaitsAtMostTheFlushIntervalOfProcessingTime() throws Exception {
        OneInputStreamOperatorTestHarness<QualitySample, QualitySample> sums =
                new OneInputStreamOperatorTestHarness<>(new QualitySums(HOUR));
        sums.setProcessingTime(0);
        sums.open();
        sums.processElement(new StreamRecord<>(new QualitySample("all", 5, QualityOutcome.DUPLICATE, null, 1)));
        sums.setProcessingTime(QualitySums.FLUSH_MILLIS - 1);
        assertThat(sums.extractOutputValues()).isEmpty();
        sums.setProcessingTime(QualitySums.FLUSH_MILLIS);
        assertThat(sums.extractOutputValues()).hasSize(1);
        sums.processElement(new StreamRecord<>(new QualitySample("all", 6, QualityOutcome.DUPLICATE, null, 1)));
        sums.setProcessingTime(2 * QualitySums.FLUSH_MILLIS);
        assertThat(sums.extractOutputValues()).as("and again").hasSize(2);
        sums.close();
    }

    private static List<QualitySample> randomSamples(Random r, int n) {
        List<QualitySample> samples = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < n; i++) {
            now += r.nextInt(20_000);
            // ingestion time mostly advances; a sample now and then belongs to a window already passed
            long at = r.nextInt(30) == 0 ? Math.max(0, now - r.nextInt(3) * HOUR) : now;
            QualityOutcome o = QualityOutcome.values()[r.nextInt(QualityOutcome.values().length)];
            ErrorCode code = o == QualityOutcome.REJECTED ? ErrorCode.values()[r.nextInt(3)] : null;
            samples.add(new QualitySample(DIMENSIONS.get(r.nextInt(DIMENSIONS.size())), at, o, code, 1));
        }
        return samples;
    }

    private static Map<String, Long> byGroup(List<QualitySample> samples) {
        Map<String, Long> counts = new TreeMap<>();
        for (QualitySample s : samples) {
            counts.merge(
                    s.dimension() + "|" + Math.floorDiv(s.ingestedAt(), HOUR) + "|" + s.outcome() + "|" + s.code(),
                    s.count(),
                    Long::sum);
        }
        return counts;
    }

    private static long counted(List<QualitySample> samples) {
        return samples.stream().mapToLong(QualitySample::count).sum();
    }

    private static long countsBeforeLastWatermark(Iterable<Object> output) {
        long total = 0;
        long beforeWatermark = 0;
        for (Object o : output) {
            if (o instanceof StreamRecord<?> rec && rec.getValue() instanceof QualitySample s) {
                total += s.count();
            } else if (o instanceof Watermark) {
                beforeWatermark = total;
            }
        }
        return beforeWatermark;
    }

    /** The counter's final figures per dimension value and window (reports and corrections added up). */
    private static Map<String, List<Long>> reports(List<QualitySample> samples) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, QualitySample, QualityReport> counter =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DataQualityCounter(HOUR, GRACE, false, 10_000)),
                        QualitySample::dimension,
                        Types.STRING);
        counter.open();
        for (QualitySample s : samples) {
            counter.processElement(new StreamRecord<>(s, 0));
        }
        counter.processWatermark(Long.MAX_VALUE);
        Map<String, List<Long>> figures = new TreeMap<>();
        for (QualityReport q : counter.extractOutputValues()) {
            List<Long> now = new ArrayList<>(List.of(
                    q.eventsAccepted(),
                    q.eventsRejected(),
                    q.duplicates(),
                    q.lateEvents(),
                    q.ignoredEvents(),
                    q.channelsUnmapped()));
            for (long byCode : q.rejectedByCode()) {
                now.add(byCode);
            }
            figures.merge(q.dimension() + "|" + q.windowStart(), now, (a, b) -> {
                List<Long> sum = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    sum.add(a.get(i) + b.get(i));
                }
                return sum;
            });
        }
        counter.close();
        return figures;
    }
}
