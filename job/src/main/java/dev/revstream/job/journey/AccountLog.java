package dev.revstream.job.journey;

import dev.revstream.actions.Recommendation;
import dev.revstream.actions.RuleBook;
import dev.revstream.actions.RulesReplay;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.JourneyCorrection;
import dev.revstream.journey.JourneyRecording;
import dev.revstream.journey.JourneyReplay;
import dev.revstream.journey.JourneySettings;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;

/**
 * One account's correction log in keyed state: the snapshot of its journey at the start of the
 * correction horizon (one value, {@link AccountSnapshots}), the events applied since (the log: one
 * list, appended at each firing without a read, read whole only to move the snapshot or by a rewind)
 * and the late events waiting for the next firing. It rewinds (replays the log without and with the
 * late events from the snapshot) and moves the snapshot on as the horizon does; what the differences
 * mean for the outputs is the caller's.
 *
 * <p>State cleaning: the snapshot moves on by copies of the live value, not by replays. Once the log
 * is half a horizon old, the value written at the end of a firing is kept as well, as the next
 * snapshot ({@link #afterFiring}); a horizon later it becomes the snapshot and the log keeps only the
 * events after it ({@link #promoteCandidate}). A late event before the kept copy makes it stale: it
 * goes ({@link #keep}). An account quiet for a horizon takes its live value as the snapshot and the log
 * goes ({@link #foldQuiet}). Only where late events kept the copies from ever becoming the snapshot and
 * the log grew three horizons old is it folded by a replay ({@link #foldIfDue}). The log grows only at
 * firings, so no wake-up is needed for it (one would cost a firing per event for the many accounts
 * whose events are further apart than the horizon).
 */
final class AccountLog {
    private final long horizonMillis;
    private final long candidateAfterMillis;
    private final ValueState<byte[]> snapshot;
    private final ValueState<byte[]> candidate;
    private final ListState<Event> events;
    private final MapState<Long, List<Event>> late;
    private final RuleBook rules;
    private final Counter copied;
    private final Counter replayed;
    private final AccountSnapshots snapshots = new AccountSnapshots();

    /**
     * A rewind's outcome: what changes, and the corrected journey and rule state.
     *
     * @param retractedActions recommendations that no longer hold
     * @param actions recommendations that are new
     */
    record Rewind(
            JourneyCorrection correction,
            List<Recommendation> retractedActions,
            List<Recommendation> actions,
            AccountSnapshots.Snapshot corrected) {}

    /**
     * @param candidate the next snapshot: the live value as written at {@code candidateAt}
     * @param events the account's log: the events applied since the snapshot
     * @param late the late events waiting, by time
     * @param rules the rule book, or null for none
     * @param copied counts the snapshots moved on by a copy of the live value
     * @param replayed counts the snapshots moved on by a replay of the log
     */
    AccountLog(
            long horizonMillis,
            ValueState<byte[]> snapshot,
            ValueState<byte[]> candidate,
            ListState<Event> events,
            MapState<Long, List<Event>> late,
            RuleBook rules,
            Counter copied,
            Counter replayed) {
        this.rules = rules;
        this.copied = copied;
        this.replayed = replayed;
        this.horizonMillis = horizonMillis;
        this.candidateAfterMillis = Math.max(1, horizonMillis / 2);
        this.snapshot = snapshot;
        this.candidate = candidate;
        this.events = events;
        this.late = late;
    }

    /**
     * The first firing with corrections on: a new account's snapshot is the empty account; one from
     * before corrections existed (restored state) starts its log here, with its journey as it stands.
     */
    void start(AccountState a, boolean fresh, long t, LiveAccount live) throws Exception {
        if (fresh) {
            a.snapshotAt = Long.MIN_VALUE;
            return;
        }
        // the rules may have run ahead of the journey: an event before where they stand is too late to place
        a.snapshotAt = Math.max(t - 1, a.lastRuleTick == null ? Long.MIN_VALUE : a.lastRuleTick);
        snapshot.update(snapshots.write(new AccountSnapshots.Snapshot(live.journey(), live.rules())));
    }

    /** The last instant the account has seen: its journey's last firing, or further where its rules ran ahead. */
    static long seenThrough(AccountState a) {
        long applied = a.appliedThrough == null ? Long.MIN_VALUE : a.appliedThrough;
        return a.lastRuleTick == null ? applied : Math.max(applied, a.lastRuleTick);
    }

    private RulesReplay replayOf(AccountSnapshots.Snapshot snap, JourneySettings s, String accountId) {
        return rules == null ? null : new RulesReplay(rules, s, accountId, snap.journey(), snap.rules());
    }

    /**
     * At a firing at {@code t}: moves the snapshot to {@code t - horizon} by a replay of the log, if the log
     * has grown three horizons old and no copy is kept to become the snapshot (copies keep the log younger
     * unless late events before them keep making them stale), or four horizons old with one (a safety net:
     * a copy that never became the snapshot).
     */
    void foldIfDue(AccountState a, long t, JourneySettings s, String accountId) throws Exception {
        // with a copy kept, four horizons: a copy that never becomes the snapshot must not hold the log forever
        int horizons = a.candidateAt == null ? FOLD_AFTER_HORIZONS : FOLD_AFTER_HORIZONS + 1;
        if (a.loggedFrom == null || a.loggedFrom > t - horizons * horizonMillis) {
            return;
        }
        long to = t - horizonMillis;
        NavigableMap<Long, List<Event>> folded = new TreeMap<>();
        List<Event> left = new ArrayList<>();
        Long oldestLeft = null;
        for (Event e : events.get()) {
            long at = e.occurredAt();
            if (at <= to) {
                folded.computeIfAbsent(at, k -> new ArrayList<>(1)).add(e);
            } else {
                left.add(e);
                if (at <= a.appliedThrough && (oldestLeft == null || at < oldestLeft)) {
                    oldestLeft = at;
                }
            }
        }
        AccountSnapshots.Snapshot snap = snapshots.read(snapshot.value());
        JourneyReplay.run(
                s,
                accountId,
                snap.journey(),
                folded,
                a.snapshotAt,
                to,
                new JourneyRecording(),
                replayOf(snap, s, accountId),
                to);
        snapshot.update(snapshots.write(snap));
        events.update(left);
        a.snapshotAt = to;
        a.loggedFrom = oldestLeft;
        replayed.inc();
        if (a.candidateAt != null && a.candidateAt <= to) {
            dropCandidate(a);
        }
    }

    /** How old the log grows, without a copy kept (one more with one), before a replay folds it. */
    static final int FOLD_AFTER_HORIZONS = 3;

    /** The account's live value as it stands, encoded only when asked. */
    interface LiveBytes {
        /** The value's bytes, or null for none (state of an older layout). */
        byte[] get() throws Exception;
    }

    /**
     * Before the account fires at {@code t} (at a firing's start, and at each instant it fires ahead at):
     * the snapshot moves on where due, by a copy of a value ({@link #foldQuiet}, {@link #promoteCandidate}).
     */
    void beforeFiring(AccountState a, long t, LiveBytes live) throws Exception {
        foldQuiet(a, t, live);
        promoteCandidate(a, t);
    }

    /**
     * After the account fired at an instant: its value is kept as the next snapshot, at the instant the
     * account has seen through, when the account has seen half a horizon past the log's oldest event and no
     * copy is kept yet. An account whose events are further apart than a horizon never needs one
     * ({@link #foldQuiet} takes its value then). Not where the rules have ticked up to or past the next
     * waiting event (in a firing ahead): the value is not the account's through that instant.
     *
     * @param nextWaiting the instant of the account's next waiting event, or {@link Long#MAX_VALUE}
     */
    void afterFiring(AccountState a, long nextWaiting, LiveBytes live) throws Exception {
        if (a.candidateAt != null || a.loggedFrom == null || a.lateWaiting) {
            return;
        }
        long seen = seenThrough(a); // the rules may have ticked far past the instant (a watermark far ahead)
        if (a.loggedFrom > seen - candidateAfterMillis || seen >= nextWaiting) {
            return;
        }
        a.candidateAt = seen;
        candidate.update(AccountSnapshots.withoutSeen(live.get()));
    }

    /**
     * Before an account fires at {@code t}: a kept copy a horizon old or more becomes the snapshot (every
     * event up to its instant applied, nothing after), and the log keeps only the events after it. No late
     * event waits: it is after the snapshot, and the copy may be stale for it.
     */
    private void promoteCandidate(AccountState a, long t) throws Exception {
        if (a.candidateAt == null || a.lateWaiting || a.candidateAt > t - horizonMillis) {
            return;
        }
        long at = a.candidateAt;
        byte[] copy = candidate.value();
        dropCandidate(a);
        if (copy == null) {
            return; // expired by the state's TTL: the next one is kept at this firing's end
        }
        List<Event> left = new ArrayList<>();
        Long oldestLeft = null;
        for (Event e : events.get()) {
            if (e.occurredAt() > at) {
                left.add(e);
                oldestLeft = oldestLeft == null ? e.occurredAt() : Math.min(oldestLeft, e.occurredAt());
            }
        }
        snapshot.update(copy);
        events.update(left);
        a.snapshotAt = at;
        a.loggedFrom = oldestLeft;
        copied.inc();
    }

    private void dropCandidate(AccountState a) throws Exception {
        candidate.clear();
        a.candidateAt = null;
    }

    /**
     * Drops the ids a {@code FORGET} names from the logged and late events (a privacy request: the
     * account's journey stays as it is, the person's and visitor's ids leave its state).
     */
    void forget(Event forget) throws Exception {
        List<Event> scrubbed = Event.without(events.get(), forget);
        if (scrubbed != null) {
            events.update(scrubbed);
        }
        List<Long> times = new ArrayList<>();
        for (Long t : late.keys()) {
            times.add(t);
        }
        for (Long t : times) {
            List<Event> kept = Event.without(late.get(t), forget);
            if (kept != null) {
                late.put(t, kept);
            }
        }
    }

    /** Logs the events applied at {@code t}. */
    void append(AccountState a, long t, List<Event> applied) throws Exception {
        events.addAll(applied);
        a.loggedFrom = a.loggedFrom == null ? t : Math.min(a.loggedFrom, t);
    }

    /**
     * Before an account fires at {@code t}, if it has seen nothing since {@link #seenThrough}
     * and that is a horizon or more before {@code t}: its live value as it stands (all its events up to
     * there applied, time advanced to there, nothing after) is the snapshot at that instant, and the log
     * goes. Most accounts are quiet for longer than a horizon between their events: this replaces their
     * fold's replay by a copy. The snapshot is then older than a fold would make it, so events between it
     * and the horizon are corrected rather than late.
     *
     * @param live the account's value as it stands (all its events up to {@code seenThrough} applied)
     */
    private void foldQuiet(AccountState a, long t, LiveBytes live) throws Exception {
        if (a.loggedFrom == null || a.snapshotAt == null || a.lateWaiting) {
            return;
        }
        long seen = seenThrough(a);
        if (seen > t - horizonMillis) {
            return;
        }
        byte[] liveBytes = live.get();
        if (liveBytes == null) {
            return;
        }
        snapshot.update(AccountSnapshots.withoutSeen(liveBytes));
        events.clear();
        a.snapshotAt = seen;
        a.loggedFrom = null;
        copied.inc();
        if (a.candidateAt != null) {
            dropCandidate(a); // older than the snapshot now
        }
    }

    /**
     * Keeps a late event for the next firing.
     *
     * @return false when {@link ErrorCode#MAX_EVENTS_PER_INSTANT} wait at its instant already: not kept
     */
    boolean addLate(Event e) throws Exception {
        List<Event> at = late.get(e.occurredAt());
        if (at != null && at.size() >= ErrorCode.MAX_EVENTS_PER_INSTANT) {
            return false;
        }
        at = at == null ? new ArrayList<>(1) : at;
        at.add(e);
        late.put(e.occurredAt(), at);
        return true;
    }

    /** The late events waiting, which leave the waiting list. */
    List<Event> takeLate() throws Exception {
        List<Event> all = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Long, List<Event>> e : late.entries()) {
            times.add(e.getKey());
            all.addAll(e.getValue());
        }
        for (Long t : times) {
            late.remove(t);
        }
        return all;
    }

    /**
     * Replays the log from the snapshot through {@link #seenThrough} (where the rules ran ahead of the
     * journey, a late event can fall after its last firing), without and with {@code lateEvents}; the
     * corrected account has fired through there.
     */
    Rewind rewind(AccountState a, List<Event> lateEvents, JourneySettings s, String accountId) throws Exception {
        byte[] snapBytes = snapshot.value();
        long through = seenThrough(a);
        NavigableMap<Long, List<Event>> log = new TreeMap<>();
        for (Event e : events.get()) {
            if (e.occurredAt() > a.snapshotAt && e.occurredAt() <= through) {
                log.computeIfAbsent(e.occurredAt(), k -> new ArrayList<>(1)).add(e);
            }
        }
        AccountSnapshots.Snapshot was = snapshots.read(snapBytes);
        JourneyRecording before = new JourneyRecording();
        RulesReplay rulesBefore = replayOf(was, s, accountId);
        JourneyReplay.run(s, accountId, was.journey(), log, a.snapshotAt, through, before, rulesBefore, through);
        for (Event e : lateEvents) {
            List<Event> at = new ArrayList<>(log.getOrDefault(e.occurredAt(), List.of()));
            at.add(e);
            log.put(e.occurredAt(), at);
        }
        AccountSnapshots.Snapshot corrected = snapshots.read(snapBytes);
        JourneyRecording after = new JourneyRecording();
        RulesReplay rulesAfter = replayOf(corrected, s, accountId);
        JourneyReplay.run(s, accountId, corrected.journey(), log, a.snapshotAt, through, after, rulesAfter, through);
        List<Recommendation> was0 = rulesBefore == null ? List.of() : rulesBefore.recommendations();
        List<Recommendation> now0 = rulesAfter == null ? List.of() : rulesAfter.recommendations();
        return new Rewind(
                JourneyCorrection.between(before, after),
                JourneyCorrection.minus(was0, now0),
                JourneyCorrection.minus(now0, was0),
                corrected);
    }

    /**
     * Puts the late events of a rewind into the log; {@code c} is the corrected account. A kept copy that
     * a late event falls before misses it: it goes (the next is kept from the corrected value).
     */
    void keep(AccountState c, List<Event> lateEvents) throws Exception {
        events.addAll(lateEvents);
        for (Event e : lateEvents) {
            c.loggedFrom = c.loggedFrom == null ? e.occurredAt() : Math.min(c.loggedFrom, e.occurredAt());
            if (c.candidateAt != null && e.occurredAt() <= c.candidateAt) {
                dropCandidate(c);
            }
        }
    }
}
