package dev.revstream.journey;

import dev.revstream.attribution.Touch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One account's journey in plain maps: the state a correction rewinds to and replays on. Iterates
 * as the job's keyed state does (deals in {@link JourneyStore#DEAL_ORDER}, signals and touches by
 * time), so a replay meets everything in the order the live state did.
 */
public final class MemoryJourneyStore implements JourneyStore {
    private final AccountState account;
    private final TreeMap<String, DealState> deals = new TreeMap<>(DEAL_ORDER);
    private final TreeMap<Long, HealthBucket> signals = new TreeMap<>();
    private final TreeMap<Long, List<Touch>> touches = new TreeMap<>();

    public MemoryJourneyStore(AccountState account) {
        this.account = account;
    }

    /** A new account: nothing known yet. */
    public static MemoryJourneyStore empty() {
        return new MemoryJourneyStore(new AccountState());
    }

    @Override
    public AccountState account() {
        return account;
    }

    @Override
    public DealState deal(String dealId) {
        return deals.get(dealId);
    }

    @Override
    public void putDeal(DealState deal) {
        deals.put(deal.dealId, deal);
    }

    @Override
    public void removeDeal(String dealId) {
        deals.remove(dealId);
    }

    @Override
    public List<DealState> openDeals() {
        return deals.values().stream().filter(DealState::isOpen).toList();
    }

    @Override
    public Iterable<DealState> closedDeals() {
        return deals.values().stream().filter(d -> !d.isOpen()).toList();
    }

    @Override
    public HealthBucket signal(long at) {
        return signals.get(at);
    }

    @Override
    public void putSignal(long at, HealthBucket bucket) {
        signals.put(at, bucket);
    }

    @Override
    public void removeSignal(long at) {
        signals.remove(at);
    }

    @Override
    public Iterable<Map.Entry<Long, HealthBucket>> signals() {
        return new ArrayList<>(signals.entrySet());
    }

    @Override
    public void addTouch(Touch touch) {
        touches.computeIfAbsent(touch.at, at -> new ArrayList<>(1)).add(touch);
    }

    @Override
    public Iterable<Touch> touches() {
        List<Touch> all = new ArrayList<>();
        touches.values().forEach(all::addAll);
        return all;
    }

    @Override
    public void removeTouchesBefore(long t) {
        touches.headMap(t, false).clear();
    }

    /** The deals by id, in {@link JourneyStore#DEAL_ORDER}. */
    public NavigableMap<String, DealState> dealMap() {
        return deals;
    }

    /** The health signals by instant. */
    public NavigableMap<Long, HealthBucket> signalMap() {
        return signals;
    }

    /** The attributable touches by instant. */
    public NavigableMap<Long, List<Touch>> touchMap() {
        return touches;
    }
}
