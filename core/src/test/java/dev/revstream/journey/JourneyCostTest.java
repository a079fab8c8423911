package dev.revstream.journey;

import static dev.revstream.journey.TestJourneySettings.DAY;
import static dev.revstream.journey.TestJourneySettings.HOUR;
import static dev.revstream.model.EventBuilder.deal;
import static dev.revstream.model.EventBuilder.touch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.attribution.Attribution;
import dev.revstream.attribution.Touch;
import dev.revstream.model.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a firing reads, counted: an account with many closed deals and a deal open for most of a
 * year while touches keep coming. A firing reads the open deals only (closed ones when a tombstone is
 * due to expire), and reads its touches only when it removes some or credits a won deal, not at every
 * firing while an open deal keeps old touches; past {@link Attribution#MAX_TOUCHES} the oldest go,
 * counted, and the win credits the ones kept.
 */
class JourneyCostTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    /** A store that counts what is read of it. */
    private static final class Counting implements JourneyStore {
        final MemoryJourneyStore in = MemoryJourneyStore.empty();
        int openReads;
        int closedReads;
        int touchReads;

        @Override
        public AccountState account() {
            return in.account();
        }

        @Override
        public DealState deal(String dealId) {
            return in.deal(dealId);
        }

        @Override
        public void putDeal(DealState deal) {
            in.putDeal(deal);
        }

        @Override
        public void removeDeal(String dealId) {
            in.removeDeal(dealId);
        }

        @Override
        public List<DealState> openDeals() {
            openReads++;
            return in.openDeals();
        }

        @Override
        public Iterable<DealState> closedDeals() {
            closedReads++;
            return in.closedDeals();
        }

        @Override
        public HealthBucket signal(long at) {
            return in.signal(at);
        }

        @Override
        public void putSignal(long at, HealthBucket bucket) {
            in.putSignal(at, bucket);
        }

        @Override
        public void removeSignal(long at) {
            in.removeSignal(at);
        }

        @Override
        public Iterable<Map.Entry<Long, HealthBucket>> signals() {
            return in.signals();
        }

        @Override
        public void addTouch(Touch touch) {
            in.addTouch(touch);
        }

        @Override
        public Iterable<Touch> touches() {
            touchReads++;
            return in.touches();
        }

        @Override
        public void removeTouchesBefore(long t) {
            in.removeTouchesBefore(t);
        }
    }

    @Test
    void aFiringReadsNeitherClosedDealsNorAllTouches() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // forty deals, opened and lost in the first weeks
            events.add(deal("old-" + i, "CREATED", T0 + i * HOUR)
                    .account("acct-1")
                    .stage("QUALIFICATION")
                    .amount(1_000)
                    .build());
            events.add(deal("old-" + i, "CLOSED_LOST", T0 + (i + 50) * HOUR)
                    .account("acct-1")
                    .build());
        }
        events.add(deal("big", "CREATED", T0 + 10 * DAY)
                .account("acct-1")
                .stage("QUALIFICATION")
                .amount(500_000)
                .build());
        int touches = 0;
        for (long t = T0; t < T0 + 300 * DAY; t += 3 * HOUR) { // 300 days of touches, eight a day
            events.add(
                    touch("WEB_VISIT", t).account("acct-1").channel("organic").build());
            touches++;
        }
        events.add(deal("big", "CLOSED_WON", T0 + 300 * DAY)
                .account("acct-1")
                .amount(500_000)
                .build());
        events.sort((x, y) -> Long.compare(x.occurredAt(), y.occurredAt()));

        Counting store = new Counting();
        JourneyRecording out = new JourneyRecording();
        Journey journey = new Journey(TestJourneySettings.defaults(), "acct-1", store, out);
        int firings = 0;
        for (Event e : events) {
            journey.expireTombstones(e.occurredAt());
            journey.apply(e);
            journey.advanceTo(e.occurredAt());
            firings++;
        }

        assertThat(store.in.closedDeals()).hasSize(41);
        assertThat(store.closedReads)
                .as("closed deals read (none expires in the year)")
                .isZero();
        int kept = 0;
        for (Touch ignored : store.in.touches()) {
            kept++;
        }
        assertThat(kept).isBetween(Attribution.MAX_TOUCHES, Attribution.MAX_TOUCHES + Attribution.MAX_TOUCHES / 10);
        assertThat(store.account().touchCount).isEqualTo(kept);
        assertThat(store.account().touchesDropped).isEqualTo(touches - kept);
        assertThat(store.touchReads)
                .as(
                        "touches read in %d firings: a trim per %d touches, and the win",
                        firings, Attribution.MAX_TOUCHES / 10)
                .isLessThanOrEqualTo(2 + touches / (Attribution.MAX_TOUCHES / 10));
        long oldestKept = store.account().oldestTouchAt;
        assertThat(out.attribution)
                .as("the win credits the touches kept (and the first touch), by every model")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.touchAt() == null || r.touchAt() >= oldestKept || r.touchAt() == T0)
                        .isTrue());
    }
}
