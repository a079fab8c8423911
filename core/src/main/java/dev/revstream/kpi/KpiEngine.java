package dev.revstream.kpi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * <p>A window's snapshot is read from the marks and books by {@link KpiReports}.
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

    /** @param key the dimension value, {@code dimension=value} */
    public KpiEngine(KpiSettings settings, String key, KpiStore store, KpiOutput out) {
        this.s = settings;
        this.key = key;
        this.store = store;
        this.out = out;
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
        now.pipelineByWindow = null; // the totals' is the table
        int applied = 0;
        long at = t;
        try {
            while (true) {
                for (; applied < due.size() && due.get(applied).at() < at; applied++) {
                    now.apply(due.get(applied), s);
                    books(due.get(applied));
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
            prune |= Math.floorDiv(start, PRUNE_EVERY_MILLIS) != Math.floorDiv(t, PRUNE_EVERY_MILLIS);
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
            forecast(forecast, t);
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
                forgetMarksBefore(t);
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

    /** Keeps the books that running totals cannot replace. */
    void books(KpiFact f) throws Exception {
        switch (f.kind()) {
            case FIRST_SQL -> {
                if (f.since() >= 0) {
                    append(store.sqlTimesAfterMql(), f.since(), f.at());
                }
            }
            case ARR_FLOW -> {
                if ("churn".equals(f.stage())) {
                    append(store.churns(), f.at(), f.since());
                }
            }
            case OPEN -> // a release before DEAL_MOVED: its weighted amount is a signed change
                PipelineMovement.weigh(f.expectedCloseDate(), f.weighted(), s.windows(), store.pipelineLevels());
            case DEAL_MOVED -> {
                PipelineMovement.levels(f, s.windows(), store.pipelineLevels());
            }
            case ARR_ACCOUNT -> {
                List<ArrPoint> h = store.arrHistory().get(f.accountId());
                h = h == null ? new ArrayList<>(2) : h;
                h.add(new ArrPoint(f.at(), f.amount(), f.segment()));
                store.arrHistory().put(f.accountId(), h);
            }
            default -> {}
        }
    }

    /**
     * Whether this value's snapshots of {@code w} carry a forecast (F): not hourly ones, and not a
     * channel's (it has no deals). The open deals are read only for those.
     */
    private boolean reportsForecast(KpiWindow w) {
        return !w.name().equals("1h") && !key.startsWith("channel=");
    }

    /**
     * Keeps F of each window of {@code sizes} starting at {@code start}: the open deals now whose
     * expected close date falls in it, weighted, as the open pipeline by close-date window holds them
     * (no pass over the open deals).
     */
    private void forecast(List<KpiWindow> sizes, long start) throws Exception {
        for (KpiWindow w : sizes) {
            PipelineLevel l = store.pipelineLevels().get(KpiCounters.windowKey(w, start));
            store.forecasts()
                    .put(w.name() + "|" + start, l == null || l.weighted == null ? BigDecimal.ZERO : l.weighted);
        }
    }

    /**
     * Totals restored from before the open pipeline by window kept weighted amounts (0.1.0): weighs it
     * once from the book of open deals that release kept, and empties that book.
     */
    private void weighLevels() throws Exception {
        KpiCounters totals = store.totals();
        if (totals == null || totals.levelsWeighted) {
            return;
        }
        List<Map.Entry<String, PipelineLevel>> levels = new ArrayList<>();
        store.pipelineLevels().entries().forEach(levels::add);
        for (Map.Entry<String, PipelineLevel> e : levels) {
            e.getValue().weighted = BigDecimal.ZERO;
            store.pipelineLevels().put(e.getKey(), e.getValue());
        }
        List<String> deals = new ArrayList<>();
        for (Map.Entry<String, OpenDeal> e : store.openDeals().entries()) {
            PipelineMovement.weigh(
                    e.getValue().expectedCloseDate, e.getValue().weighted, s.windows(), store.pipelineLevels());
            deals.add(e.getKey());
        }
        for (String d : deals) {
            store.openDeals().remove(d);
        }
        totals.levelsWeighted = true;
        store.putTotals(totals);
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
        weighLevels();
        new KpiCorrections(this).correct();
    }

    // ---- forgetting ----------------------------------------------------------------------------

    /** Adds {@code value} to the values kept at {@code key}. */
    static void append(KpiStore.Table<Long, long[]> table, long key, long value) throws Exception {
        long[] values = table.get(key);
        long[] more = values == null ? new long[1] : Arrays.copyOf(values, values.length + 1);
        more[more.length - 1] = value;
        table.put(key, more);
    }

    /** Takes one {@code value} from the values kept at {@code key}, if it is there. */
    static void removeOne(KpiStore.Table<Long, long[]> table, long key, long value) throws Exception {
        long[] values = table.get(key);
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                if (values.length == 1) {
                    table.remove(key);
                } else {
                    long[] left = new long[values.length - 1];
                    System.arraycopy(values, 0, left, 0, i);
                    System.arraycopy(values, i + 1, left, i, values.length - i - 1);
                    table.put(key, left);
                }
                return;
            }
        }
    }

    private static void removeKeysBefore(KpiStore.Table<Long, ?> table, long keepFrom) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long k : table.keys()) {
            if (k < keepFrom) {
                old.add(k);
            }
        }
        for (Long k : old) {
            table.remove(k);
        }
    }

    /**
     * How often the books are pruned of what no report can look back to: at the first window end in each
     * such period of time since the epoch. Each pruning reads every key of the books (every customer's ARR
     * history): at every daily window end that was most of a key's firing. What stays a little longer is
     * outside every report's range and not counted.
     */
    static final long PRUNE_EVERY_MILLIS = 7L * 24 * 60 * 60 * 1000;

    private void forgetMarksBefore(long t) throws Exception {
        long longest = s.lookbackMillis();
        for (KpiWindow w : s.windows()) {
            long start = w.startOf(t);
            longest = Math.max(longest, w.endOf(w.endOf(start)) - start);
        }
        // a correction may report again any window that ended within the horizon: keep what it looks back to
        long keepFrom = t - longest - s.horizonMillis() - 1;
        removeKeysBefore(store.marks(), keepFrom);
        removeKeysBefore(store.sqlAfterMql(), keepFrom);
        removeKeysBefore(store.sqlTimesAfterMql(), keepFrom);
        removeKeysBefore(store.churns(), keepFrom);
        // ARR history: keep what retention can still look back to, and the last point before that
        long arrFrom = t - Math.max(s.retentionMillis(), longest) - s.horizonMillis() - 1;
        List<String> gone = new ArrayList<>();
        List<Map.Entry<String, List<ArrPoint>>> shortened = new ArrayList<>();
        for (Map.Entry<String, List<ArrPoint>> e : store.arrHistory().entries()) {
            List<ArrPoint> h = e.getValue();
            int firstKept = 0;
            while (firstKept + 1 < h.size() && h.get(firstKept + 1).at < arrFrom) {
                firstKept++;
            }
            if (firstKept > 0) {
                List<ArrPoint> kept = new ArrayList<>(h.subList(firstKept, h.size()));
                if (kept.size() == 1 && kept.get(0).arr.signum() == 0 && kept.get(0).at < arrFrom) {
                    gone.add(e.getKey());
                } else {
                    shortened.add(Map.entry(e.getKey(), kept));
                }
            } else if (h.size() == 1 && h.get(0).arr.signum() == 0 && h.get(0).at < arrFrom) {
                gone.add(e.getKey());
            }
        }
        for (Map.Entry<String, List<ArrPoint>> e : shortened) {
            store.arrHistory().put(e.getKey(), e.getValue());
        }
        for (String k : gone) {
            store.arrHistory().remove(k);
        }
    }
}
