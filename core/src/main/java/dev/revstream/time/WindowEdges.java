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

    /**
     * Every instant at which one of {@code entries} enters or leaves a window, sorted: for a walk that
     * asks {@link #after} many times what {@link #next} would answer by reading every entry each time.
     */
    public static long[] all(Iterable<? extends Map.Entry<Long, ?>> entries, long[] offsets) {
        long[] edges = new long[16];
        int n = 0;
        for (Map.Entry<Long, ?> e : entries) {
            if (n + offsets.length + 1 > edges.length) {
                edges = java.util.Arrays.copyOf(edges, Math.max(2 * edges.length, n + offsets.length + 1));
            }
            long x = e.getKey();
            edges[n++] = x;
            for (long offset : offsets) {
                edges[n++] = x + offset;
            }
        }
        edges = java.util.Arrays.copyOf(edges, n);
        java.util.Arrays.sort(edges);
        return edges;
    }

    /** The first of {@code sorted} ({@link #all}) after {@code t}, or {@link Long#MAX_VALUE}: what {@link #next} says. */
    public static long after(long[] sorted, long t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == sorted.length ? Long.MAX_VALUE : sorted[lo];
    }
}
