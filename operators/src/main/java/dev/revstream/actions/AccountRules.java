package dev.revstream.actions;

import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthScore;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyStore;
import dev.revstream.model.Event;
import dev.revstream.model.TouchpointType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule book applied to one account's journey: counts its touchpoints for the counting windows,
 * builds the facts of each entity in scope, runs the {@link Recommender}, and says when the account
 * must be looked at again (the next evaluation tick while anything is in scope or open, and when
 * the oldest tally leaves the longest window). Plain Java over the journey's store.
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
    private final Recommender recommender;
    private boolean inScope;

    public AccountRules(RuleBook book, JourneySettings settings, String accountId, JourneyStore store, Tallies tallies,
            Recommender.Marks marks, Recommender.Output out) {
        this.book = book;
        this.s = settings;
        this.accountId = accountId;
        this.store = store;
        this.a = store.account();
        this.tallies = tallies;
        this.recommender = new Recommender(book, accountId, marks, out);
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
    }

    /** Evaluates every rule at {@code t} (after the journey has applied t's events and deadlines). */
    public void evaluate(long t) throws Exception {
        pruneTallies(t);
        List<DealState> open = new ArrayList<>();
        for (DealState d : store.deals()) {
            if (d.isOpen()) {
                open.add(d);
            }
        }
        boolean lead = a.lifecycle != null && LEAD_STAGES.contains(a.lifecycle);
        boolean customer = a.isCustomer();
        inScope = lead || customer || !open.isEmpty();
        if (!inScope && !recommender.hasMarks()) {
            return;
        }
        HealthScore health = customer ? HealthScore.at(t, store.signals(), s.health()) : new HealthScore(100, List.of());
        Map<String, Object> account = Facts.account(accountId, t, a, health, tallies.all(), open, s, book.set());
        Map<String, Map<String, Object>> deals = new LinkedHashMap<>();
        for (DealState d : open) {
            deals.put(d.dealId, Facts.deal(account, t, d, a, s));
        }
        recommender.evaluate(t, new Recommender.Entities(account, lead, customer, deals));
    }

    /** The next instant after {@code t} the account needs evaluating or its tallies pruning, or null. */
    public Long nextWakeUp(long t) throws Exception {
        Long next = null;
        if (inScope || recommender.hasMarks()) {
            long interval = book.set().intervalMillis();
            next = Math.floorDiv(t, interval) * interval + interval;
        }
        if (a.oldestTallyAt != null) {
            long expiry = a.oldestTallyAt + book.set().retentionMillis() + 1;
            next = next == null ? expiry : Math.min(next, expiry);
        }
        return next;
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
    }
}
