package dev.revstream.actions;

import dev.revstream.journey.JourneyReplay;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyStore;
import dev.revstream.model.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The account's rules in a correction's replay ({@link JourneyReplay}): run on a copy of their state
 * ({@link MemoryRules}), firing as the live job's do, keeping the recommendations they emit (rule
 * failures were reported live, once per failing spell, and are not again).
 */
public final class RulesReplay implements JourneyReplay.Companion, Recommender.Output {
    private final RuleBook book;
    private final JourneySettings settings;
    private final String accountId;
    private final JourneyStore store;
    private final MemoryRules state;
    private final List<Recommendation> recommendations = new ArrayList<>();
    private AccountRules current;

    public RulesReplay(
            RuleBook book, JourneySettings settings, String accountId, JourneyStore store, MemoryRules state) {
        this.book = book;
        this.settings = settings;
        this.accountId = accountId;
        this.store = store;
        this.state = state;
    }

    /** A fresh view per firing, as live: it reads the account's signals and tallies once. */
    private AccountRules firing() {
        current = new AccountRules(book, settings, accountId, store, state.tallies(), state.marks(), this);
        return current;
    }

    @Override
    public void catchUp(long t) throws Exception {
        firing().catchUp(t);
    }

    @Override
    public void record(Event e) throws Exception {
        current.record(e);
    }

    @Override
    public void evaluate(long t, long until, boolean changed, long nextEvent) throws Exception {
        current.evaluate(t, until, changed, after -> nextEvent);
    }

    @Override
    public Long nextWakeUp(Long asOf) {
        return current == null ? null : current.nextWakeUp(asOf);
    }

    @Override
    public void recommendation(Recommendation r) {
        recommendations.add(r);
    }

    @Override
    public void failure(
            RuleSpec rule, String accountId, String dealId, long at, String error, String facts, boolean first) {
        // reported by the live run
    }

    /** What the replay emitted, in order. */
    public List<Recommendation> recommendations() {
        return recommendations;
    }
}
