package dev.revstream.time;

import java.util.Map;

/**
 * Where counts over trailing windows can change with no new entry: an entry at instant x counted
 * in "the last N" (and "the N before") enters its windows at x and leaves them at x + offset. Used
 * to pass over the instants at which a window count cannot have moved.
 */
public final class WindowEdges {
    private WindowEdges() {}

    /**
     * The first instant after {@code t} at which one of {@code entries} (keyed by instant) enters
     * or leaves a window, or {@link Long#MAX_VALUE}.
     *
     * @param offsets how long after its instant an entry leaves each window
     */
    public static long next(long t, Iterable<? extends Map.Entry<Long, ?>> entries, long[] offsets) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<Long, ?> e : entries) {
            long x = e.getKey();
            if (x > t) {
                next = Math.min(next, x);
                continue;
            }
            for (long offset : offsets) {
                if (x + offset > t) {
                    next = Math.min(next, x + offset);
                }
            }
        }
        return next;
    }
}
