package dev.revstream.job.journey;

import dev.revstream.actions.MemoryRules;
import dev.revstream.attribution.Touch;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.JourneyStore;
import dev.revstream.journey.MemoryJourneyStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One account's live state as the journey operator keeps it: one value in keyed state (the codec of
 * {@link AccountSnapshots}), read once and written once per call, with the journey (account, deals,
 * health signals) and the rules' tallies and marks in memory in between. A map state per kind cost
 * a RocksDB iterator per kind and firing, most of the operator's time.
 *
 * <p>Touches stay encoded until the journey reads or prunes them (a deal's attribution, the cap):
 * most firings do neither, and an account keeps up to 1,000 of them. Touches added meanwhile are
 * appended to the encoded ones when the value is written; decoding puts them back in time order.
 */
final class LiveAccount implements JourneyStore {
    private final MemoryJourneyStore journey;
    private final MemoryRules rules;
    private final AccountSnapshots codec;
    /** The touches as read, until decoded (then null). */
    private byte[] touchSection;

    private final List<Touch> added = new ArrayList<>();

    /** The events the account applied within the de-duplication horizon ({@link SeenEvents}), or null. */
    private byte[] seen;

    LiveAccount(MemoryJourneyStore journey, MemoryRules rules, byte[] touchSection, AccountSnapshots codec) {
        this.journey = journey;
        this.rules = rules;
        this.touchSection = touchSection;
        this.codec = codec;
    }

    /** A value whose touches are decoded already (a new account, a corrected one, a migrated one). */
    static LiveAccount of(AccountSnapshots.Snapshot s, AccountSnapshots codec) {
        return new LiveAccount(s.journey(), s.rules(), null, codec);
    }

    /** The account's journey, touches and all. */
    MemoryJourneyStore journey() throws IOException {
        decodeTouches();
        return journey;
    }

    /** The journey whose touches this value holds apart (for the codec, while not decoded). */
    MemoryJourneyStore journeyWithoutTouches() {
        return journey;
    }

    MemoryRules rules() {
        return rules;
    }

    /** The account's seen events as {@link SeenEvents} encodes them, or null for none. */
    byte[] seen() {
        return seen;
    }

    void seen(byte[] seen) {
        this.seen = seen;
    }

    boolean touchesDecoded() {
        return touchSection == null;
    }

    byte[] touchSection() {
        return touchSection;
    }

    List<Touch> touchesAdded() {
        return added;
    }

    private void decodeTouches() throws IOException {
        if (touchSection != null) {
            codec.readTouches(touchSection, journey);
            touchSection = null;
            added.forEach(journey::addTouch);
            added.clear();
        }
    }

    @Override
    public AccountState account() {
        return journey.account();
    }

    @Override
    public DealState deal(String dealId) {
        return journey.deal(dealId);
    }

    @Override
    public void putDeal(DealState deal) {
        journey.putDeal(deal);
    }

    @Override
    public void removeDeal(String dealId) {
        journey.removeDeal(dealId);
    }

    @Override
    public List<DealState> openDeals() {
        return journey.openDeals();
    }

    @Override
    public Iterable<DealState> closedDeals() {
        return journey.closedDeals();
    }

    @Override
    public HealthBucket signal(long at) {
        return journey.signal(at);
    }

    @Override
    public void putSignal(long at, HealthBucket bucket) {
        journey.putSignal(at, bucket);
    }

    @Override
    public void removeSignal(long at) {
        journey.removeSignal(at);
    }

    @Override
    public Iterable<Map.Entry<Long, HealthBucket>> signals() {
        return journey.signals();
    }

    @Override
    public void addTouch(Touch touch) {
        if (touchSection == null) {
            journey.addTouch(touch);
        } else {
            added.add(touch);
        }
    }

    @Override
    public Iterable<Touch> touches() throws IOException {
        return journey().touches();
    }

    @Override
    public void removeTouchesBefore(long t) throws IOException {
        journey().removeTouchesBefore(t);
    }
}
