package dev.revstream.job.quality;

import dev.revstream.job.sums.Presums;
import dev.revstream.model.ErrorCode;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the data-quality samples of one operator before the counter's {@code keyBy}: samples of the
 * same dimension value, ingestion-time window, outcome and error code become one sample with their
 * count, so the counter's {@code all} key gets a record per window and outcome instead of one per
 * event (the two-phase aggregation of Flink SQL). Chained to the operator whose samples it sums.
 *
 * <p>Sums are sent as {@link Presums} says; each carries the latest {@code ingestedAt} of its samples
 * (the counter's ingestion clock sees the same latest time), and they go out in that order.
 */
public class QualitySums extends Presums<QualitySample> {
    private static final long serialVersionUID = 1L;

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
        sums = new HashMap<>();
        super.open();
    }

    @Override
    protected void add(StreamRecord<QualitySample> record) {
        QualitySample s = record.getValue();
        Group g = new Group(s.dimension(), Math.floorDiv(s.ingestedAt(), windowMillis), s.outcome(), s.code());
        long[] sum = sums.get(g);
        if (sum == null) {
            sums.put(g, new long[] {s.count(), s.ingestedAt()});
        } else {
            sum[0] += s.count();
            sum[1] = Math.max(sum[1], s.ingestedAt());
        }
    }

    @Override
    protected int held() {
        return sums.size();
    }

    @Override
    protected List<StreamRecord<QualitySample>> takeSums() {
        List<QualitySample> out = new ArrayList<>(sums.size());
        sums.forEach((g, sum) -> out.add(new QualitySample(g.dimension(), sum[1], g.outcome(), g.code(), sum[0])));
        sums.clear();
        out.sort(Comparator.comparingLong(QualitySample::ingestedAt));
        List<StreamRecord<QualitySample>> records = new ArrayList<>(out.size());
        out.forEach(s -> records.add(new StreamRecord<>(s)));
        return records;
    }
}
