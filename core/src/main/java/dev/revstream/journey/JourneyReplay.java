package dev.revstream.journey;

import dev.revstream.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Replays an account's events on a copy of its state, firing where the live job fires: at every
 * event time and at every wake-up the journey (and its companion, the rules) asks for, in time
 * order. It is how a correction rewinds: from the snapshot at the horizon's start through the
 * account's log, once as it was and once with the late event in its place.
 *
 * <p>Assumes what the live path guarantees too: the journey's outputs do not depend on extra
 * firings in between (a firing with nothing due changes nothing), and the rules' do not depend on
 * how their ticks are split between firings, so the replay's outputs are the ones the live job
 * emitted for the same events.
 */
public final class JourneyReplay {
    private JourneyReplay() {}

    /**
     * What fires with the journey, as it does live: the account's rules. Called in the live order:
     * {@link #catchUp} before a firing's events, {@link #record} for each, {@link #evaluate} once the
     * journey has moved to the firing's instant.
     */
    public interface Companion {
        /** Runs what was due before {@code t} with the state as it stood. */
        void catchUp(long t) throws Exception;

        /** One of the firing's events, after the journey applied it. */
        void record(Event e) throws Exception;

        /**
         * Runs at {@code t} and on, before {@code until}, stopping at {@code nextEvent} (the next event
         * in the log, or {@link Long#MAX_VALUE}).
         */
        void evaluate(long t, long until, boolean changed, long nextEvent) throws Exception;

        /** When it must fire next, or null. */
        Long nextWakeUp(Long asOf);
    }

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
        return run(s, accountId, store, events, from, until, out, null, until);
    }

    /**
     * @param rules fires with the journey, or null for none
     * @param rulesThrough how far the live rules have run (they run ahead of the journey, up to the
     *     watermark): the replay's rules run that far too, where no journey wake-up comes first
     */
    public static long run(
            JourneySettings s,
            String accountId,
            MemoryJourneyStore store,
            NavigableMap<Long, List<Event>> events,
            long from,
            long until,
            JourneyOutput out,
            Companion rules,
            long rulesThrough)
            throws Exception {
        Journey journey = new Journey(s, accountId, store, out);
        Long asOf = s.asOf();
        long t = from;
        while (true) {
            Map.Entry<Long, List<Event>> nextEvents = events.higherEntry(t);
            Long wake = journey.nextWakeUp(t);
            if (rules != null) {
                Long rulesWake = rules.nextWakeUp(asOf);
                wake = wake == null || (rulesWake != null && rulesWake < wake) ? rulesWake : wake;
            }
            if (wake != null && asOf != null && wake > asOf) {
                wake = null; // the live job plans no wake-up past a bounded run's as-of time
            }
            long next = Math.min(
                    nextEvents == null ? Long.MAX_VALUE : nextEvents.getKey(), wake == null ? Long.MAX_VALUE : wake);
            if (next == Long.MAX_VALUE || next > until) {
                break;
            }
            if (rules != null) {
                rules.catchUp(asOf == null ? next : Math.min(next, asOf + 1));
            }
            journey.expireTombstones(next);
            boolean changed = nextEvents != null && nextEvents.getKey() == next;
            if (changed) {
                List<Event> due = new ArrayList<>(nextEvents.getValue());
                due.sort(EventOrder.ORDER);
                for (Event e : due) {
                    journey.apply(e);
                    if (rules != null) {
                        rules.record(e);
                    }
                }
            }
            journey.advanceTo(next);
            if (rules != null && (asOf == null || next <= asOf)) {
                Long after = events.higherKey(next);
                rules.evaluate(
                        next,
                        Math.max(next + 1, ticksUntil(journey.nextWakeUp(next), rulesThrough, asOf)),
                        changed,
                        after == null ? Long.MAX_VALUE : after);
            }
            t = next;
        }
        if (rules != null) {
            // the live rules ran on after the last firing, up to the watermark, where no journey wake-up came first
            rules.catchUp(ticksUntil(journey.nextWakeUp(t), rulesThrough, asOf));
        }
        return t;
    }

    /** Up to when (exclusive) the rules may run from a firing: before the journey's next wake-up, through rulesThrough. */
    private static long ticksUntil(Long journeyNext, long rulesThrough, Long asOf) {
        long until = rulesThrough == Long.MAX_VALUE ? Long.MAX_VALUE : rulesThrough + 1;
        if (journeyNext != null) {
            until = Math.min(until, journeyNext);
        }
        if (asOf != null) {
            until = Math.min(until, asOf + 1);
        }
        return until;
    }
}
