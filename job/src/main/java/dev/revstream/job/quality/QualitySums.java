package dev.revstream.job.quality;

import dev.revstream.model.ErrorCode;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the data-quality samples of one operator before the counter's {@code keyBy}: samples of the
 * same dimension value, ingestion-time window, outcome and error code become one sample with their
 * count, so the counter's {@code all} key gets a record per window and outcome instead of one per
 * event (the two-phase aggregation of Flink SQL). Chained to the operator whose samples it sums.
 *
 * <p>A sum is sent when the watermark advances (before the watermark), every {@link #FLUSH_MILLIS}
 * of processing time (a live input's watermark may hold still while samples come), before each
 * checkpoint barrier, at the end of the input, and when {@link #MAX_SUMS} are held; it carries the latest
 * {@code ingestedAt} of its samples (the counter's ingestion clock sees the same latest time), and
 * sums go out in that order. No state: nothing it holds outlives a checkpoint.
 */
public class QualitySums extends AbstractStreamOperator<QualitySample>
        implements OneInputStreamOperator<QualitySample, QualitySample> {
    private static final long serialVersionUID = 1L;

    /** The most sums held between flushes. */
    static final int MAX_SUMS = 1_000;

    /** The longest a sample waits, in processing time. */
    static final long FLUSH_MILLIS = 100;

    private final long windowMillis;
    private transient Map<Group, long[]> sums;

    private record Group(String dimension, long windowStart, QualityOutcome outcome, ErrorCode code) {}

    /** @param windowMillis the data-quality window: samples in the same one are summed */
    public QualitySums(long windowMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("the data-quality window must be positive");
        }
        this.windowMillis = windowMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
        flushLater();
    }

    private void flushLater() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + FLUSH_MILLIS, t -> {
            flush();
            flushLater();
        });
    }

    @Override
    public void processElement(StreamRecord<QualitySample> record) throws Exception {
        QualitySample s = record.getValue();
        Group g = new Group(s.dimension(), Math.floorDiv(s.ingestedAt(), windowMillis), s.outcome(), s.code());
        long[] sum = sums.get(g);
        if (sum == null) {
            if (sums.size() >= MAX_SUMS) {
                flush();
            }
            sums.put(g, new long[] {s.count(), s.ingestedAt()});
        } else {
            sum[0] += s.count();
            sum[1] = Math.max(sum[1], s.ingestedAt());
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (sums.isEmpty()) {
            return;
        }
        List<QualitySample> out = new ArrayList<>(sums.size());
        sums.forEach((g, sum) -> out.add(new QualitySample(g.dimension(), sum[1], g.outcome(), g.code(), sum[0])));
        sums.clear();
        out.sort(Comparator.comparingLong(QualitySample::ingestedAt));
        for (QualitySample s : out) {
            output.collect(new StreamRecord<>(s));
        }
    }
}
