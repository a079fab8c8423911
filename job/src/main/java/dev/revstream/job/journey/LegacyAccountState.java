package dev.revstream.job.journey;

import dev.revstream.actions.MemoryRules;
import dev.revstream.actions.RuleMark;
import dev.revstream.actions.TouchTally;
import dev.revstream.attribution.Touch;
import dev.revstream.job.state.StagedState;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.MemoryJourneyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

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

    /**
     * Registers the old layout's states as 0.1.0 did (same names, types and TTL; the rules' two only with
     * rules), staged with the call's other writes, so that its savepoints restore.
     */
    static LegacyAccountState register(RuntimeContext ctx, StagedState staging, Duration ttl, boolean withRules) {
        ValueStateDescriptor<AccountState> account =
                new ValueStateDescriptor<>("account", Types.POJO(AccountState.class));
        MapStateDescriptor<String, DealState> deals =
                new MapStateDescriptor<>("deals", Types.STRING, Types.POJO(DealState.class));
        MapStateDescriptor<String, DealState> closed =
                new MapStateDescriptor<>("closed-deals", Types.STRING, Types.POJO(DealState.class));
        MapStateDescriptor<Long, HealthBucket> signals =
                new MapStateDescriptor<>("health-signals", Types.LONG, Types.POJO(HealthBucket.class));
        MapStateDescriptor<Long, List<Touch>> touches =
                new MapStateDescriptor<>("touches", Types.LONG, Types.LIST(Types.POJO(Touch.class)));
        MapStateDescriptor<Long, TouchTally> tallies =
                new MapStateDescriptor<>("touch-tallies", Types.LONG, Types.POJO(TouchTally.class));
        MapStateDescriptor<String, RuleMark> marks =
                new MapStateDescriptor<>("rule-marks", Types.STRING, Types.POJO(RuleMark.class));
        if (ttl != null && !ttl.isZero()) {
            StateTtlConfig cfg = StateTtlConfig.newBuilder(ttl).build();
            for (StateDescriptor<?, ?> d : List.of(account, deals, closed, signals, touches, tallies, marks)) {
                d.enableTimeToLive(cfg);
            }
        }
        return new LegacyAccountState(
                staging.value(ctx.getState(account)),
                staging.map(ctx.getMapState(deals)),
                staging.map(ctx.getMapState(closed)),
                staging.map(ctx.getMapState(signals)),
                staging.map(ctx.getMapState(touches)),
                withRules ? staging.map(ctx.getMapState(tallies)) : null,
                withRules ? staging.map(ctx.getMapState(marks)) : null);
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
