package dev.revstream.job.time;

import java.io.Serializable;

/**
 * What one source subtask read last, over all of its partitions: how far behind the wall clock that
 * record was read (against its Kafka timestamp) and when, on the input's activity clock. Shared by the
 * {@link LiveWatermarks} of the subtask's partitions (one instance per subtask: each deserializes the
 * watermark strategy that holds it), so that a partition quiet only because the subtask is busy reading
 * the others' backlog is not taken for caught up.
 *
 * <p>Assumes the generators of one subtask run in its source thread, one at a time.
 */
public final class SubtaskReads implements Serializable {
    private static final long serialVersionUID = 1L;

    private boolean readAny;
    private long lagMillis;
    private long readAt;
    /** The activity clock of the partition that read it (each partition has its own). */
    private LiveWatermarks.Clock readOn;

    /**
     * A record read at {@code at} on {@code clock} (the reading partition's activity clock), {@code lagMillis}
     * after it was written.
     */
    void read(long lagMillis, LiveWatermarks.Clock clock, long at) {
        this.readAny = true;
        this.lagMillis = lagMillis;
        this.readOn = clock;
        this.readAt = at;
    }

    /** Whether any partition of the subtask has read a record with a Kafka timestamp. */
    boolean readAny() {
        return readAny;
    }

    /**
     * Whether what the subtask has not read yet can be within {@code toleranceMillis} of the wall clock:
     * its last record was read that soon after it was written, or the subtask has been free to read for
     * {@code idleMillis} more than that record's lag (at most twice {@code idleMillis} in all) since and found
     * nothing (on the reading partition's clock).
     */
    boolean caughtUp(long toleranceMillis, long idleMillis) {
        // the lag counts up to the idle timeout: a record hours old (read after an outage) must not hold for hours
        return !readAny
                || lagMillis <= toleranceMillis
                || readOn.now() - readAt >= idleMillis + Math.min(lagMillis, idleMillis);
    }
}
