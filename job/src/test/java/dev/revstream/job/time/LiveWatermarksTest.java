package dev.revstream.job.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class LiveWatermarksTest {
    private long now = 1_000_000;
    private final Recorder out = new Recorder();

    static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark w) {
            watermarks.add(w.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }

    @Test
    void shouldTrailTheLargestValidTimeByTheOutOfOrderness() {
        LiveWatermarks<String> g = new LiveWatermarks<>(30_000, 0, false, () -> now);
        g.onEvent("a", 100_000, out);
        g.onEvent("b", 90_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(100_000 - 30_000 - 1);
    }

    @Test
    void shouldIgnoreRecordsWithoutAValidTime() {
        LiveWatermarks<String> g = new LiveWatermarks<>(0, 0, false, () -> now);
        g.onEvent("valid", 100_000, out);
        g.onEvent("dead letter", Long.MIN_VALUE, out);
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(99_999L);
    }

    @Test
    void shouldFollowTheWallClockOnceQuietWhenLive() {
        LiveWatermarks<String> g = new LiveWatermarks<>(1_000, 5_000, true, () -> now);
        g.onEvent("a", 500_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(498_999);
        now += 4_999;
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).hasSize(1);
        now += 1;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_000 - 1);
        assertThat(out.idle).isFalse();
    }

    @Test
    void shouldMarkAQuietPartitionIdleWithoutMovingEventTimeWhenNotFollowing() {
        LiveWatermarks<String> g = new LiveWatermarks<>(1_000, 5_000, false, () -> now);
        g.onEvent("a", 500_000, out);
        g.onPeriodicEmit(out);
        now += 5_000;
        g.onPeriodicEmit(out);
        assertThat(out.idle).isTrue();
        assertThat(out.watermarks).containsExactly(498_999L);
        g.onEvent("b", 400_000, out);
        assertThat(out.idle).isFalse();
    }

    @Test
    void shouldNeverGoBackwards() {
        LiveWatermarks<String> g = new LiveWatermarks<>(0, 1_000, true, () -> now);
        now += 2_000;
        g.onPeriodicEmit(out); // follows the wall clock: now - 1
        long followed = out.last();
        g.onEvent("old", 5_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(followed);
    }

    /** A record's Kafka timestamp, encoded in the test record: "name@writtenAt". */
    private static long written(String record) {
        return Long.parseLong(record.substring(record.indexOf('@') + 1));
    }

    private LiveWatermarks<String> caughtUpTracking(boolean cap) {
        return new LiveWatermarks<>(
                1_000, 5_000, true, cap, 60_000, () -> now, () -> now, LiveWatermarksTest::written, new SubtaskReads());
    }

    /** Caught-up tracking and a cap (out-of-orderness 1 s, idle 5 s) on the activity clock {@code active}. */
    private LiveWatermarks<String> tracking(long graceMillis, long[] active, SubtaskReads subtask) {
        return new LiveWatermarks<>(
                1_000,
                5_000,
                true,
                true,
                graceMillis,
                () -> now,
                () -> active[0],
                LiveWatermarksTest::written,
                subtask);
    }

    @Test
    void shouldNotLetAnEventFromTheFutureMoveEventTimePastTheWallClock() {
        LiveWatermarks<String> g = caughtUpTracking(true);
        g.onEvent("future@" + now, now + 3_600_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_000 - 1);
        LiveWatermarks<String> uncapped = caughtUpTracking(false);
        Recorder other = new Recorder();
        uncapped.onEvent("future@" + now, now + 3_600_000, other);
        uncapped.onPeriodicEmit(other);
        assertThat(other.last()).isEqualTo(now + 3_600_000 - 1_000 - 1);
    }

    @Test
    void shouldFollowTheWallClockWhenQuietOnlyAfterReadingCaughtUp() {
        LiveWatermarks<String> g = caughtUpTracking(true);
        // reading a backlog: records written ten minutes before they are read
        g.onEvent("backlog@" + (now - 600_000), now - 700_000, out);
        now += 5_000;
        g.onPeriodicEmit(out);
        assertThat(out.last()).as("quiet while behind: event time holds").isEqualTo(now - 5_000 - 700_000 - 1_001);
        // caught up: the last record was read just after it was written
        g.onEvent("fresh@" + (now - 200), now - 300, out);
        now += 5_000;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_001);
    }

    @Test
    void shouldHoldEventTimeAfterAStartWithoutInputUntilTheGracePasses() {
        LiveWatermarks<String> g = caughtUpTracking(true);
        long started = now;
        now += 59_999;
        g.onPeriodicEmit(out);
        assertThat(out.watermarks)
                .as("a restore: the backlog may be on its way")
                .isEmpty();
        now = started + 60_000;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_001);
    }

    @Test
    void shouldNotCountTimeBackpressuredAsQuiet() {
        long[] active = {0}; // the input's activity clock: stands still while the source is backpressured
        LiveWatermarks<String> g = tracking(60_000, active, new SubtaskReads());
        g.onEvent("fresh@" + (now - 100), now - 100, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 100 - 1_001);
        // a minute behind: nothing read, but the input was backpressured the whole time (its records wait in Kafka)
        now += 60_000;
        active[0] += 4_999;
        g.onPeriodicEmit(out);
        assertThat(out.last()).as("a backlog is not quiet: event time holds").isEqualTo(now - 60_000 - 100 - 1_001);
        // free to read, and nothing came for the idle timeout: quiet, so event time follows the wall clock
        active[0] += 1;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_001);
    }

    @Test
    void shouldMeasureTheStartupGraceOnTheActivityClock() {
        long[] active = {0};
        LiveWatermarks<String> g = tracking(60_000, active, new SubtaskReads());
        now += 120_000;
        active[0] += 59_999; // backpressured for the rest: a restore's backlog may be on its way
        g.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
        active[0] += 1;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_001);
    }

    @Test
    void shouldNotTakeAPartitionForQuietWhileItsSubtaskReadsABacklog() {
        long[] active = {0};
        SubtaskReads subtask = new SubtaskReads();
        LiveWatermarks<String> quiet = tracking(60_000, active, subtask);
        LiveWatermarks<String> busy = tracking(60_000, active, subtask);
        Recorder busyOut = new Recorder();
        quiet.onEvent("fresh@" + (now - 100), now - 100, out);
        quiet.onPeriodicEmit(out);
        long held = out.last();
        // the subtask, short of CPU, reads the other partition's records 8 s after they were written: this
        // partition's own may be waiting unfetched too
        for (int i = 0; i < 6; i++) {
            now += 1_000;
            active[0] += 1_000;
            busy.onEvent("behind@" + (now - 8_000), now - 8_000, busyOut);
            quiet.onPeriodicEmit(out);
        }
        assertThat(out.last())
                .as("quiet for 6 s, but its subtask is 8 s behind")
                .isEqualTo(held);
        // the subtask catches up: the other partition's records are read as they are written
        now += 1_000;
        active[0] += 1_000;
        busy.onEvent("fresh@" + (now - 200), now - 200, busyOut);
        quiet.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_001);
    }

    @Test
    void shouldFollowOnceItsSubtaskFoundNothingForTheIdleTimeoutPastItsLastLag() {
        long[] active = {0};
        SubtaskReads subtask = new SubtaskReads();
        LiveWatermarks<String> g = tracking(60_000, active, subtask);
        // its last record was read 4 s after it was written (caught up by its own measure), then nothing comes
        g.onEvent("late-read@" + (now - 4_000), now - 4_000, out);
        long held = now - 4_000 - 1_001;
        now += 8_999;
        active[0] += 8_999;
        g.onPeriodicEmit(out);
        assertThat(out.last())
                .as("what was written in the 4 s behind it may still come")
                .isEqualTo(held);
        now += 1;
        active[0] += 1;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(now - 1_001);
    }

    @Test
    void shouldNotLetAGeneratorWithoutRecordsOverrideThePartitionsWhileItsSubtaskReads() {
        long[] active = {0};
        SubtaskReads subtask = new SubtaskReads();
        // Flink's main-output generator: created beside the partitions' from the same strategy, it never sees a
        // record from the Kafka reader, and Flink keeps the larger of its watermark and the partitions' smallest
        LiveWatermarks<String> main = tracking(10_000, active, subtask);
        LiveWatermarks<String> backlog = tracking(10_000, active, subtask);
        LiveWatermarks<String> fresh = tracking(10_000, active, subtask);
        Recorder partitions = new Recorder();
        for (int i = 0; i < 30; i++) {
            now += 1_000;
            active[0] += 1_000;
            // one partition reads a backlog ten minutes behind, the other records as they are written
            backlog.onEvent("backlog@" + (now - 600_000), now - 600_000, partitions);
            fresh.onEvent("fresh@" + (now - 100), now - 100, partitions);
            main.onPeriodicEmit(out);
        }
        assertThat(out.watermarks)
                .as("past the start-up grace and quiet, it must not move event time past the backlog")
                .isEmpty();
        assertThat(out.idle).isTrue();
    }

    @Test
    void shouldHoldForABacklogsLastRecordOnlyUntilTheStartupGracePasses() {
        now = 1_800_000_000_000L; // Kafka timestamps an hour back must be valid ones
        long[] active = {0};
        LiveWatermarks<String> g = tracking(10_000, active, new SubtaskReads());
        // after an outage: the partition's last record, written an hour ago, read now; then nothing more comes
        g.onEvent("backlog@" + (now - 3_600_000), now - 3_600_000, out);
        long held = now - 3_600_000 - 1_001;
        now += 9_999;
        active[0] += 9_999;
        g.onPeriodicEmit(out);
        assertThat(out.last())
                .as("quiet while reading a backlog: event time holds")
                .isEqualTo(held);
        now += 1;
        active[0] += 1;
        g.onPeriodicEmit(out);
        assertThat(out.last())
                .as("free to read for the start-up grace, nothing came: not an hour more")
                .isEqualTo(now - 1_001);
    }
}
