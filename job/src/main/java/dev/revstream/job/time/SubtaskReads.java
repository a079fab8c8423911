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

    /** A record read at {@code at} (activity clock), {@code lagMillis} after it was written. */
    void read(long lagMillis, long at) {
        this.readAny = true;
        this.lagMillis = lagMillis;
        this.readAt = at;
    }

    /**
     * Whether what the subtask has not read yet can be within {@code toleranceMillis} of the wall clock:
     * its last record was read that soon after it was written, or the subtask has been free to read for
     * {@code idleMillis} more than that record's lag since and found nothing.
     */
    boolean caughtUp(long toleranceMillis, long idleMillis, long activeNow) {
        return !readAny || lagMillis <= toleranceMillis || activeNow - readAt >= idleMillis + lagMillis;
    }
}
