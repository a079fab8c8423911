package dev.revstream.job.journey;

import dev.revstream.actions.AccountRules;
import dev.revstream.actions.Recommendation;
import dev.revstream.actions.RuleBook;
import dev.revstream.actions.RuleSet;
import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.job.RunSummary;
import dev.revstream.job.settings.JobParameters;
import dev.revstream.job.state.RecordFailures;
import dev.revstream.job.state.StagedState;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.EventOrder;
import dev.revstream.journey.Journey;
import dev.revstream.journey.JourneyRecording;
import dev.revstream.journey.JourneyReplay;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.StageConfig;
import dev.revstream.kpi.KpiFact;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.LateEvent;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-account journey state in keyed state (RocksDB in the job), with the rules of
 * {@link Journey} applied in the account's event-time order.
 *
 * <p>Keyed by account. Each event waits in the account's list of waiting events ({@link WaitingEvents})
 * until the watermark passes it; an event-time timer per distinct time fires the account there: it
 * applies that time's events sorted by {@link EventOrder}, lets time pass to it (deadlines, day
 * boundaries), runs the rules, and then fires ahead at the account's next instants (waiting events or
 * wake-ups) that the watermark has passed already, in the order their timers would fire, with the
 * account read and written once; those timers are deleted once the call has succeeded. Then it
 * registers the next wake-up the rules ask for (none past a bounded run's as-of time: nothing after it
 * is emitted). Events and deadlines interleave exactly as event time says.
 *
 * <p>The account's journey and rule state is one value ({@link LiveAccount}), read and written once per
 * call; state of the layout before it (a map state per kind, 0.1.0) moves into it at the account's first
 * call after a restore ({@link LegacyAccountState}).
 *
 * <p>State and its cleaning: a waiting event leaves the list when its instant fires; a closed deal shrinks to
 * a tombstone removed by a wake-up timer {@code tombstone} after its close; health signals and
 * attribution touches are removed once older than the longest window that can see them, at any
 * firing, and at the latest by a wake-up timer when the newest one is. The account value and
 * open deals live as long as the account does; a processing-time TTL ({@code ttl}) is only a
 * safety net for accounts that go silent forever.
 *
 * <p>Corrections (with a correction horizon, {@link AccountLog}): the events applied are appended to the
 * account's log ({@code account-log-events}), and a snapshot of the account at the horizon's start is kept as one value
 * ({@link AccountSnapshots}). An event at or before the last instant the account fired at waits in
 * {@code late-events} for the next watermark; that firing rewinds to the snapshot, replays the log
 * without and with the waiting events ({@link JourneyReplay}) and emits the difference
 * ({@link LateCorrections}). The snapshot moves on by copies of the live value: one kept once the
 * account has seen half a horizon past its log's oldest event becomes the snapshot a horizon later, and
 * an account quiet for a horizon takes its live value as its snapshot at once; a replay folds the log
 * only where late events keep making the copies stale. The log grows only at firings, so no wake-up is
 * needed to bound it: it holds one to about three horizons of the account's events before its last
 * firing (four at most). An event older than the snapshot goes to {@link #LATE}.
 *
 * <p>De-duplication ({@link #deduplicating}): an instant's events and a batch of late events lose their copies
 * as they are taken ({@link AccountDedup}), against the events the account applied within the horizon, kept as
 * a section of its value ({@link SeenEvents}); those applied that the events topic does not have yet go to
 * {@link #EVENTS}.
 *
 * <p>What fails is a dead letter and the job goes on ({@link JourneyFailures}): an event whose processing
 * throws, a firing that throws with no event to blame, an event past the most one instant takes.
 *
 * <p>With a rule book, every firing also evaluates the rules ({@link AccountRules}) after the
 * journey has moved, and the account wakes up at each evaluation tick while anything is in a
 * rule's scope or open; touch tallies go once older than twice the longest counting window, rule
 * marks once nothing is open or failing for them (tallies likewise at any firing, at the latest when
 * the newest expires). Without rules none of that state exists.
 */
public class JourneyFunction extends KeyedProcessFunction<String, Event, JourneyUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JourneyFunction.class);

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", Types.POJO(Alert.class)) {};
    public static final OutputTag<QualitySample> QUALITY =
            new OutputTag<>("journey-quality", Types.POJO(QualitySample.class)) {};
    public static final OutputTag<KpiFact> FACTS = new OutputTag<>("kpi-facts", Types.POJO(KpiFact.class)) {};
    public static final OutputTag<AttributionRecord> ATTRIBUTION =
            new OutputTag<>("attribution", Types.POJO(AttributionRecord.class)) {};
    public static final OutputTag<Recommendation> ACTIONS =
            new OutputTag<>("actions", Types.POJO(Recommendation.class)) {};
    /**
     * Dead letters of the journey: rule failures (once per failing spell of a (rule, entity)) and events or
     * firings whose processing failed ({@code RECORD_FAILED}).
     */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("rule-failures", Types.POJO(DeadLetter.class)) {};

    /**
     * The events the account applied, once each (with {@link #deduplicating}): the normalized-events topic's
     * events that name their account.
     */
    public static final OutputTag<Event> EVENTS = new OutputTag<>("applied-events", Types.POJO(Event.class)) {};

    /** Events the account can no longer correct with (before its snapshot). */
    public static final OutputTag<LateEvent> LATE = new OutputTag<>("journey-late", Types.POJO(LateEvent.class)) {};

    private final JourneySettings settings;
    private final Duration ttl;
    private final RuleSet ruleSet;
    private final long horizonMillis;

    /** The account's journey and rule state, one value ({@link LiveAccount}). */
    private transient AccountValues accounts;

    private transient WaitingEvents waiting;
    private transient RuleBook rules;
    private transient JourneyFailures failures;
    private transient Counter firings;
    private transient Counter eventsApplied;
    private transient Counter snapshotsCopied;
    private transient Counter snapshotsReplayed;
    /** This call's keyed-state writes, committed when it succeeds (see {@link #onTimer}). */
    private transient StagedState staging;
    /** This call's outputs, sent when it succeeds. */
    private transient HeldOutputs held;

    private transient AccountLog accountLog;
    /** Corrections with late events (with a correction horizon only). */
    private transient LateCorrections corrector;
    /**
     * The latest watermark this subtask fired at, here or (after a restore) in any subtask before: no
     * account has applied (or run its rules) past it. A restored job's watermark starts from nothing,
     * so it alone cannot say which events may be behind their account.
     */
    private transient long firedUpTo;

    private transient ListState<Long> firedUpToState;

    private transient ListState<String> stagesState;

    public JourneyFunction(JourneySettings settings, Duration ttl) {
        this(settings, ttl, RuleSet.none());
    }

    /** @param ruleSet the recommendation rules; {@link RuleSet#none()} for none */
    public JourneyFunction(JourneySettings settings, Duration ttl, RuleSet ruleSet) {
        this(settings, ttl, ruleSet, Duration.ZERO);
    }

    /** @param horizon the correction horizon; zero for no corrections (no log, no snapshot) */
    public JourneyFunction(JourneySettings settings, Duration ttl, RuleSet ruleSet, Duration horizon) {
        this.settings = settings;
        this.ttl = ttl;
        this.ruleSet = ruleSet;
        this.horizonMillis = horizon.toMillis();
    }

    /** {@code ingest.dedup-horizon} when the journey de-duplicates what it applies, else -1. */
    private long dedupHorizonMillis = -1;

    /** De-duplication of what it applies ({@link AccountDedup}), or null. */
    private transient AccountDedup dedup;

    /**
     * Drops copies of the events the account applied (a (source, eventId) applied at most {@code horizon}
     * before the copy's time), and sends the events it applies once each to {@link #EVENTS}.
     */
    public JourneyFunction deduplicating(Duration horizon) {
        this.dedupHorizonMillis = horizon.toMillis();
        return this;
    }

    private RecordFailures.Fault<Event> fault;

    /**
     * Fault injection for tests: applying an event that {@code fault} matches throws once the journey has
     * applied it, as a bug half-way would (the fence around each event is what such tests check).
     */
    JourneyFunction failingOn(RecordFailures.Fault<Event> fault) {
        this.fault = fault;
        return this;
    }

    private RecordFailures.Fault<Long> instantFault;

    /** Fault injection for tests: firing at an instant {@code fault} matches throws before any event is applied. */
    JourneyFunction failingAt(RecordFailures.Fault<Long> fault) {
        this.instantFault = fault;
        return this;
    }

    @Override
    public void open(OpenContext ctx) {
        JourneySettings s = settingsWithAsOf();
        staging = new StagedState();
        held = new HeldOutputs(getRuntimeContext().getMetricGroup().addGroup("revstream"));
        firedAhead = new ArrayList<>();
        ValueStateDescriptor<byte[]> liveDesc =
                new ValueStateDescriptor<>("account-live", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        if (ttl != null && !ttl.isZero()) {
            liveDesc.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        }
        waiting = new WaitingEvents(
                staging.list(getRuntimeContext()
                        .getListState(new ListStateDescriptor<>("waiting-events", Types.POJO(Event.class)))),
                staging.map(getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>(
                                "pending-events", Types.LONG, Types.LIST(Types.POJO(Event.class))))));
        effective = s;
        rules = ruleSet.enabled()
                ? RuleBook.compile(ruleSet)
                : null; // validated at start-up already: compiled once here
        accounts = new AccountValues(
                staging.value(getRuntimeContext().getState(liveDesc)),
                LegacyAccountState.register(getRuntimeContext(), staging, ttl, rules != null));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("revstream");
        failures = new JourneyFailures(metrics.counter("recordFailures"));
        firings = metrics.counter("firings");
        eventsApplied = metrics.counter("eventsApplied");
        snapshotsCopied = metrics.counter("snapshotsCopied");
        snapshotsReplayed = metrics.counter("snapshotsReplayed");
        if (horizonMillis > 0) {
            ValueStateDescriptor<byte[]> snapshotDesc = new ValueStateDescriptor<>(
                    "horizon-snapshot", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            if (ttl != null && !ttl.isZero()) {
                snapshotDesc.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
            }
            ValueStateDescriptor<byte[]> candidateDesc = new ValueStateDescriptor<>(
                    "next-horizon-snapshot", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            if (ttl != null && !ttl.isZero()) {
                candidateDesc.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
            }
            accountLog = new AccountLog(
                    horizonMillis,
                    staging.value(getRuntimeContext().getState(snapshotDesc)),
                    staging.value(getRuntimeContext().getState(candidateDesc)),
                    staging.list(getRuntimeContext()
                            .getListState(new ListStateDescriptor<>("account-log-events", Types.POJO(Event.class)))),
                    staging.map(getRuntimeContext()
                            .getMapState(new MapStateDescriptor<>(
                                    "late-events", Types.LONG, Types.LIST(Types.POJO(Event.class))))),
                    rules,
                    snapshotsCopied,
                    snapshotsReplayed);
        }
        if (dedupHorizonMillis >= 0) {
            dedup = new AccountDedup(dedupHorizonMillis, horizonMillis > 0, held, metrics, getRuntimeContext());
        }
        // registered without a horizon too (always 0 then), as the run's summary lists them
        Counter corrections = metrics.counter("corrections");
        LongCounter correctedInRun = getRuntimeContext().getLongCounter(RunSummary.CORRECTED);
        if (accountLog != null) {
            corrector = new LateCorrections(
                    accountLog,
                    accounts,
                    held,
                    horizonMillis,
                    rules != null,
                    corrections,
                    correctedInRun,
                    getRuntimeContext().getLongCounter(RunSummary.LATE),
                    dedup);
        }
    }

    private transient JourneySettings effective;

    /** The as-of time of a bounded run arrives as a global job parameter. */
    private JourneySettings settingsWithAsOf() {
        Long asOf = JobParameters.of(getRuntimeContext()).asOf();
        return asOf == null ? settings : settings.withAsOf(asOf);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // a union: after rescaling an account may come from any subtask, so every subtask takes the latest of all
        firedUpToState =
                context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("fired-up-to", Types.LONG));
        firedUpTo = Long.MIN_VALUE;
        for (Long t : firedUpToState.get()) {
            firedUpTo = Math.max(firedUpTo, t);
        }
        stagesState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("deal-stages", Types.STRING));
        StageList.requireUnchanged(stagesState.get(), stageNames());
    }

    private List<String> stageNames() {
        return settings.stages().stream().map(StageConfig::name).toList();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        firedUpToState.update(List.of(firedUpTo));
        // one copy per subtask: after rescaling every subtask still finds it
        stagesState.update(StageList.kept(stageNames()));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<JourneyUpdate> out) throws Exception {
        if (dedup != null) {
            dedup.begin();
        }
        try {
            if (e.isForget()) {
                // a privacy request: the ids leave the account's state, its journey stays as it is
                waiting.forget(e);
                if (accountLog != null) { // without a correction horizon there is no log
                    accountLog.forget(e);
                }
                staging.commit();
                return;
            }
            arrive(e, ctx);
        } catch (Exception | StackOverflowError | AssertionError ex) {
            staging.discard();
            held.drop();
            failures.recordFailed(e, ex, ctx);
            return;
        }
        staging.commit();
        if (dedup != null) {
            dedup.committed();
        }
        held.sendTo(ctx, out);
    }

    /** An event arrives: buffered until the watermark passes it, or (behind its account) a correction. */
    private void arrive(Event e, Context ctx) throws Exception {
        // an account fires at most up to the watermark (and before a restore, up to firedUpTo): only an event
        // behind those can be behind its account
        if (horizonMillis > 0 && e.occurredAt() <= Math.max(ctx.timerService().currentWatermark(), firedUpTo)) {
            LiveAccount l = loadAccount();
            if (l != null
                    && l.account().appliedThrough != null
                    && e.occurredAt() <= AccountLog.seenThrough(l.account())) {
                lateArrival(l, e, ctx);
                return;
            }
        }
        waiting.add(e);
        ctx.timerService().registerEventTimeTimer(e.occurredAt()); // once per instant: Flink keeps one
    }

    /** The account's value; at its first call after a restore of 0.1.0, its waiting events move over too. */
    private LiveAccount loadAccount() throws Exception {
        LiveAccount l = accounts.load();
        if (accounts.loadedBytes() == null) {
            waiting.moveIn();
        }
        if (dedup != null) {
            dedup.attach(l);
        }
        return l;
    }

    /**
     * Fires the account at {@code t}. The firing is all or nothing: its state writes are staged and its
     * outputs held until it has succeeded. If applying one of its events throws (a bug: nothing in the
     * contract should), that event becomes a {@code RECORD_FAILED} dead letter, leaves the account's log,
     * and the firing runs again without it, from the state as it was; if the firing fails otherwise, it
     * is a dead letter of its own and the account stays as it was. The job goes on either way.
     */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<JourneyUpdate> out) throws Exception {
        firings.inc();
        firedUpTo = Math.max(firedUpTo, ctx.timerService().currentWatermark());
        Set<String> excluded = new HashSet<>();
        while (true) {
            applying = null;
            firingAt = t;
            if (dedup != null) {
                dedup.begin();
            }
            try {
                fire(t, ctx, excluded);
                break;
            } catch (Exception | StackOverflowError | AssertionError ex) {
                staging.discard();
                held.drop();
                Event culprit = applying;
                if (culprit != null && excluded.add(JourneyFailures.identity(culprit))) {
                    failures.recordFailed(culprit, ex, ctx);
                    continue; // again, from the state as it was, without it
                }
                failures.firingFailed(t, ex, ctx);
                strandedFailed(firingAt, ex, ctx);
                return;
            }
        }
        staging.commit();
        if (dedup != null) {
            dedup.committed();
        }
        for (long ahead : firedAhead) {
            ctx.timerService().deleteEventTimeTimer(ahead);
        }
        firedAhead.clear();
        held.sendTo(ctx, out);
    }

    /** The event being applied in the firing under way, to blame if it throws. */
    private transient Event applying;

    /** The instant the firing under way is at (it fires ahead past its own). */
    private transient long firingAt;

    /**
     * Instants after the firing's that it fired at too (their events or wake-ups were due by the
     * watermark already): their timers are deleted once the firing has succeeded.
     */
    private transient List<Long> firedAhead;

    private void fire(long t, OnTimerContext ctx, Set<String> excluded) throws Exception {
        firedAhead.clear();
        LiveAccount store = loadAccount();
        waiting.read();
        boolean fresh = store == null;
        if (!fresh && firedAlready(store.account(), t)) {
            return;
        }
        if (fresh) {
            store = accounts.fresh();
        }
        AccountState a = store.account();
        if (accountLog != null && a.snapshotAt == null) {
            accountLog.start(a, fresh, t, store);
        }
        if (accountLog != null && !fresh) {
            accountLog.beforeFiring(a, t, accounts::loadedBytes); // the value as read: unchanged yet
        }
        if (a.lateWaiting) {
            store = correctWaiting(store, ctx);
            a = store.account();
            LiveAccount corrected = store;
            // a copy the late events did not make stale may be due: an account whose firings all correct moves on too
            accountLog.beforeFiring(a, t, () -> accounts.encode(corrected));
        }
        Journey journey = new Journey(effective, ctx.getCurrentKey(), store, held);
        AccountRules accountRules = rules == null
                ? null
                : new AccountRules(
                        rules,
                        effective,
                        ctx.getCurrentKey(),
                        store,
                        store.rules().tallies(),
                        store.rules().marks(),
                        held);
        long watermark = ctx.timerService().currentWatermark();
        LiveAccount live = store;
        long at = t;
        while (true) {
            if (a.wakeUp != null && a.wakeUp <= at) {
                a.wakeUp = null;
            }
            if (accountLog != null && at != t) {
                // a firing ahead can span months of a fast replay: the snapshot moves on there too
                accountLog.beforeFiring(a, at, () -> accounts.encode(live));
            }
            firingAt = at;
            Long next = plannable(fireAt(at, a, journey, accountRules, excluded, ctx));
            long nextWaiting = waiting.nextAfter(at);
            if (accountLog != null) {
                accountLog.afterFiring(a, nextWaiting, () -> accounts.encode(live));
            }
            long then = Math.min(next == null ? Long.MAX_VALUE : next, nextWaiting);
            if (then <= watermark && then > at && then != Long.MAX_VALUE) {
                // due already: fired here, with the account read once, in the order its timers would fire
                firedAhead.add(then);
                at = then;
                continue;
            }
            planWakeUp(a, next, ctx);
            break;
        }
        waiting.write();
        if (dedup != null) {
            dedup.write(store, watermark);
        }
        accounts.save(store);
    }

    /**
     * A timer the account has fired past already (a firing before fired at its instant too, or its wake-up
     * was planned before an earlier one took its place): nothing is due at it.
     */
    private boolean firedAlready(AccountState a, long t) {
        return a.appliedThrough != null
                && t <= a.appliedThrough
                && !a.lateWaiting
                && waiting.nextAfter(Long.MIN_VALUE) > t
                && (a.wakeUp == null || a.wakeUp > t);
    }

    /**
     * Fires the account at one instant {@code t}: the rules catch up to it, its waiting events are applied
     * and logged, time passes to it, the rules run from it. Returns the account's next wake-up.
     */
    private Long fireAt(
            long t, AccountState a, Journey journey, AccountRules accountRules, Set<String> excluded, Context ctx)
            throws Exception {
        if (instantFault != null && instantFault.hits(t)) {
            throw new IllegalStateException("a fault injected at " + JourneyFailures.instant(t));
        }
        if (accountRules != null) {
            accountRules.catchUp(Math.min(t, effective.asOf() == null ? t : effective.asOf() + 1));
        }
        journey.expireTombstones(t);
        List<Event> due = waiting.take(t);
        if (due != null) {
            due.removeIf(
                    e -> excluded.contains(JourneyFailures.identity(e))); // out of the log: a replay must not meet them
            due = due.isEmpty() ? null : due;
        }
        if (due != null && dedup != null) {
            due = dedup.firstCopies(due); // in arrival order: of two copies at one instant, the first counts
        }
        if (due != null && due.size() > ErrorCode.MAX_EVENTS_PER_INSTANT) {
            // the instant's events are applied and logged as one: each more would cost more
            List<Event> over = due.subList(ErrorCode.MAX_EVENTS_PER_INSTANT, due.size());
            over.forEach(e -> JourneyFailures.instantFull(e, ctx.getCurrentKey(), held));
            if (dedup != null) {
                dedup.notApplied(new ArrayList<>(over));
            }
            due = new ArrayList<>(due.subList(0, ErrorCode.MAX_EVENTS_PER_INSTANT));
        }
        if (due != null) {
            due.sort(EventOrder.ORDER);
            for (Event e : due) {
                applying = e;
                journey.apply(e);
                if (fault != null && fault.hits(e)) {
                    // after the journey changed the state: what is to be undone is there
                    throw new IllegalStateException("a fault injected for " + JourneyFailures.identity(e));
                }
                if (accountRules != null) {
                    accountRules.record(e);
                }
            }
            applying = null;
            eventsApplied.inc(due.size());
            if (accountLog != null) {
                accountLog.append(a, t, due);
            }
        }
        journey.advanceTo(t);
        a.appliedThrough = a.appliedThrough == null ? t : Math.max(a.appliedThrough, t);
        if (accountLog != null) {
            accountLog.foldIfDue(a, t, effective, ctx.getCurrentKey());
        }
        Long next = journey.nextWakeUp(t);
        if (accountRules != null && (effective.asOf() == null || t <= effective.asOf())) {
            long watermark = ctx.timerService().currentWatermark();
            accountRules.evaluate(t, ruleTicksUntil(t, next, watermark), due != null, waiting::nextAfter);
            Long rulesNext = accountRules.nextWakeUp(effective.asOf());
            boolean endOfInput = watermark == Long.MAX_VALUE && effective.asOf() == null;
            if (rulesNext != null && !endOfInput) {
                next = next == null ? rulesNext : Math.min(next, rulesNext);
            }
        }
        return next;
    }

    /** How often the correction snapshots moved on by a copy of the live value and by a replay (tests). */
    long[] snapshotMoves() {
        return new long[] {snapshotsCopied.getCount(), snapshotsReplayed.getCount()};
    }

    /** What keyed state holds for the current key (tests: what an account keeps), or null for nothing. */
    AccountSnapshots.Snapshot stored() throws Exception {
        return accounts.stored();
    }

    /** How many applied events the current account keeps for de-duplication (tests: what the cleaning keeps). */
    int seenStored() throws Exception {
        LiveAccount l = accounts.load();
        return l == null ? 0 : SeenEvents.count(l.seen());
    }

    /**
     * After a firing failed with no event to blame: the events waiting up to the instant it failed at leave
     * the list as dead letters ({@link JourneyFailures#stranded}); the account stays as it was.
     */
    private void strandedFailed(long upTo, Throwable ex, Context ctx) {
        List<Event> stranded;
        try {
            waiting.read();
            stranded = waiting.takeUpTo(upTo);
            waiting.write();
            staging.commit();
        } catch (Exception | StackOverflowError | AssertionError again) {
            staging.discard();
            LOG.warn(
                    "account {}: its waiting events could not be taken after a failed firing",
                    ctx.getCurrentKey(),
                    again);
            return;
        }
        failures.stranded(stranded, upTo, ex, ctx);
    }

    // ---- corrections ---------------------------------------------------------------------------

    /**
     * An event at or before the last instant the account fired at: one older than the account's
     * snapshot is late for good; any other waits for the next watermark, when {@link #correctWaiting}
     * corrects with every one that arrived by then (a CRM sync's batch rewinds once, not per event).
     */
    private void lateArrival(LiveAccount l, Event e, Context ctx) throws Exception {
        AccountState a = l.account();
        long watermark = ctx.timerService().currentWatermark();
        if (a.snapshotAt == null || e.occurredAt() <= a.snapshotAt) {
            corrector.late(
                    e,
                    Math.max(watermark, firedUpTo), // just after a restore the watermark is not known yet
                    "older than the account's correction snapshot (" + JourneyFailures.instant(a.snapshotAt) + ")");
            return;
        }
        if (!accountLog.addLate(e)) {
            JourneyFailures.instantFull(e, ctx.getCurrentKey(), held);
            return;
        }
        if (watermark >= Long.MAX_VALUE - 1) {
            // the end of a bounded input: no later firing comes
            LiveAccount c = correctWaiting(l, ctx);
            Journey corrected = new Journey(effective, ctx.getCurrentKey(), c, new JourneyRecording());
            planWakeUp(c.account(), plannable(corrected.nextWakeUp(c.account().appliedThrough)), ctx);
            if (dedup != null) {
                dedup.write(c, watermark);
            }
            accounts.save(c);
        } else if (!a.lateWaiting) {
            a.lateWaiting = true;
            // never behind the account (just after a restore the watermark is not known yet)
            ctx.timerService().registerEventTimeTimer(Math.max(watermark, AccountLog.seenThrough(a)) + 1);
            accounts.save(l);
        }
    }

    /** Corrects with the late events waiting ({@link LateCorrections}); returns the account from now on. */
    private LiveAccount correctWaiting(LiveAccount l, Context ctx) throws Exception {
        return corrector.correctWaiting(
                l, effective, ctx.getCurrentKey(), ctx.timerService().currentWatermark());
    }

    /** The wake-up asked for, or null: none past a bounded run's as-of time (nothing after it is emitted). */
    private Long plannable(Long next) {
        return next != null && effective.asOf() != null && next > effective.asOf() ? null : next;
    }

    /** Registers {@code next} as the account's wake-up where it is earlier than the one registered. */
    private void planWakeUp(AccountState a, Long next, Context ctx) {
        if (next != null && (a.wakeUp == null || next < a.wakeUp)) {
            ctx.timerService().registerEventTimeTimer(next);
            a.wakeUp = next;
        }
    }

    /**
     * Up to when (exclusive) the rules may tick within this firing: before the journey's next
     * wake-up (it can change the facts), at most to the watermark (every event up to it is
     * buffered already: later ones are routed away as late) and the as-of time. A buffered event
     * before that bounds the ticks too, but the rules ask the buffer only when a rule turns.
     */
    private long ruleTicksUntil(long t, Long journeyNext, long watermark) {
        long until = watermark == Long.MAX_VALUE ? Long.MAX_VALUE : watermark + 1;
        if (journeyNext != null) {
            until = Math.min(until, journeyNext);
        }
        if (effective.asOf() != null) {
            until = Math.min(until, effective.asOf() + 1);
        }
        if (until == Long.MAX_VALUE) {
            return t + 1; // the end of input without an as-of time: nothing after it is due
        }
        return Math.max(until, t + 1);
    }
}
