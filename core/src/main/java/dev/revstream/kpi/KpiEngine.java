package dev.revstream.kpi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Windowed KPI snapshots for one dimension value (the key, e.g. {@code segment=smb}), in plain Java:
 * the books kept in a {@link KpiStore}, snapshots and wake-ups through a {@link KpiOutput}. It never
 * looks at a clock: the caller {@link #add adds} facts as they arrive and {@link #fire fires} it at
 * each instant it asked for, in time order, once every fact at or before that instant has been added.
 *
 * <p>Facts wait in a list until the first instant after them that the engine fires at: a window end
 * or a mark (nothing is reported in between, so a fact asks for no wake-up of its own). At each such
 * instant t: first the facts waiting before t are applied, in time order, then the totals as they
 * stand (every fact before t) are kept as a mark where a later lookback needs them, then every window
 * of every configured size ending at t is reported (its figures are differences of marks, so a
 * snapshot costs the same however many events it covers). Windows run from the one
 * holding the key's first fact (for {@code all}: the earliest event of the input) onward; {@code all}
 * reports every window, other values only windows with a fact in them or an open deal at the end.
 * With an as-of time (a bounded run) only windows ending by it exist.
 *
 * <p>Facts of one key arrive over several channels, so the first to arrive may not be the earliest;
 * an earlier one moves the key's first window back (it can, since no fact is behind the watermark).
 *
 * <p>Corrections ({@link KpiCorrections}): a fact at or before the last instant fired at (a late
 * event's, or the retraction of one that no longer holds) waits in the late book; the next firing (the
 * caller asks for one as soon as {@link #add} says so) applies every waiting one to the totals and to
 * each mark after it,
 * and reports again, with the key's next revision, every window already reported whose figures that
 * changes (a window that no longer has any is reported without values). The forecast of a window
 * (what was open when it began) is as of the report, not revised.
 *
 * <p>A window's snapshot is read from the marks and books by {@link KpiReports}; the books (what running
 * totals cannot replace, and F) are {@link KpiBooks}'.
 *
 * <p>State: the totals, the waiting facts (emptied as time passes), the next window end per size,
 * and marks, each removed once no future window can look back to it.
 */
public final class KpiEngine {
    /** The dimension value of facts without one. */
    public static final String UNKNOWN = "unknown";

    final KpiSettings s;
    final String key;
    final KpiStore store;
    final KpiOutput out;
    final KpiBooks books;

    /** @param key the dimension value, {@code dimension=value} */
    public KpiEngine(KpiSettings settings, String key, KpiStore store, KpiOutput out) {
        this.s = settings;
        this.key = key;
        this.store = store;
        this.out = out;
        this.books = new KpiBooks(settings, store);
    }

    // ---- facts ---------------------------------------------------------------------------------

    /**
     * Keeps a fact waiting until the first firing after it; the first fact (or an earlier one) starts
     * the windows. A fact at or before the last firing waits for the next one, which corrects with it.
     * An append and a few point reads: no wake-up per fact, since nothing reports between window ends
     * and marks.
     *
     * @return true when the fact corrects: the caller asks for a firing soon
     */
    public boolean add(KpiFact f) throws Exception {
        Long fired = store.firedThrough();
        if (fired != null && f.at() <= fired) {
            store.addLate(f);
            return true;
        }
        buffer(f);
        return false;
    }

    void buffer(KpiFact f) throws Exception {
        store.addWaiting(f);
        if (store.nextEnds() == null) {
            start(f);
        } else if (f.at() < store.firstFactAt()) {
            // facts reach a key over several channels, so the first to arrive need not be the earliest:
            // the windows begin earlier (a fact is never behind the watermark, so none of them has ended)
            startEarlier(f);
        }
    }

    private void startEarlier(KpiFact f) throws Exception {
        long[] ends = store.nextEnds();
        long first = store.firstFactAt();
        List<KpiWindow> windows = s.windows();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindow w = windows.get(i);
            long end = w.endOf(w.startOf(f.at()));
            if (end < ends[i]) {
                if (s.asOf() == null || end <= s.asOf()) {
                    out.wakeUpAt(end);
                }
                wantMarks(w, f.at() - 1, ends[i]);
                ends[i] = end;
            } else {
                // the same first window: a lookback starting between this fact and the first one needs its mark
                // too (at a whole day's lookback they fall on window ends; a lookback of hours can fall in between)
                wantMarks(w, f.at() - 1, first - 1);
            }
        }
        store.putNextEnds(ends);
        store.putFirstFactAt(f.at());
    }

    /** Starts the windows at the one holding the key's first fact (or the input's earliest event, for all). */
    private void start(KpiFact f) throws Exception {
        long from = f.at();
        if (s.earliest() != null && "all".equals(f.dimension())) {
            from = Math.min(from, s.earliest());
        }
        List<KpiWindow> windows = s.windows();
        long[] ends = new long[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            KpiWindow w = windows.get(i);
            ends[i] = w.endOf(w.startOf(from));
            if (s.asOf() == null || ends[i] <= s.asOf()) {
                out.wakeUpAt(ends[i]);
            }
            wantMarks(w, from - 1, ends[i]);
        }
        store.putNextEnds(ends);
        store.putFirstFactAt(f.at());
    }

    /** Asks for marks for the lookbacks of windows whose lookback starts in (after, until]. */
    private void wantMarks(KpiWindow w, long after, long until) throws Exception {
        for (long start = w.startOf(after + s.lookbackMillis()); ; start = w.endOf(start)) {
            long end = w.endOf(start);
            long mark = end - lookback(start, end);
            if (mark > until) {
                break;
            }
            if (mark > after
                    && (s.asOf() == null || end <= s.asOf())
                    && !store.wantedMarks().contains(mark)) {
                store.wantedMarks().put(mark, true);
                out.wakeUpAt(mark);
                if (wantedMarks != null) {
                    wantedMarks.add(mark);
                }
            }
        }
    }

    long lookback(long start, long end) {
        return Math.max(s.lookbackMillis(), end - start);
    }

    // ---- time ----------------------------------------------------------------------------------

    /**
     * The instant {@code t} it asked for, and every later instant it asked for that the watermark has
     * passed too (firing ahead: the waiting facts are read once and written back once for all of
     * them). At each instant: the facts waiting before it are applied, a mark is kept if one is
     * wanted, and the windows ending there are reported. An instant fired ahead of its wake-up is
     * not fired again when that wake-up comes.
     *
     * @param endOfInput the input has ended (the final watermark): no later window is due
     * @param watermark the event time every fact has arrived for: instants up to it can be fired now
     */
    public void fire(long t, boolean endOfInput, long watermark) throws Exception {
        correct();
        Long fired = store.firedThrough();
        if (fired != null && t <= fired) {
            return; // fired already, ahead of this wake-up (or a correction's firing behind the last one)
        }
        Waiting waiting = waitingAfter(fired);
        List<KpiFact> due = waiting.due();
        // at the end of an input without an as-of time the windows due are those already asked for
        long limit = endOfInput && s.asOf() == null ? t : Math.max(t, watermark);
        TreeSet<Long> wanted = new TreeSet<>();
        if (limit > t) {
            store.wantedMarks().keys().forEach(wanted::add);
        } else if (store.wantedMarks().contains(t)) {
            wanted.add(t);
        }
        wantedMarks = wanted;
        KpiCounters now = store.totals();
        if (now == null) {
            now = KpiCounters.zero(s.stages().size());
        }
        books.weighLevels(now);
        now.pipelineByWindow = null; // the totals' is the table
        int applied = 0;
        long at = t;
        try {
            while (true) {
                for (; applied < due.size() && due.get(applied).at() < at; applied++) {
                    now.apply(due.get(applied), s);
                    books.keep(due.get(applied));
                    learned().apply(due.get(applied));
                }
                fireAt(at, now, endOfInput);
                long next = nextInstant(at);
                if (next == Long.MAX_VALUE || next > limit) {
                    break; // nothing asked for (the final watermark is Long.MAX_VALUE), or not yet due
                }
                at = next;
            }
        } finally {
            wantedMarks = null;
        }
        store.putFiredThrough(at);
        store.putTotals(now);
        if (applied > 0 || waiting.changed()) {
            store.putWaiting(due.subList(applied, due.size()));
        }
    }

    private LearnedForecasts learned;

    private LearnedForecasts learned() {
        if (learned == null) {
            learned = new LearnedForecasts(s, store);
        }
        return learned;
    }

    /** The marks wanted, during a firing (those it asks for too); null otherwise. */
    private TreeSet<Long> wantedMarks;

    /** The next instant after {@code t} the engine asked for (a window end or a wanted mark), or Long.MAX_VALUE. */
    private long nextInstant(long t) throws Exception {
        long next = Long.MAX_VALUE;
        long[] ends = store.nextEnds();
        if (ends != null) {
            for (long end : ends) {
                if (end > t && (s.asOf() == null || end <= s.asOf())) {
                    next = Math.min(next, end);
                }
            }
        }
        Long mark = wantedMarks.higher(t);
        return mark == null ? next : Math.min(next, mark);
    }

    /** One instant: keeps a mark if one is wanted and reports the windows ending at {@code t}. */
    private void fireAt(long t, KpiCounters now, boolean endOfInput) throws Exception {
        if (wantedMarks.remove(t)) {
            store.marks().put(t, now.markAt(t, s.windows(), store.pipelineLevels()));
            store.wantedMarks().remove(t);
        }
        long[] ends = store.nextEnds();
        if (ends == null) {
            return;
        }
        boolean changed = false;
        boolean prune = false;
        List<KpiWindow> windows = s.windows();
        List<KpiWindow> forecast = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            if (ends[i] != t) {
                continue;
            }
            KpiWindow w = windows.get(i);
            long start = w.startOf(t - 1);
            prune |= Math.floorDiv(start, KpiBooks.PRUNE_EVERY_MILLIS) != Math.floorDiv(t, KpiBooks.PRUNE_EVERY_MILLIS);
            report(w, start, t, now);
            long next = w.endOf(t);
            if (reportsForecast(w)) {
                store.forecasts().remove(w.name() + "|" + start);
                forecast.add(w);
            }
            ends[i] = next;
            changed = true;
            // the end of a bounded input without an as-of time: no window is due any more
            boolean over = endOfInput && s.asOf() == null;
            if (!over && (s.asOf() == null || next <= s.asOf())) {
                out.wakeUpAt(next);
                wantMarks(w, t, next);
            }
        }
        if (!forecast.isEmpty()) {
            books.forecast(forecast, t);
            for (KpiWindow w : forecast) {
                learned().forecast(w, t, store, key, s.quotas(), out);
                // a window past the correction horizon is reported no more: its learned forecast goes
                long old = w.startOf(t - s.horizonMillis() - 1);
                for (String figure : LearnedForecasts.FIGURES) {
                    store.forecasts().remove(LearnedForecasts.key(w, w.startOf(old - 1), figure));
                }
            }
        }
        if (changed) {
            store.putNextEnds(ends);
            store.marks()
                    .put(
                            t,
                            now.markAt(
                                    t,
                                    s.windows(),
                                    store.pipelineLevels())); // the start of every window beginning here
            if (prune) {
                books.forgetBefore(t);
            }
        }
    }

    /**
     * The waiting facts not applied yet (those after the last firing; with what an earlier release
     * kept waiting by instant, moved in), without retractions of waiting facts and those facts, in
     * time order (arrival order within an instant).
     *
     * @param fired the last firing's instant, or null
     */
    private Waiting waitingAfter(Long fired) throws Exception {
        List<KpiFact> waiting = store.waiting();
        List<KpiFact> legacy = store.takeWaitingBefore();
        if (!legacy.isEmpty()) {
            waiting = new ArrayList<>(waiting);
            for (KpiFact f : legacy) {
                if (fired != null && f.at() <= fired) {
                    store.addLate(f); // behind a firing since the restore: a correction at the next one
                } else {
                    waiting.add(f);
                }
            }
        }
        long from = fired == null ? Long.MIN_VALUE : fired;
        List<KpiFact> due = new ArrayList<>(waiting.size());
        for (KpiFact f : withoutTakenBack(waiting)) {
            if (f.at() >= from) {
                due.add(f);
            }
        }
        due.sort(Comparator.comparingLong(KpiFact::at)); // stable
        return new Waiting(due, !legacy.isEmpty() || due.size() != waiting.size());
    }

    /** @param changed the list in the store holds more than {@code due} */
    private record Waiting(List<KpiFact> due, boolean changed) {}

    /** The facts without the retractions of facts before them in the list, and without those facts. */
    private static List<KpiFact> withoutTakenBack(List<KpiFact> facts) {
        List<KpiFact> left = null;
        for (int i = 0; i < facts.size(); i++) {
            KpiFact f = facts.get(i);
            if (f.retracted() && left == null) {
                left = new ArrayList<>(facts.subList(0, i));
            }
            if (left == null) {
                continue;
            }
            int twin = f.retracted() ? twinOf(left, f.asEmitted().slim()) : -1; // taken back before it was applied
            if (twin >= 0) {
                left.remove(twin);
            } else {
                left.add(f);
            }
        }
        return left == null ? facts : left;
    }

    /** Where {@code emitted} is among the facts, compared as the KPIs read them (a restore may hold fuller copies). */
    private static int twinOf(List<KpiFact> facts, KpiFact emitted) {
        for (int i = 0; i < facts.size(); i++) {
            if (facts.get(i).slim().equals(emitted)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether this value's snapshots of {@code w} carry a forecast (F): not hourly ones, and not a
     * channel's (it has no deals). F is kept only for those.
     */
    private boolean reportsForecast(KpiWindow w) {
        return !w.name().equals("1h") && !key.startsWith("channel=");
    }

    // ---- reports -------------------------------------------------------------------------------

    private void report(KpiWindow w, long start, long end, KpiCounters atEnd) throws Exception {
        KpiSnapshot snapshot = snapshotOf(w, start, end, atEnd, 0);
        if (snapshot != null) {
            out.snapshot(snapshot);
        }
    }

    /** The window's snapshot as the books stand, or null where nothing is to be reported. */
    KpiSnapshot snapshotOf(KpiWindow w, long start, long end, KpiCounters atEnd, long revision) throws Exception {
        return new KpiReports(this).snapshotOf(w, start, end, atEnd, revision);
    }

    // ---- corrections ---------------------------------------------------------------------------

    /** Corrects with the late facts waiting, now: for a caller that cannot wait for a firing (the final watermark). */
    public void correctNow() throws Exception {
        correct();
    }

    private void correct() throws Exception {
        new KpiCorrections(this).correct();
    }
}
