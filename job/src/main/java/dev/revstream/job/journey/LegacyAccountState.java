package dev.revstream.job.journey;

import dev.revstream.actions.MemoryRules;
import dev.revstream.actions.RuleMark;
import dev.revstream.actions.TouchTally;
import dev.revstream.attribution.Touch;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.MemoryJourneyStore;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * An account's state as releases before the one-value layout kept it (0.1.0 savepoints): the
 * account value and a map state each for open deals, closed deals, health signals, touches, and the
 * rules' tallies and marks. Read once, at the account's first call after a restore, into its
 * {@link LiveAccount}, and cleared. Nothing writes it any more; its states stay registered so that
 * such savepoints restore.
 */
final class LegacyAccountState {
    private final ValueState<AccountState> account;
    private final MapState<String, DealState> deals;
    private final MapState<String, DealState> closed;
    private final MapState<Long, HealthBucket> signals;
    private final MapState<Long, List<Touch>> touches;
    private final MapState<Long, TouchTally> tallies; // null without rules
    private final MapState<String, RuleMark> marks; // null without rules

    LegacyAccountState(
            ValueState<AccountState> account,
            MapState<String, DealState> deals,
            MapState<String, DealState> closed,
            MapState<Long, HealthBucket> signals,
            MapState<Long, List<Touch>> touches,
            MapState<Long, TouchTally> tallies,
            MapState<String, RuleMark> marks) {
        this.account = account;
        this.deals = deals;
        this.closed = closed;
        this.signals = signals;
        this.touches = touches;
        this.tallies = tallies;
        this.marks = marks;
    }

    /** The account's state in the old layout, in memory, and cleared there; null when it has none. */
    AccountSnapshots.Snapshot take() throws Exception {
        AccountState a = account.value();
        if (a == null) {
            return null;
        }
        MemoryJourneyStore journey = new MemoryJourneyStore(a);
        for (DealState d : deals.values()) {
            journey.putDeal(d);
        }
        for (DealState d : closed.values()) {
            journey.putDeal(d);
        }
        for (Map.Entry<Long, HealthBucket> e : signals.entries()) {
            journey.putSignal(e.getKey(), e.getValue());
        }
        for (List<Touch> at : touches.values()) {
            at.forEach(journey::addTouch);
        }
        MemoryRules rules = new MemoryRules();
        if (tallies != null) {
            for (Map.Entry<Long, TouchTally> e : tallies.entries()) {
                rules.tallyMap().put(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, RuleMark> e : marks.entries()) {
                rules.markMap().put(e.getKey(), e.getValue());
            }
            tallies.clear();
            marks.clear();
        }
        account.clear();
        deals.clear();
        closed.clear();
        signals.clear();
        touches.clear();
        return new AccountSnapshots.Snapshot(journey, rules);
    }
}
