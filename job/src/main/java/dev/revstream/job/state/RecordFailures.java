package dev.revstream.job.state;

import dev.revstream.kafka.OutputJson;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The {@code RECORD_FAILED} dead letters of the job's functions: what one record's processing, or one
 * firing, threw where no rule of the contract rejects anything (a bug). The functions undo the call's
 * state writes themselves ({@code job/state/StagedState}); this says what failed, with the exception.
 */
public final class RecordFailures {
    private RecordFailures() {}

    /** Fault injection for tests: a bug to be, on the records it matches. */
    public interface Fault<T> extends Serializable {
        boolean hits(T record);
    }

    /** The exception's class and (at most 500 characters of) its message. */
    public static String describe(Throwable ex) {
        String m = ex.getMessage();
        return ex.getClass().getName() + (m == null ? "" : ": " + (m.length() > 500 ? m.substring(0, 500) + "..." : m));
    }

    /**
     * An input event whose processing threw: it points to the event's topic, partition and offset, and its
     * payload is the normalized event.
     *
     * @param key the key the function was at
     */
    public static DeadLetter ofEvent(Event e, String key, String message) {
        return ofEvent(ErrorCode.RECORD_FAILED, e, key, message);
    }

    /** A normalized event turned away by a keyed function with {@code code}: the payload is the event. */
    public static DeadLetter ofEvent(ErrorCode code, Event e, String key, String message) {
        byte[] payload = OutputJson.event(e);
        return new DeadLetter(
                code,
                null,
                null,
                message,
                e.source(),
                System.currentTimeMillis(),
                e.topic(),
                e.partition(),
                e.offset(),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                e.ingestedAt(),
                payload,
                payload.length,
                null,
                false);
    }

    /**
     * A computation with no input record to point to (a firing, a derived fact): {@code topic} is
     * {@code <stage>:<key>}, the key is the payload, {@code at} its event time.
     */
    public static DeadLetter ofComputation(String stage, String key, long at, String message) {
        byte[] payload = key.getBytes(StandardCharsets.UTF_8);
        return new DeadLetter(
                ErrorCode.RECORD_FAILED,
                null,
                null,
                message,
                "revstream-" + stage,
                System.currentTimeMillis(),
                stage + ":" + key,
                -1,
                -1,
                payload,
                at,
                payload,
                payload.length,
                null,
                false);
    }
}
