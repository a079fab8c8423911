package dev.revstream.job.journey;

import dev.revstream.alerts.Alert;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.EventOrder;
import dev.revstream.journey.JourneyCorrection;
import dev.revstream.journey.JourneySettings;
import dev.revstream.model.Event;
import dev.revstream.model.LateEvent;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account corrected with its late events (events at or before where it fired, after its correction
 * snapshot): rewound to the snapshot, its log replayed without and with them ({@link AccountLog#rewind}),
 * and the difference held as the firing's outputs: withdrawn and late alerts, retracted and new updates,
 * credits, KPI facts and recommendations. An event before the snapshot, or one whose replay failed, goes to
 * the late output instead ({@link JourneyFunction#LATE}).
 *
 * <p>Assumes Flink's keyed-state model (the current account only) and a correction horizon (without one
 * there is no log). Holds no state of its own: the log, the late events and the snapshot are
 * {@link AccountLog}'s.
 */
final class LateCorrections {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyFunction.class);

    private final AccountLog log;
    private final AccountValues accounts;
    private final HeldOutputs held;
    private final long horizonMillis;
    private final boolean withRules;
    private final Counter corrections;
    private final LongCounter correctedInRun;
    private final LongCounter lateInRun;
    /** The journey's de-duplication, or null. */
    private final AccountDedup dedup;

    LateCorrections(
            AccountLog log,
            AccountValues accounts,
            HeldOutputs held,
            long horizonMillis,
            boolean withRules,
            Counter corrections,
            LongCounter correctedInRun,
            LongCounter lateInRun,
            AccountDedup dedup) {
        this.log = log;
        this.accounts = accounts;
        this.held = held;
        this.horizonMillis = horizonMillis;
        this.withRules = withRules;
        this.corrections = corrections;
        this.correctedInRun = correctedInRun;
        this.lateInRun = lateInRun;
        this.dedup = dedup;
    }

    /** An event the account can no longer correct with: to the late output, with why. */
    void late(Event e, long watermark, String reason) {
        lateInRun.add(1);
        held.side(JourneyFunction.LATE, new LateEvent(e, watermark, horizonMillis, reason));
    }

    /**
     * Corrects with the late events waiting and returns the corrected account (the live one from now on), or
     * {@code l} as it was when none wait or the replay failed (a bug must not stop the job: the events go to
     * the late output with the error).
     */
    LiveAccount correctWaiting(LiveAccount l, JourneySettings settings, String accountId, long watermark)
            throws Exception {
        AccountState a = l.account();
        List<Event> late = log.takeLate();
        a.lateWaiting = false;
        if (dedup != null && !late.isEmpty()) {
            late.sort(EventOrder.ORDER); // in event-time order, as a replay in order meets them
            late = dedup.firstCopies(late);
            late = late == null ? List.of() : late;
        }
        if (late.isEmpty()) {
            return l;
        }
        AccountLog.Rewind rewind;
        try {
            rewind = log.rewind(a, late, settings, accountId);
        } catch (Exception | LinkageError | AssertionError ex) {
            LOG.warn("account {}: {} late event(s) could not be corrected with", accountId, late.size(), ex);
            if (dedup != null) {
                dedup.notApplied(late);
            }
            for (Event e : late) {
                late(e, watermark, "could not be corrected with: " + ex);
            }
            return l;
        }
        corrections.inc(late.size());
        correctedInRun.add(late.size());
        emit(rewind.correction(), late);
        rewind.retractedActions().forEach(r -> held.side(JourneyFunction.ACTIONS, r.retraction()));
        rewind.actions().forEach(held::recommendation);

        AccountState c = rewind.corrected().journey().account();
        c.keepBookkeepingOf(a, withRules);
        c.appliedThrough = AccountLog.seenThrough(a); // the replays fired through there
        log.keep(c, late);
        return accounts.of(rewind.corrected());
    }

    private void emit(JourneyCorrection c, List<Event> causes) {
        Event first = causes.stream().min(EventOrder.ORDER).orElseThrow();
        String event = first.type() + " (" + first.source() + "/" + first.eventId() + ", occurred "
                + Instant.ofEpochMilli(first.occurredAt()) + ")";
        String because =
                (causes.size() == 1 ? "a late " + event : causes.size() + " late events (the earliest: " + event + ")")
                        + " changed the account's history";
        long receivedAt = causes.stream().mapToLong(Event::ingestedAt).max().orElseThrow();
        for (Alert alert : c.withdrawn()) {
            held.side(JourneyFunction.ALERTS, alert.withdrawn(receivedAt, because));
        }
        for (Alert alert : c.fired()) {
            held.lateAlert(alert.firedLate());
        }
        c.retracted().forEach(u -> held.main(u.retraction()));
        c.updates().forEach(held::main);
        c.retractedCredits().forEach(r -> held.side(JourneyFunction.ATTRIBUTION, r.retraction()));
        c.credits().forEach(r -> held.side(JourneyFunction.ATTRIBUTION, r));
        c.retractedFacts().forEach(f -> held.side(JourneyFunction.FACTS, f.retraction()));
        c.facts().forEach(f -> held.side(JourneyFunction.FACTS, f));
    }
}
