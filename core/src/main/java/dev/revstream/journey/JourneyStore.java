package dev.revstream.journey;

import dev.revstream.attribution.Touch;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where one account's journey lives: Flink keyed state in the job, plain maps in tests and
 * reference computations. The rules in {@link Journey} see only this.
 */
public interface JourneyStore {
    /**
     * The order deals are iterated in, the same in every store: RocksDB's for Flink's String map keys
     * (the length first, so shorter first; then the characters, which for ASCII is their natural
     * order). A replay from a snapshot then meets the deals in the order the live state did.
     */
    Comparator<String> DEAL_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    AccountState account();

    DealState deal(String dealId) throws Exception;

    void putDeal(DealState deal) throws Exception;

    void removeDeal(String dealId) throws Exception;

    /** The open deals, in {@link #DEAL_ORDER}: what a firing reads; closed ones are not read with them. */
    List<DealState> openDeals() throws Exception;

    /** The closed deals' tombstones, in {@link #DEAL_ORDER}: read only when one is due to expire. */
    Iterable<DealState> closedDeals() throws Exception;

    HealthBucket signal(long at) throws Exception;

    void putSignal(long at, HealthBucket bucket) throws Exception;

    void removeSignal(long at) throws Exception;

    Iterable<Map.Entry<Long, HealthBucket>> signals() throws Exception;

    /** Attributable touches, for attribution. */
    void addTouch(Touch touch) throws Exception;

    Iterable<Touch> touches() throws Exception;

    /** Removes the touches before {@code t}. */
    void removeTouchesBefore(long t) throws Exception;
}
