package dev.revstream.kpi;

import java.util.Arrays;
import java.util.List;

/**
 * The slices of time between the instants at which a {@link KpiEngine} can fire: every window end of
 * every configured size and every mark a lookback needs ({@code end - max(lookback, window length)}).
 * A fact is applied at the first such instant after it, so facts of one kind in the same slice reach
 * every total, mark and window together, and their sum can stand for them (the KPIs' pre-aggregation).
 * Remembers the last {@value #REMEMBERED} slices asked for: facts come in roughly in time order, a
 * replay's from a day or two of business time at once.
 */
public final class KpiSlices {
    private final List<KpiWindow> windows;
    private final long lookbackMillis;
    static final int REMEMBERED = 4;
    private final long[] froms = new long[REMEMBERED];
    private final long[] untils = new long[REMEMBERED];
    private int oldest;

    public KpiSlices(List<KpiWindow> windows, long lookbackMillis) {
        if (windows.isEmpty() || lookbackMillis <= 0) {
            throw new IllegalArgumentException("KPI slices need windows and a positive lookback");
        }
        this.windows = List.copyOf(windows);
        this.lookbackMillis = lookbackMillis;
        Arrays.fill(froms, Long.MAX_VALUE);
        Arrays.fill(untils, Long.MIN_VALUE);
    }

    /** The first instant after {@code t} at which a KPI value can fire; facts at [its slice's start, it) share it. */
    public long sliceEnd(long t) {
        for (int i = 0; i < REMEMBERED; i++) {
            if (t >= froms[i] && t < untils[i]) {
                return untils[i];
            }
        }
        long next = Long.MAX_VALUE;
        long previous = Long.MIN_VALUE;
        for (KpiWindow w : windows) {
            long start = w.startOf(t);
            next = Math.min(next, w.endOf(start));
            previous = Math.max(previous, start);
            // marks rise with the window they belong to (min(end - lookback, start) of each): the window
            // holding t + lookback has the first mark after t, or the next window does; the one before
            // it has the last mark at or before t, or that window does
            long s0 = w.startOf(t + lookbackMillis);
            long m0 = mark(w, s0);
            if (m0 > t) {
                next = Math.min(next, m0);
                previous = Math.max(previous, mark(w, w.startOf(s0 - 1)));
            } else {
                next = Math.min(next, mark(w, w.endOf(s0)));
                previous = Math.max(previous, m0);
            }
        }
        froms[oldest] = previous;
        untils[oldest] = next;
        oldest = (oldest + 1) % REMEMBERED;
        return next;
    }

    private long mark(KpiWindow w, long start) {
        long end = w.endOf(start);
        return end - Math.max(lookbackMillis, end - start);
    }
}
