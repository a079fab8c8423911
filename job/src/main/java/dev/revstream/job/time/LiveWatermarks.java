package dev.revstream.job.time;

import java.io.Serializable;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for one input partition of a live run: the largest valid event time seen, less the
 * allowed out-of-orderness. Records without a valid time ({@link Long#MIN_VALUE}, i.e. dead
 * letters) are ignored, so one absurd timestamp can never make everything after it late. With
 * {@code capAtWallClock} an event from the future counts as now: it cannot move event time past the
 * wall clock for everyone else (it waits for the clock instead).
 *
 * <p>When the partition has been quiet for {@code idleMillis}: with {@code followWallClock} event
 * time follows the wall clock less the out-of-orderness, so deadline timers fire without traffic,
 * but only while the partition is caught up: its last record was read within
 * {@code idleMillis + outOfOrderness} of being written (its Kafka timestamp). A partition that went
 * quiet while reading a backlog holds event time back instead, for up to {@code startupGraceMillis} of
 * quiet; one that has read nothing since the job (re)started, for up to {@code startupGraceMillis} after
 * the start, so that a restore or a
 * restart after an outage does not turn the backlog behind it late. Without wall-clock following
 * the partition is marked idle (when {@code idleMillis > 0}) so that it does not hold the others
 * back, but it never moves event time by itself. Emitted watermarks never go backwards.
 *
 * <p>Quiet is measured on the input's activity clock ({@code activity}: Flink's, which stands still
 * while the source is backpressured): a job that falls behind reads nothing for seconds while its
 * records wait in Kafka, and following the wall clock then made its own backlog late (every event of it
 * a correction, deadline alerts fired for deals whose activity was still unread).
 *
 * <p>Flink creates one more generator per source subtask than it has partitions, for the reader's main output,
 * and keeps the larger of its watermark and the partitions' smallest; the Kafka reader emits nothing there.
 * So a generator that has read nothing while its subtask has read something (that one, or a partition empty
 * so far) marks itself idle rather than following the wall clock: following, it overrode every partition's
 * hold (a backlog, the start-up grace), and records read more than the out-of-orderness after their writing
 * were late.
 *
 * <p>Nor is a partition quiet because its subtask is busy elsewhere: a subtask short of CPU reads its
 * other partitions' backlog while a partition's own records wait unfetched (not backpressured: the activity
 * clock runs). So a quiet partition follows the wall clock only while its subtask's latest record, from any
 * of its partitions ({@link SubtaskReads}), was read within the out-of-orderness (and a second's slack) of
 * being written (following makes later records at most that second late); or once the subtask has been free
 * to read for {@code idleMillis} plus that record's lag (at most twice {@code idleMillis}) and found nothing.
 */
public class LiveWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMillis;
    private final long idleMillis;
    private final boolean followWallClock;
    private final boolean capAtWallClock;
    private final long startupGraceMillis;
    private final Clock clock;
    private final Clock activity;
    private final WrittenAt<T> writtenAt;
    private final SubtaskReads subtask;

    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;
    /** On the activity clock: when the last record was read, and when the generator started. */
    private long lastRecordAt;

    private final long startedAt;
    private boolean readAny;
    private boolean caughtUp;
    private boolean idle;

    /** The wall clock, injectable for tests. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long now();
    }

    /** When a record was written to Kafka (its timestamp), or {@link Long#MIN_VALUE} if unknown. */
    @FunctionalInterface
    public interface WrittenAt<T> extends Serializable {
        long of(T record);
    }

    /**
     * How much later than the out-of-orderness a healthy subtask may read a record: reading takes a few hundred
     * milliseconds, and a pause (a checkpoint, a collection) a moment more.
     */
    static final long READ_SLACK_MILLIS = 1_000;

    /** Without caught-up tracking or a cap: wall-clock following whenever quiet. */
    public LiveWatermarks(long outOfOrdernessMillis, long idleMillis, boolean followWallClock, Clock clock) {
        this(
                outOfOrdernessMillis,
                idleMillis,
                followWallClock,
                false,
                0,
                clock,
                clock,
                r -> Long.MIN_VALUE,
                new SubtaskReads());
    }

    /**
     * @param capAtWallClock an event time ahead of the wall clock counts as the wall clock
     * @param startupGraceMillis how long a partition that has read nothing yet holds event time back
     * @param activity the input's activity clock (milliseconds, any origin): it stands still while the input
     *     cannot be read (backpressure); quiet and the start-up grace are measured on it
     * @param writtenAt the Kafka timestamp of a record; {@link Long#MIN_VALUE} counts as caught up
     * @param subtask what the subtask read last, shared with the generators of its other partitions
     */
    public LiveWatermarks(
            long outOfOrdernessMillis,
            long idleMillis,
            boolean followWallClock,
            boolean capAtWallClock,
            long startupGraceMillis,
            Clock clock,
            Clock activity,
            WrittenAt<T> writtenAt,
            SubtaskReads subtask) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idleMillis = idleMillis;
        this.followWallClock = followWallClock;
        this.capAtWallClock = capAtWallClock;
        this.startupGraceMillis = startupGraceMillis;
        this.clock = clock;
        this.activity = activity;
        this.writtenAt = writtenAt;
        this.subtask = subtask;
        this.lastRecordAt = activity.now();
        this.startedAt = lastRecordAt;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return;
        }
        long now = clock.now();
        maxTimestamp = Math.max(maxTimestamp, capAtWallClock ? Math.min(eventTimestamp, now) : eventTimestamp);
        lastRecordAt = activity.now();
        readAny = true;
        long written = writtenAt.of(event);
        boolean known = written >= 0; // a record without a Kafka timestamp says -1
        caughtUp = !known || now - written <= idleMillis + outOfOrdernessMillis;
        if (known) {
            subtask.read(now - written, activity, lastRecordAt);
        }
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrdernessMillis - 1;
        long now = clock.now();
        long active = activity.now();
        boolean quiet = idleMillis > 0 && active - lastRecordAt >= idleMillis;
        if (quiet && followWallClock && !readAny && subtask.readAny()) {
            // nothing read here while the subtask reads: Flink's main-output generator (the Kafka reader emits
            // through per-partition outputs only, and Flink keeps the larger of its watermark and theirs), or
            // a partition empty so far; neither may move event time past the partitions that have records
            markIdle(output);
            return;
        }
        if (quiet && followWallClock) {
            // a partition that went quiet reading a backlog holds event time back, for the start-up grace at most:
            // free to read that long (not backpressured, not starved: see SubtaskReads), it has nothing more
            boolean started = readAny
                    ? caughtUp || active - lastRecordAt >= Math.max(idleMillis, startupGraceMillis)
                    : active - startedAt >= startupGraceMillis;
            if (started && subtask.caughtUp(outOfOrdernessMillis + READ_SLACK_MILLIS, idleMillis)) {
                candidate = Math.max(candidate, now - outOfOrdernessMillis - 1);
            }
        } else if (quiet) {
            markIdle(output);
            return;
        }
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }

    private void markIdle(WatermarkOutput output) {
        if (!idle) {
            idle = true;
            output.markIdle();
        }
    }
}
