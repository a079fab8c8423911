package dev.revstream.journey;

import dev.revstream.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Replays an account's events on a copy of its state, firing where the live job fires: at every
 * event time and at every wake-up the journey asks for, in time order. It is how a correction
 * rewinds: from the snapshot at the horizon's start through the account's log, once as it was and
 * once with the late event in its place.
 *
 * <p>Assumes what the live path guarantees too: the journey's outputs do not depend on extra
 * firings in between (a firing with nothing due changes nothing), so the replay's outputs are the
 * ones the live job emitted for the same events.
 */
public final class JourneyReplay {
    private JourneyReplay() {}

    /**
     * @param store the state after every firing at or before {@code from}; replayed in place
     * @param events the events by time, each list in any order (applied in {@link EventOrder})
     * @param from the snapshot's time: only events and wake-ups after it are replayed
     * @param until the last instant to fire at (inclusive)
     * @return the last instant fired at, or {@code from} if none
     */
    public static long run(
            JourneySettings s,
            String accountId,
            MemoryJourneyStore store,
            NavigableMap<Long, List<Event>> events,
            long from,
            long until,
            JourneyOutput out)
            throws Exception {
        Journey journey = new Journey(s, accountId, store, out);
        long t = from;
        while (true) {
            Map.Entry<Long, List<Event>> nextEvents = events.higherEntry(t);
            Long wake = journey.nextWakeUp(t);
            if (wake != null && s.asOf() != null && wake > s.asOf()) {
                wake = null; // the live job plans no wake-up past a bounded run's as-of time
            }
            long next = Math.min(
                    nextEvents == null ? Long.MAX_VALUE : nextEvents.getKey(), wake == null ? Long.MAX_VALUE : wake);
            if (next == Long.MAX_VALUE || next > until) {
                return t;
            }
            journey.expireTombstones(next);
            if (nextEvents != null && nextEvents.getKey() == next) {
                List<Event> due = new ArrayList<>(nextEvents.getValue());
                due.sort(EventOrder.ORDER);
                for (Event e : due) {
                    journey.apply(e);
                }
            }
            journey.advanceTo(next);
            t = next;
        }
    }
}
