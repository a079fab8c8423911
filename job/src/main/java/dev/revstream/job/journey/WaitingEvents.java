package dev.revstream.job.journey;

import dev.revstream.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;

/**
 * The current account's events waiting for the watermark, in keyed state as one list: an arrival
 * appends to it (RocksDB merges the append without reading the list), a firing reads it once, by time,
 * takes what is due and writes the rest back. Finding the next waiting instant is then free, where a
 * map by time needed a RocksDB iterator (a seek through every level, the journey's largest cost).
 *
 * <p>Releases up to 0.1.0 kept the buffer as a map by time ({@code pending-events}); it stays registered
 * so that their savepoints restore, and moves into the list at the account's first call after a
 * restore ({@link #moveIn}).
 *
 * <p>Assumes Flink's keyed-state model: one key at a time; {@link #read} belongs to the current call.
 * State cleaning: an instant's events leave the list when its firing takes them.
 */
final class WaitingEvents {
    private final ListState<Event> waiting;
    private final MapState<Long, List<Event>> legacy;
    private NavigableMap<Long, List<Event>> byTime;
    private boolean taken;

    WaitingEvents(ListState<Event> waiting, MapState<Long, List<Event>> legacy) {
        this.waiting = waiting;
        this.legacy = legacy;
    }

    /** An arrival: appended, unread. */
    void add(Event e) throws Exception {
        waiting.add(e);
    }

    /** The 0.1.0 buffer of an account with no value yet (its first call after a restore), appended. */
    void moveIn() throws Exception {
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Long, List<Event>> e : legacy.entries()) {
            times.add(e.getKey());
            waiting.addAll(e.getValue());
        }
        for (Long t : times) {
            legacy.remove(t);
        }
    }

    /** Drops the ids a {@code FORGET} names from the waiting events. */
    void forget(Event forget) throws Exception {
        List<Event> scrubbed = Event.without(waiting.get(), forget);
        if (scrubbed != null) {
            waiting.update(scrubbed);
        }
    }

    /** Reads the account's waiting events, by time in arrival order; once per call. */
    void read() throws Exception {
        byTime = new TreeMap<>();
        taken = false;
        for (Event e : waiting.get()) {
            byTime.computeIfAbsent(e.occurredAt(), k -> new ArrayList<>(1)).add(e);
        }
    }

    /** The events waiting at {@code t} (in arrival order), which leave the list; null for none. */
    List<Event> take(long t) {
        List<Event> due = byTime.remove(t);
        taken |= due != null;
        return due;
    }

    /** Every event waiting at or before {@code t} (in time order), which leave the list. */
    List<Event> takeUpTo(long t) {
        List<Event> out = new ArrayList<>();
        NavigableMap<Long, List<Event>> upTo = byTime.headMap(t, true);
        upTo.values().forEach(out::addAll);
        taken |= !upTo.isEmpty();
        upTo.clear();
        return out;
    }

    /** The next instant after {@code t} with events waiting, or {@link Long#MAX_VALUE}. */
    long nextAfter(long t) {
        Long next = byTime.higherKey(t);
        return next == null ? Long.MAX_VALUE : next;
    }

    /** Writes back what is left, if the call took anything. */
    void write() throws Exception {
        if (!taken) {
            return;
        }
        List<Event> left = new ArrayList<>();
        byTime.values().forEach(left::addAll);
        waiting.update(left);
        taken = false;
    }
}
