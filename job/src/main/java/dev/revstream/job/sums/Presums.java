package dev.revstream.job.sums;

import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The first phase of a two-phase aggregation (as in Flink SQL), chained before a {@code keyBy}: a
 * subclass adds records up into sums it holds, and this sends them on before the watermark advances,
 * every {@link #FLUSH_MILLIS} of processing time (a live input's watermark may hold still), before
 * each checkpoint barrier, at the end of the input and when {@link #MAX_SUMS} are held. No state:
 * nothing it holds outlives a checkpoint.
 */
public abstract class Presums<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** The most sums held between flushes. */
    public static final int MAX_SUMS = 1_000;

    /** The longest a record waits, in processing time. */
    public static final long FLUSH_MILLIS = 100;

    /** Adds the record to the sums held, or sends it on at once ({@link #output}). */
    protected abstract void add(StreamRecord<T> record) throws Exception;

    /** How many sums are held. */
    protected abstract int held();

    /** The sums held, in the order to send them; none are held after. */
    protected abstract List<StreamRecord<T>> takeSums();

    @Override
    public void open() throws Exception {
        super.open();
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
    public void processElement(StreamRecord<T> record) throws Exception {
        if (held() >= MAX_SUMS) {
            flush();
        }
        add(record);
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
        if (held() == 0) {
            return;
        }
        for (StreamRecord<T> r : takeSums()) {
            output.collect(r);
        }
    }
}
