package dev.revstream.job.time;

import java.io.Serializable;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for one input partition: the largest valid event time seen, less the allowed
 * out-of-orderness. Records without a valid time ({@link Long#MIN_VALUE}, i.e. dead letters)
 * are ignored, so one absurd timestamp can never make everything after it late.
 *
 * <p>When the partition has been quiet for {@code idleMillis}: with {@code followWallClock} (live
 * runs) event time follows the wall clock less the out-of-orderness, so deadline timers fire
 * without traffic; without it the partition is marked idle (when {@code idleMillis > 0}) so that it
 * does not hold the others back, but it never moves event time by itself. Emitted watermarks never
 * go backwards.
 */
public class LiveWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMillis;
    private final long idleMillis;
    private final boolean followWallClock;
    private final Clock clock;

    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;
    private long lastRecordAt;
    private boolean idle;

    /** The wall clock, injectable for tests. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long now();
    }

    public LiveWatermarks(long outOfOrdernessMillis, long idleMillis, boolean followWallClock, Clock clock) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idleMillis = idleMillis;
        this.followWallClock = followWallClock;
        this.clock = clock;
        this.lastRecordAt = clock.now();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return;
        }
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastRecordAt = clock.now();
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrdernessMillis - 1;
        long now = clock.now();
        boolean quiet = idleMillis > 0 && now - lastRecordAt >= idleMillis;
        if (quiet && followWallClock) {
            candidate = Math.max(candidate, now - outOfOrdernessMillis - 1);
        } else if (quiet) {
            if (!idle) {
                idle = true;
                output.markIdle();
            }
            return;
        }
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}
