package dev.revstream.job.journey;

import dev.revstream.job.state.RecordFailures;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Instant;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journey's dead letters for what it could not apply: an event whose processing threw, a firing that
 * threw with no event to blame (and the events that waited for it), an event past the most one instant of
 * an account takes. Each is a dead letter with its code and a message saying what happened to the account,
 * counted in data quality; nothing here touches state (the caller has undone the call's writes).
 *
 * <p>Failures after a call was undone are sent at once on the context; {@link #instantFull} belongs to a
 * firing under way, so it goes with the firing's held outputs.
 */
final class JourneyFailures {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyFunction.class);

    private final Counter recordFailures;

    JourneyFailures(Counter recordFailures) {
        this.recordFailures = recordFailures;
    }

    /** An event's identity in messages and in a firing's set of excluded events. */
    static String identity(Event e) {
        return e.source() + "/" + e.eventId();
    }

    /** An instant in messages: ISO-8601, or "none". */
    static String instant(Long at) {
        return at == null || at == Long.MIN_VALUE
                ? "none"
                : Instant.ofEpochMilli(at).toString();
    }

    /** An event whose processing threw: a dead letter with the exception. */
    void recordFailed(Event e, Throwable ex, KeyedProcessFunction<String, Event, JourneyUpdate>.Context ctx) {
        LOG.warn("account {}: event {} failed and is a dead letter", ctx.getCurrentKey(), identity(e), ex);
        eventFailed(
                e,
                "applying " + e.type() + " " + identity(e) + " to account " + ctx.getCurrentKey() + " failed: "
                        + RecordFailures.describe(ex)
                        + "; the account's state is as it was before it, the job goes on (the payload is the"
                        + " normalized event)",
                ctx);
    }

    /** A firing that failed where no event is to blame: a dead letter of its own; the account stays as it was. */
    void firingFailed(long t, Throwable ex, KeyedProcessFunction<String, Event, JourneyUpdate>.Context ctx) {
        String accountId = ctx.getCurrentKey();
        LOG.warn("account {}: the firing at {} failed", accountId, instant(t), ex);
        recordFailures.inc();
        ctx.output(
                JourneyFunction.DEAD_LETTERS,
                RecordFailures.ofComputation(
                        "journey",
                        accountId,
                        t,
                        "account " + accountId + " at " + instant(t) + ": its firing failed: "
                                + RecordFailures.describe(ex)
                                + "; the account's state is as it was before it, the job goes on"));
    }

    /**
     * The events that waited, up to {@code upTo}, for a firing that failed with no event to blame: its timer
     * is spent, so they would wait for good; each is a dead letter instead.
     */
    void stranded(
            List<Event> stranded,
            long upTo,
            Throwable ex,
            KeyedProcessFunction<String, Event, JourneyUpdate>.Context ctx) {
        for (Event e : stranded) {
            eventFailed(
                    e,
                    "the firing of account " + ctx.getCurrentKey() + " at " + instant(upTo)
                            + " failed with no event to blame: " + RecordFailures.describe(ex)
                            + "; this event waited to be applied by it, the account's state is as it was before it,"
                            + " the job goes on (the payload is the normalized event)",
                    ctx);
        }
    }

    /** An event past the most one account takes at one instant: an {@code INSTANT_FULL} dead letter of the firing. */
    static void instantFull(Event e, String accountId, HeldOutputs held) {
        held.side(
                JourneyFunction.DEAD_LETTERS,
                RecordFailures.ofEvent(
                        ErrorCode.INSTANT_FULL,
                        e,
                        accountId,
                        "account " + accountId + " has " + ErrorCode.MAX_EVENTS_PER_INSTANT
                                + " events at " + instant(e.occurredAt()) + " already, the most one account"
                                + " takes at one millisecond; stamp events more finely (the payload is the"
                                + " normalized event)"));
        QualitySample.emit(
                e.source(),
                e.ingestedAt(),
                QualityOutcome.REJECTED,
                ErrorCode.INSTANT_FULL,
                s -> held.side(JourneyFunction.QUALITY, s));
    }

    /** An event that is a {@code RECORD_FAILED} dead letter with {@code message}, counted in data quality. */
    private void eventFailed(Event e, String message, KeyedProcessFunction<String, Event, JourneyUpdate>.Context ctx) {
        recordFailures.inc();
        ctx.output(JourneyFunction.DEAD_LETTERS, RecordFailures.ofEvent(e, ctx.getCurrentKey(), message));
        QualitySample.emit(
                e.source(),
                e.ingestedAt(),
                QualityOutcome.REJECTED,
                ErrorCode.RECORD_FAILED,
                s -> ctx.output(JourneyFunction.QUALITY, s));
    }
}
