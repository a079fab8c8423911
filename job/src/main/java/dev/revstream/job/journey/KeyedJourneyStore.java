package dev.revstream.job.journey;

import dev.revstream.attribution.Touch;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.JourneyStore;
import dev.revstream.journey.MemoryJourneyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;

/**
 * One account's journey in Flink keyed state (RocksDB in the job), seen through the journey's and
 * the rules' store. The account's open deals and health signals are read from RocksDB at most once
 * per firing (one iterator each, on first use) and written back once, by {@link #flush}: a firing
 * reads them several times (wake-ups, health, the rules' facts), and each read was an iterator and a
 * deserialization of every entry. Closed deals (tombstones, kept 400 days) live in a map of their
 * own, read by point lookups and, when one is due to expire, by one iterator: a firing does not read
 * them. Tombstones that state from before that split holds among the open deals move over the first
 * time the account's deals are read.
 */
final class KeyedJourneyStore implements JourneyStore {
    private final AccountState a;
    private final MapState<String, DealState> deals;
    private final MapState<String, DealState> closed;
    private final MapState<Long, HealthBucket> signals;
    private final MapState<Long, List<Touch>> touches;
    private Map<String, DealState> dealCache;
    private final Map<String, DealState> dealWrites = new HashMap<>(); // null: removed
    private TreeMap<Long, HealthBucket> signalCache;
    private final Map<Long, HealthBucket> signalWrites = new HashMap<>(); // null: removed

    KeyedJourneyStore(
            AccountState a,
            MapState<String, DealState> deals,
            MapState<String, DealState> closed,
            MapState<Long, HealthBucket> signals,
            MapState<Long, List<Touch>> touches) {
        this.a = a;
        this.deals = deals;
        this.closed = closed;
        this.signals = signals;
        this.touches = touches;
    }

    @Override
    public AccountState account() {
        return a;
    }

    /** The open deals. */
    private Map<String, DealState> dealMap() throws Exception {
        if (dealCache == null) {
            dealCache = new TreeMap<>(JourneyStore.DEAL_ORDER);
            List<DealState> tombstones = new ArrayList<>();
            for (Map.Entry<String, DealState> e : deals.entries()) {
                if (e.getValue().isOpen()) {
                    dealCache.put(e.getKey(), e.getValue());
                } else {
                    tombstones.add(e.getValue());
                }
            }
            for (DealState d : tombstones) { // kept before closed deals had their own map
                closed.put(d.dealId, d);
                dealWrites.put(d.dealId, null);
            }
        }
        return dealCache;
    }

    @Override
    public DealState deal(String dealId) throws Exception {
        DealState open = dealMap().get(dealId);
        return open != null ? open : closed.get(dealId);
    }

    @Override
    public void putDeal(DealState deal) throws Exception {
        if (deal.isOpen()) {
            dealMap().put(deal.dealId, deal);
            dealWrites.put(deal.dealId, deal);
        } else {
            dealMap().remove(deal.dealId);
            dealWrites.put(deal.dealId, null);
            closed.put(deal.dealId, deal);
        }
    }

    @Override
    public void removeDeal(String dealId) throws Exception {
        if (dealMap().remove(dealId) != null) {
            dealWrites.put(dealId, null);
        } else {
            closed.remove(dealId);
        }
    }

    @Override
    public List<DealState> openDeals() throws Exception {
        return new ArrayList<>(dealMap().values());
    }

    @Override
    public Iterable<DealState> closedDeals() throws Exception {
        dealMap(); // tombstones kept among the open deals move over first
        List<DealState> all = new ArrayList<>();
        closed.values().forEach(all::add);
        all.sort((x, y) -> JourneyStore.DEAL_ORDER.compare(x.dealId, y.dealId));
        return all;
    }

    private TreeMap<Long, HealthBucket> signalMap() throws Exception {
        if (signalCache == null) {
            signalCache = new TreeMap<>(); // RocksDB's order: by instant
            for (Map.Entry<Long, HealthBucket> e : signals.entries()) {
                signalCache.put(e.getKey(), e.getValue());
            }
        }
        return signalCache;
    }

    @Override
    public HealthBucket signal(long at) throws Exception {
        return signalMap().get(at);
    }

    @Override
    public void putSignal(long at, HealthBucket bucket) throws Exception {
        signalMap().put(at, bucket);
        signalWrites.put(at, bucket);
    }

    @Override
    public void removeSignal(long at) throws Exception {
        signalMap().remove(at);
        signalWrites.put(at, null);
    }

    /** Writes what the firing changed back to keyed state. */
    void flush() throws Exception {
        for (Map.Entry<String, DealState> e : dealWrites.entrySet()) {
            if (e.getValue() == null) {
                deals.remove(e.getKey());
            } else {
                deals.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<Long, HealthBucket> e : signalWrites.entrySet()) {
            if (e.getValue() == null) {
                signals.remove(e.getKey());
            } else {
                signals.put(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public void addTouch(Touch touch) throws Exception {
        List<Touch> at = touches.get(touch.at);
        at = at == null ? new ArrayList<>(1) : at;
        at.add(touch);
        touches.put(touch.at, at);
    }

    @Override
    public Iterable<Touch> touches() throws Exception {
        List<Touch> all = new ArrayList<>();
        for (List<Touch> at : touches.values()) {
            all.addAll(at);
        }
        return all;
    }

    @Override
    public void removeTouchesBefore(long t) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long at : touches.keys()) {
            if (at < t) {
                old.add(at);
            }
        }
        for (Long at : old) {
            touches.remove(at);
        }
    }

    @Override
    public Iterable<Map.Entry<Long, HealthBucket>> signals() throws Exception {
        List<Map.Entry<Long, HealthBucket>> all = new ArrayList<>();
        signalMap().forEach((at, b) -> all.add(Map.entry(at, b)));
        return all;
    }

    /** The account's whole journey as it stands in keyed state, in memory (a snapshot to be). */
    MemoryJourneyStore copy() throws Exception {
        MemoryJourneyStore current = new MemoryJourneyStore(a);
        for (DealState d : deals.values()) {
            current.putDeal(d);
        }
        for (DealState d : closed.values()) {
            current.putDeal(d);
        }
        for (Map.Entry<Long, HealthBucket> e : signals.entries()) {
            current.putSignal(e.getKey(), e.getValue());
        }
        for (List<Touch> at : touches.values()) {
            at.forEach(current::addTouch);
        }
        return current;
    }

    /** Writes a corrected journey over the keyed state (the account value is the caller's to write). */
    void replaceWith(MemoryJourneyStore corrected) throws Exception {
        deals.clear();
        closed.clear();
        for (DealState d : corrected.dealMap().values()) {
            (d.isOpen() ? deals : closed).put(d.dealId, d);
        }
        signals.clear();
        for (Map.Entry<Long, HealthBucket> e : corrected.signalMap().entrySet()) {
            signals.put(e.getKey(), e.getValue());
        }
        touches.clear();
        for (Map.Entry<Long, List<Touch>> e : corrected.touchMap().entrySet()) {
            touches.put(e.getKey(), e.getValue());
        }
    }
}
