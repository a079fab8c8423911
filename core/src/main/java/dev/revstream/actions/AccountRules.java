package dev.revstream.actions;

import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.HealthScore;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyStore;
import dev.revstream.model.Event;
import dev.revstream.model.TouchpointType;
import dev.revstream.time.WindowEdges;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rule book applied to one account's journey: counts its touchpoints for the counting windows,
 * builds the facts of each entity in scope, runs the {@link Recommender} at the evaluation time and
 * at the ticks after it that are already due and at which some rule may turn (the others would
 * find nothing new), and says when the account must be looked at again (the next tick while
 * anything is in scope or open, and when the oldest tally leaves the longest window). Plain Java
 * over the journey's store.
 */
public final class AccountRules {
    private static final Set<String> LEAD_STAGES = Set.of("lead", "mql", "sql");

    /** Touch tallies by instant: keyed state in the job, a map in tests. */
    public interface Tallies {
        TouchTally get(long at) throws Exception;

        void put(long at, TouchTally tally) throws Exception;

        void remove(long at) throws Exception;

        Iterable<Map.Entry<Long, TouchTally>> all() throws Exception;
    }

    private final RuleBook book;
    private final JourneySettings s;
    private final String accountId;
    private final JourneyStore store;
    private final AccountState a;
    private final Tallies tallies;
    private final Recommender.Marks marks;
    private final Recommender.Output out;
    private boolean inScope;

    public AccountRules(
            RuleBook book,
            JourneySettings settings,
            String accountId,
            JourneyStore store,
            Tallies tallies,
            Recommender.Marks marks,
            Recommender.Output out) {
        this.book = book;
        this.s = settings;
        this.accountId = accountId;
        this.store = store;
        this.a = store.account();
        this.tallies = tallies;
        this.marks = marks;
        this.out = out;
    }

    /** Counts a touchpoint for the counting windows (deal events are not touches). */
    public void record(Event e) throws Exception {
        if (e.isDeal()) {
            return;
        }
        TouchpointType type = TouchpointType.valueOf(e.type());
        TouchTally tally = tallies.get(e.occurredAt());
        tally = tally == null ? new TouchTally() : tally;
        tally.add(type, e.amount() == null ? 0 : e.amount().doubleValue());
        tallies.put(e.occurredAt(), tally);
        if (a.oldestTallyAt == null || e.occurredAt() < a.oldestTallyAt) {
            a.oldestTallyAt = e.occurredAt();
        }
        if (a.newestTallyAt == null || e.occurredAt() > a.newestTallyAt) {
            a.newestTallyAt = e.occurredAt();
        }
    }

    /**
     * Evaluates the ticks due before {@code t} that no firing has run yet (in bounded replays the
     * tick timer is registered at the as-of time), with the state as it stood: call it before t's events.
     */
    public void catchUp(long t) throws Exception {
        if (a.lastRuleTick != null && nextTick(a.lastRuleTick) < t) { // else nothing is due: spare the state reads
            run(nextTick(a.lastRuleTick), t, t, null); // no event is buffered before t: its timer would have fired
        }
    }

    /**
     * Evaluates every rule at {@code t} (after the journey has applied t's events and deadlines),
     * then the evaluation ticks after t and before {@code until}. Nothing but time changes the
     * facts before {@code until} (the caller's next journey wake-up, or just past the watermark)
     * unless a buffered event comes first, so those ticks run here from state read once, instead of
     * one timer each, and in full only where a rule may turn ({@link #nextTurn}): a replay of months
     * costs a few evaluations per entity and event, not one per tick. The buffer is asked only
     * before such a turn: a tick at or after the next buffered event is left to that event's firing,
     * which evaluates anew from its own instant.
     *
     * @param until exclusive; {@code t + 1} evaluates at t only
     * @param changed events were applied at t: whatever ticks ran ahead before saw an older state
     */
    public void evaluate(long t, long until, boolean changed, Buffer buffer) throws Exception {
        // a wake-up registered before the ticks ran past it: those ticks saw this very state already
        long first = !changed && a.lastRuleTick != null && t <= a.lastRuleTick ? nextTick(a.lastRuleTick) : t;
        run(first, Math.max(until, t + 1), t, buffer);
    }

    /** The account's buffered events, as far as the rules need them. */
    public interface Buffer {
        /** The instant of the earliest buffered event after {@code t}, or {@link Long#MAX_VALUE}. */
        long nextEventAfter(long t) throws Exception;
    }

    /** @param now the firing's instant; {@code buffer} (null: none) bounds the ticks after it */
    private void run(long first, long until, long now, Buffer buffer) throws Exception {
        List<DealState> open = store.openDeals();
        boolean lead = a.lifecycle != null && LEAD_STAGES.contains(a.lifecycle);
        boolean customer = a.isCustomer();
        inScope = lead || customer || !open.isEmpty(); // decides the next wake-up even when no tick is due here
        pruneTallies(Math.min(first, until)); // no evaluation before that; an expiry wake-up must move on
        if (first >= until) {
            return;
        }
        if (!inScope && a.ruleMarks == 0) {
            a.lastRuleTick = null; // nothing to tick for until an event brings something into scope
            return;
        }
        Sources sources = new Sources(customer);
        FactsByInstant facts = new FactsByInstant(open, sources);
        CachedMarks cached = new CachedMarks(marks);
        Recommender recommender = new Recommender(book, accountId, cached, out);
        long nextEvent = Long.MAX_VALUE; // read from the buffer before the first evaluation after `now`
        boolean bufferRead = buffer == null;
        for (long at = first; at < until; ) {
            if (at > now && !bufferRead) {
                nextEvent = buffer.nextEventAfter(now);
                bufferRead = true;
            }
            if (at >= nextEvent) {
                break; // the event's firing evaluates from its instant on (what the ticks passed over saw then is moot)
            }
            facts.dropBefore(at);
            Map<String, Facts> deals = new LinkedHashMap<>();
            for (DealState d : open) {
                deals.put(d.dealId, facts.of(at, d));
            }
            a.ruleMarks = recommender.evaluate(at, new Recommender.Entities(facts.of(at, null), lead, customer, deals));
            a.lastRuleTick = at;
            if (!inScope && a.ruleMarks == 0) {
                a.lastRuleTick = null;
                break;
            }
            long next = nextTick(at);
            // a failing rule is evaluated (and counted) at every tick; a few ticks cost less evaluated than searched
            if (next < until
                    && cached.noneFailing()
                    && (until - next) / book.set().intervalMillis() >= SEARCH_FROM_TICKS) {
                next = nextTurn(at, next, until, open, lead, customer, sources, facts);
                if (next > nextTick(at)) {
                    a.lastRuleTick = lastTickBefore(next); // the ticks skipped would have found what `at` found
                }
            }
            at = next;
        }
        cached.flush();
    }

    /**
     * The first tick in {@code [from, until)} at which some rule may decide differently for some
     * entity than at {@code at}, or {@code until}. Between events only time moves the facts: the
     * counting-window and health facts step where a touch or signal crosses a window edge (ticks
     * from there on are evaluated in full), and in between a rule whose condition can turn only one
     * way ({@link Drift}) turned iff its value at the span's last tick differs, found by bisection.
     * A condition of drift ANY is evaluated tick by tick; one that throws stops the search there.
     */
    private long nextTurn(
            long at,
            long from,
            long until,
            List<DealState> open,
            boolean lead,
            boolean customer,
            Sources sources,
            FactsByInstant facts)
            throws Exception {
        long spanEnd = Math.min(until, firstTickFrom(nextWindowEdge(at, sources)));
        long best = spanEnd;
        if (spanEnd <= from) {
            return from;
        }
        try {
            for (RuleBook.Rule rule : book.rules()) {
                if (rule.drift() == Drift.STEADY) {
                    continue;
                }
                List<DealState> entities = switch (rule.spec().scope()) {
                    case DEAL -> open;
                    case LEAD -> lead ? ACCOUNT : List.of();
                    case CUSTOMER -> customer ? ACCOUNT : List.of();
                };
                for (DealState deal : entities) {
                    boolean now = rule.matches(facts.of(at, deal));
                    if (rule.drift().monotone()) {
                        long last = lastTickBefore(best);
                        if (last < from || rule.matches(facts.of(last, deal)) == now) {
                            continue;
                        }
                        long lo = from; // invariant: the turn is in (lo - 1 tick, last]; value at last differs
                        long hi = last;
                        while (lo < hi) {
                            long mid = lastTickBefore(lo + (hi - lo) / 2 + 1);
                            mid = Math.max(mid, lo);
                            if (rule.matches(facts.of(mid, deal)) != now) {
                                hi = mid;
                            } else {
                                lo = nextTick(mid);
                            }
                        }
                        best = Math.min(best, lo);
                    } else {
                        for (long t = from; t < best; t = nextTick(t)) {
                            if (rule.matches(facts.of(t, deal)) != now) {
                                best = t;
                            }
                        }
                    }
                }
            }
        } catch (Exception e) {
            return from; // let the tick's full evaluation meet (and report) the failure
        }
        return best;
    }

    /**
     * How many ticks ahead must be due before they are searched for a turn rather than evaluated:
     * the search costs about two evaluations per rule and entity, and a read of the tallies.
     */
    static final long SEARCH_FROM_TICKS = 4;

    /** The account as the one entity of a lead or customer rule (no deal). */
    private static final List<DealState> ACCOUNT = Collections.singletonList(null);

    /**
     * The facts of the account and its open deals at each instant a firing evaluates or probes, each built
     * once: nothing but the instant moves them within a firing, so every rule and probe at an instant
     * shares the counting windows and health computed there.
     */
    private final class FactsByInstant {
        private final List<DealState> open;
        private final Sources sources;
        private final TreeMap<Long, Facts> accounts = new TreeMap<>();
        private final TreeMap<Long, Map<DealState, Facts>> deals = new TreeMap<>();

        FactsByInstant(List<DealState> open, Sources sources) {
            this.open = open;
            this.sources = sources;
        }

        /** Forgets the instants before {@code t}: a firing's evaluations only move on. */
        void dropBefore(long t) {
            accounts.headMap(t).clear();
            deals.headMap(t).clear();
        }

        /** The facts of {@code deal} at {@code at}, or the account's for null. */
        Facts of(long at, DealState deal) {
            Facts account =
                    accounts.computeIfAbsent(at, t -> new Facts(accountId, t, a, open, s, book.set(), sources.at(t)));
            if (deal == null) {
                return account;
            }
            return deals.computeIfAbsent(at, t -> new IdentityHashMap<>()).computeIfAbsent(deal, account::forDeal);
        }
    }

    /**
     * The first instant after {@code at} at which a counting-window or health fact can step: a
     * touch tally or health signal entering or leaving one of the windows the facts are counted in.
     */
    private long nextWindowEdge(long at, Sources sources) throws Exception {
        long edge = Long.MAX_VALUE;
        if (book.readsTallies()) {
            edge = WindowEdges.next(at, sources.tallyList(), book.tallyWindowEdges());
        }
        if (book.readsHealth()) {
            edge = Math.min(edge, HealthScore.nextChange(at, sources.signalList(), s.health()));
        }
        return edge;
    }

    /** The first tick at or after {@code t}. */
    private long firstTickFrom(long t) {
        if (t == Long.MAX_VALUE) {
            return t;
        }
        long interval = book.set().intervalMillis();
        return Math.floorDiv(t + interval - 1, interval) * interval;
    }

    /** The last tick before {@code t}. */
    private long lastTickBefore(long t) {
        long interval = book.set().intervalMillis();
        return Math.floorDiv(t - 1, interval) * interval;
    }

    private long nextTick(long after) {
        long interval = book.set().intervalMillis();
        return Math.floorDiv(after, interval) * interval + interval;
    }

    /**
     * The next instant the account needs a firing for its rules (the next tick, or in a bounded
     * replay with an as-of time the last tick at or before the as-of time: {@link #catchUp} runs the
     * ones in between at the account's next event, or there) or for pruning its tallies; or null. A
     * bounded replay's output is complete only at its end, so nothing is gained by ticking on the way:
     * weekly tick firings were most of the journey's firings on a year of 100,000 accounts.
     */
    public Long nextWakeUp(Long asOf) {
        Long next = null;
        if (a.lastRuleTick != null && (inScope || a.ruleMarks > 0)) {
            next = nextTick(a.lastRuleTick);
            if (asOf != null) {
                long interval = book.set().intervalMillis();
                next = Math.max(next, Math.floorDiv(asOf, interval) * interval);
            }
        }
        if (a.oldestTallyAt != null) {
            // one wake-up when the newest expires: older ones go at whichever firing comes first
            long expiry = (a.newestTallyAt == null ? a.oldestTallyAt : a.newestTallyAt)
                    + book.set().retentionMillis()
                    + 1;
            next = next == null ? expiry : Math.min(next, expiry);
        }
        return next;
    }

    /** Signals and tallies read from state once per firing, on first use. */
    private final class Sources {
        private final boolean customer;
        private List<Map.Entry<Long, HealthBucket>> signals;
        private List<Map.Entry<Long, TouchTally>> tallyList;

        Sources(boolean customer) {
            this.customer = customer;
        }

        List<Map.Entry<Long, HealthBucket>> signalList() throws Exception {
            if (signals == null) {
                signals = new ArrayList<>();
                store.signals().forEach(signals::add);
            }
            return signals;
        }

        List<Map.Entry<Long, TouchTally>> tallyList() throws Exception {
            if (tallyList == null) {
                tallyList = new ArrayList<>();
                tallies.all().forEach(e -> tallyList.add(Map.entry(e.getKey(), e.getValue())));
            }
            return tallyList;
        }

        Facts.Sources at(long at) {
            return new Facts.Sources() {
                @Override
                public HealthScore health() throws Exception {
                    if (!customer) {
                        return new HealthScore(100, List.of());
                    }
                    return HealthScore.at(at, signalList(), s.health());
                }

                @Override
                public Iterable<Map.Entry<Long, TouchTally>> tallies() throws Exception {
                    return tallyList();
                }
            };
        }
    }

    /** The marks read once and written back once per firing. */
    private static final class CachedMarks implements Recommender.Marks {
        private final Recommender.Marks state;
        private Map<String, RuleMark> all;
        private final Map<String, RuleMark> changed = new HashMap<>();
        private final Set<String> removed = new HashSet<>();

        CachedMarks(Recommender.Marks state) {
            this.state = state;
        }

        private Map<String, RuleMark> load() throws Exception {
            if (all == null) {
                all = new LinkedHashMap<>();
                for (RuleMark m : state.all()) {
                    all.put(RuleMark.key(m.ruleId, m.dealId), m);
                }
            }
            return all;
        }

        @Override
        public RuleMark get(String key) throws Exception {
            return load().get(key);
        }

        @Override
        public void put(String key, RuleMark mark) throws Exception {
            load().put(key, mark);
            changed.put(key, mark);
            removed.remove(key);
        }

        @Override
        public void remove(String key) throws Exception {
            load().remove(key);
            changed.remove(key);
            removed.add(key);
        }

        @Override
        public List<RuleMark> all() throws Exception {
            return new ArrayList<>(load().values());
        }

        boolean noneFailing() throws Exception {
            return load().values().stream().noneMatch(m -> m.failing);
        }

        void flush() throws Exception {
            for (Map.Entry<String, RuleMark> e : changed.entrySet()) {
                state.put(e.getKey(), e.getValue());
            }
            for (String key : removed) {
                state.remove(key);
            }
        }
    }

    private void pruneTallies(long t) throws Exception {
        if (a.oldestTallyAt == null || a.oldestTallyAt + book.set().retentionMillis() >= t) {
            return;
        }
        long keepAfter = t - book.set().retentionMillis();
        List<Long> old = new ArrayList<>();
        Long oldest = null;
        for (Map.Entry<Long, TouchTally> e : tallies.all()) {
            if (e.getKey() < keepAfter) {
                old.add(e.getKey());
            } else if (oldest == null || e.getKey() < oldest) {
                oldest = e.getKey();
            }
        }
        for (Long at : old) {
            tallies.remove(at);
        }
        a.oldestTallyAt = oldest;
        if (oldest == null) {
            a.newestTallyAt = null;
        }
    }
}
