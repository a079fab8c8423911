package dev.revstream.job.quality;

import dev.revstream.quality.QualityReport;
import dev.revstream.quality.QualitySample;
import dev.revstream.quality.QualityTally;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts data-quality outcomes per dimension value (key: a source or {@code all}) in tumbling
 * windows of <em>ingestion time</em> (the Kafka record timestamp), so that replaying the same log
 * gives the same counts whatever the event times say.
 *
 * <p>Ingestion time advances with the samples themselves: a window is reported once a sample at
 * least {@code grace} past its end has been seen for the key. Because a key can go quiet, a live
 * run ({@code closeOnWallClock}) also closes windows from a processing-time timer once the wall
 * clock is past end + grace + idle timeout; a bounded run reports what is left when its input
 * ends (the final watermark). A sample for a window already reported is emitted at once as a
 * {@code correction} record, never dropped.
 *
 * <p>State: the open windows' tallies (removed when reported), plus two longs per key (the
 * ingestion clock and the end of the last reported window), which the number of sources bounds.
 */
public class DataQualityCounter extends KeyedProcessFunction<String, QualitySample, QualityReport> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long graceMillis;
    private final boolean closeOnWallClock;
    private final long idleMillis;

    private transient MapState<Long, long[]> open;
    private transient ValueState<Long> clock;
    private transient ValueState<Long> reportedUpTo;

    public DataQualityCounter(long windowMillis, long graceMillis, boolean closeOnWallClock, long idleMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("the data-quality window must be positive");
        }
        this.windowMillis = windowMillis;
        this.graceMillis = graceMillis;
        this.closeOnWallClock = closeOnWallClock;
        this.idleMillis = idleMillis;
    }

    @Override
    public void open(OpenContext ctx) {
        open = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "open-windows", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        clock = getRuntimeContext().getState(new ValueStateDescriptor<>("ingestion-clock", Types.LONG));
        reportedUpTo = getRuntimeContext().getState(new ValueStateDescriptor<>("reported-up-to", Types.LONG));
    }

    @Override
    public void processElement(QualitySample s, Context ctx, Collector<QualityReport> out) throws Exception {
        long start = Math.floorDiv(s.ingestedAt(), windowMillis) * windowMillis;
        long end = start + windowMillis;
        Long reported = reportedUpTo.value();
        if (reported != null && end <= reported) {
            out.collect(QualityReport.of(start, end, ctx.getCurrentKey(), QualityTally.add(null, s), true));
        } else {
            long[] tally = open.get(start);
            if (tally == null) {
                // a new window: make sure something closes it even if this key never sees another sample
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
                if (closeOnWallClock) {
                    long now = ctx.timerService().currentProcessingTime();
                    ctx.timerService().registerProcessingTimeTimer(Math.max(now, end + graceMillis) + idleMillis);
                }
            }
            open.put(start, QualityTally.add(tally, s));
        }
        Long seen = clock.value();
        if (seen == null || s.ingestedAt() > seen) {
            clock.update(s.ingestedAt());
            if (seen == null
                    || Math.floorDiv(s.ingestedAt() - graceMillis, windowMillis)
                            != Math.floorDiv(seen - graceMillis, windowMillis)) {
                reportUpTo(s.ingestedAt() - graceMillis, ctx.getCurrentKey(), out);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<QualityReport> out) throws Exception {
        if (timestamp == Long.MAX_VALUE) {
            // the end of a bounded input: everything counted is final
            reportUpTo(Long.MAX_VALUE, ctx.getCurrentKey(), out);
        } else {
            reportUpTo(timestamp - idleMillis - graceMillis, ctx.getCurrentKey(), out);
        }
    }

    /** Reports every open window that ends at or before {@code time}. */
    private void reportUpTo(long time, String key, Collector<QualityReport> out) throws Exception {
        List<Map.Entry<Long, long[]>> due = new ArrayList<>();
        for (Iterator<Map.Entry<Long, long[]>> it = open.iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            if (e.getKey() + windowMillis <= time) {
                due.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(Map.Entry.comparingByKey());
        long upTo = reportedUpTo.value() == null ? Long.MIN_VALUE : reportedUpTo.value();
        for (Map.Entry<Long, long[]> e : due) {
            long end = e.getKey() + windowMillis;
            out.collect(QualityReport.of(e.getKey(), end, key, e.getValue(), false));
            open.remove(e.getKey());
            upTo = Math.max(upTo, end);
        }
        reportedUpTo.update(upTo);
    }
}
