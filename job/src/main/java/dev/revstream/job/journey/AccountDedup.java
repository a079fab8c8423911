package dev.revstream.job.journey;

import dev.revstream.job.RunSummary;
import dev.revstream.job.ingest.SourceCounters;
import dev.revstream.journey.AccountState;
import dev.revstream.model.Event;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The journey's de-duplication of the events it applies ({@link SeenEvents}): drops copies as an
 * instant's events or a batch of late events are taken, and sends the events applied as new that the
 * events topic does not have yet ({@link Event#pendingWrite()}: those that named their account) to
 * {@link JourneyFunction#EVENTS}, through the call's held outputs. Its
 * counts (duplicates, events applied and out by source) are made once the call has succeeded
 * ({@link #committed}), so a firing run again after a failure counts once.
 *
 * <p>Assumes one call at a time; {@link #begin} starts each (and each new attempt of a firing), {@link #attach}
 * gives it the account's value as read, and a call ends in {@link #committed} or {@link #begin} of the next.
 * State: a section of the account's value ({@link SeenEvents}), cleaned as it describes.
 */
final class AccountDedup {
    private final SeenEvents seen;
    private final HeldOutputs held;
    private final boolean withLog;
    private final Counter duplicates;
    private final SourceCounters outBySource;
    private final LongCounter duplicatesInRun;
    private final LongCounter appliedInRun;
    private final List<Event> appliedNow = new ArrayList<>();
    private int duplicatesNow;

    /**
     * @param horizonMillis {@code ingest.dedup-horizon}
     * @param withLog whether the account keeps a correction log (then its snapshot bounds what it can apply)
     */
    AccountDedup(long horizonMillis, boolean withLog, HeldOutputs held, MetricGroup revstream, RuntimeContext ctx) {
        this.seen = new SeenEvents(horizonMillis);
        this.held = held;
        this.withLog = withLog;
        this.duplicates = revstream.counter("duplicates");
        this.outBySource = new SourceCounters(revstream, "eventsOut");
        this.duplicatesInRun = ctx.getLongCounter(RunSummary.DUPLICATES);
        this.appliedInRun = ctx.getLongCounter(RunSummary.APPLIED);
    }

    /** A call (or a firing's new attempt) starts: nothing read, taken or counted yet. */
    void begin() {
        seen.attach(null);
        appliedNow.clear();
        duplicatesNow = 0;
    }

    /** The account's value as this call read it (null for a new account). */
    void attach(LiveAccount account) {
        seen.attach(account == null ? null : account.seen());
    }

    /**
     * The first copies among {@code events} (in their order), each recorded as applied and, unless the events
     * topic has it, sent there; the copies are counted and sampled as duplicates. Returns null for none.
     */
    List<Event> firstCopies(List<Event> events) throws Exception {
        List<Event> kept = new ArrayList<>(events.size());
        for (Event e : events) {
            if (!seen.firstCopy(e)) {
                duplicatesNow++;
                QualitySample.emit(
                        e.source(),
                        e.ingestedAt(),
                        QualityOutcome.DUPLICATE,
                        null,
                        s -> held.side(JourneyFunction.QUALITY, s));
            } else {
                kept.add(e);
                if (e.pendingWrite()) { // else the keyed de-duplication wrote it as it arrived
                    appliedNow.add(e);
                    held.side(JourneyFunction.EVENTS, e);
                }
            }
        }
        return kept.isEmpty() ? null : kept;
    }

    /** Events {@link #firstCopies} took that the account could not apply after all: not seen, not sent. */
    void notApplied(List<Event> events) {
        seen.notApplied(events);
        appliedNow.removeAll(events);
        held.removeSide(JourneyFunction.EVENTS, events);
    }

    /**
     * Puts the account's seen events into the value to be written ({@code account}: the one read, or the
     * corrected one that replaces it), with what the call applied, cleaned down to what the account can still
     * apply: events after its correction snapshot, or (without corrections) after the watermark.
     */
    void write(LiveAccount account, long watermark) {
        AccountState a = account.account();
        long applicableFrom = withLog
                ? (a.snapshotAt == null ? Long.MIN_VALUE : a.snapshotAt)
                : (watermark == Long.MAX_VALUE ? Long.MIN_VALUE : watermark);
        account.seen(seen.section(applicableFrom));
    }

    /** The call succeeded: its events and duplicates count. */
    void committed() {
        for (Event e : appliedNow) {
            outBySource.inc(e.source());
        }
        appliedInRun.add(appliedNow.size());
        duplicates.inc(duplicatesNow);
        duplicatesInRun.add(duplicatesNow);
        begin();
    }
}
