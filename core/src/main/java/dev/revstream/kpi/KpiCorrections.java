package dev.revstream.kpi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@link KpiEngine}'s corrections: at a firing, the late facts (and retractions) waiting are applied
 * to the totals and to every mark after them, the books are put right, and every window already
 * reported whose figures that changes is reported again with the key's next revision (a window left
 * without figures for its value is reported without values). Windows before the key's first fact
 * begin from zero totals. Plain Java over the engine's store, like the engine.
 */
final class KpiCorrections {
    private final KpiEngine engine;
    private final KpiSettings s;
    private final String key;
    private final KpiStore store;
    private final KpiOutput out;

    KpiCorrections(KpiEngine engine) {
        this.engine = engine;
        this.s = engine.s;
        this.key = engine.key;
        this.store = engine.store;
        this.out = engine.out;
    }

    /** A window already reported that a correction may change. */
    private record Reported(KpiWindow window, long start, long end) {}

    void correct() throws Exception {
        List<KpiFact> facts = new ArrayList<>(store.late());
        if (facts.isEmpty()) {
            return;
        }
        store.clearLate();
        facts.sort(Comparator.comparingLong(KpiFact::at)
                .thenComparing(f -> !f.retracted())); // within an instant, what is taken back first
        long from = facts.get(0).at();
        Long first = store.firstFactAt();
        if (first == null) { // cannot happen after a firing; buffered as if on time, to be safe
            for (KpiFact f : facts) {
                engine.buffer(f);
            }
            return;
        }
        if (from < first) {
            // the windows before the key's first fact were empty: they begin from zero totals (the key's
            // first fact stays where it was: a lookback into that time counts from zero, as before)
            for (KpiWindow w : s.windows()) {
                for (long b = w.startOf(from); b <= first; b = w.endOf(b)) {
                    if (!store.marks().contains(b)) {
                        store.marks().put(b, KpiCounters.zero(s.stages().size()));
                    }
                }
            }
        }
        List<Reported> windows = reportedAfter(from);
        List<KpiSnapshot> before = new ArrayList<>(windows.size());
        for (Reported r : windows) {
            // windows before the one of the key's first fact were never reported
            boolean reported = r.start() >= r.window().startOf(first);
            before.add(
                    reported
                            ? engine.snapshotOf(
                                    r.window(),
                                    r.start(),
                                    r.end(),
                                    store.marks().get(r.end()),
                                    0)
                            : null);
        }
        KpiCounters now = store.totals();
        now.pipelineByWindow = null; // the totals' is the table
        engine.books.weighLevels(now); // before a late fact moves a level
        for (KpiFact f : facts) {
            now.apply(f, s);
            engine.books.correct(f);
        }
        store.putTotals(now);
        for (Map.Entry<Long, KpiCounters> m : store.marks().entries()) {
            boolean changed = false;
            for (KpiFact f : facts) {
                if (f.at() < m.getKey()) {
                    m.getValue().apply(f, s);
                    changed = true;
                }
            }
            if (changed) {
                store.marks().put(m.getKey(), m.getValue());
            }
        }
        long revision = store.revision() + 1;
        store.putRevision(revision);
        for (int i = 0; i < windows.size(); i++) {
            Reported r = windows.get(i);
            KpiSnapshot was = before.get(i);
            KpiSnapshot is = engine.snapshotOf(
                    r.window(), r.start(), r.end(), store.marks().get(r.end()), revision);
            if (is == null && was != null) {
                int eq = key.indexOf('=');
                out.snapshot(new KpiSnapshot(
                        r.window().name(),
                        r.start(),
                        r.end(),
                        key.substring(0, eq),
                        key.substring(eq + 1),
                        null,
                        revision));
            } else if (is != null
                    && (was == null
                            || !is.values().figures().equals(was.values().figures()))) {
                out.snapshot(is);
            }
        }
    }

    /** The windows reported so far that end after {@code t} and whose totals are still kept, oldest first. */
    private List<Reported> reportedAfter(long t) throws Exception {
        List<Reported> out = new ArrayList<>();
        long[] ends = store.nextEnds();
        if (ends == null) {
            return out;
        }
        List<KpiWindow> windows = s.windows();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindow w = windows.get(i);
            List<Reported> ofSize = new ArrayList<>();
            for (long end = w.startOf(ends[i] - 1); end > t; ) {
                long start = w.startOf(end - 1);
                if (store.marks().contains(end)
                        && hasCounters(start)
                        && hasCounters(end - engine.lookback(start, end))) {
                    ofSize.add(new Reported(w, start, end));
                }
                end = start;
            }
            Collections.reverse(ofSize);
            out.addAll(ofSize);
        }
        return out;
    }

    private boolean hasCounters(long t) throws Exception {
        Long first = store.firstFactAt();
        return store.marks().contains(t) || first == null || t <= first;
    }
}
