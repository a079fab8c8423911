package dev.revstream.kpi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link KpiEngine}'s books: what running totals cannot replace (SQLs after MQLs, churns, each
 * customer's ARR history, the open pipeline by close-date window with its weighted amounts), kept as
 * facts are applied in order, put right by late facts and retractions, read for a window's fixed-weight
 * forecast F at its start, and pruned of what no report can look back to. Plain Java over the engine's
 * store, like the engine.
 *
 * <p>State cleaning: {@link #forgetBefore} at the first window end of every {@link #PRUNE_EVERY_MILLIS}.
 */
final class KpiBooks {
    /**
     * How often the books are pruned of what no report can look back to: at the first window end in each
     * such period of time since the epoch. Each pruning reads every key of the books (every customer's ARR
     * history): at every daily window end that was most of a key's firing. What stays a little longer is
     * outside every report's range and not counted.
     */
    static final long PRUNE_EVERY_MILLIS = 7L * 24 * 60 * 60 * 1000;

    private final KpiSettings s;
    private final KpiStore store;

    KpiBooks(KpiSettings s, KpiStore store) {
        this.s = s;
        this.store = store;
    }

    /** Keeps what a fact applied in order adds to the books. */
    void keep(KpiFact f) throws Exception {
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
     * Keeps F of each window of {@code sizes} starting at {@code start}: the open deals now whose
     * expected close date falls in it, weighted, as the open pipeline by close-date window holds them
     * (no pass over the open deals).
     */
    void forecast(List<KpiWindow> sizes, long start) throws Exception {
        for (KpiWindow w : sizes) {
            PipelineLevel l = store.pipelineLevels().get(KpiCounters.windowKey(w, start));
            store.forecasts()
                    .put(w.name() + "|" + start, l == null || l.weighted == null ? BigDecimal.ZERO : l.weighted);
        }
    }

    /**
     * Totals restored from before the open pipeline by window kept weighted amounts (0.1.0): weighs it
     * once from the book of open deals that release kept, empties that book and marks {@code totals}
     * (the caller writes them back). Before any fact of the firing reaches the books.
     */
    void weighLevels(KpiCounters totals) throws Exception {
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
    }

    /** Puts the books right for a late fact or a retraction (the latter takes back what {@link #keep} kept). */
    void correct(KpiFact f) throws Exception {
        if (!f.retracted()) {
            if (f.kind() == FactKind.ARR_ACCOUNT) {
                List<ArrPoint> h = store.arrHistory().get(f.accountId());
                h = h == null ? new ArrayList<>(2) : h;
                int i = 0;
                while (i < h.size() && h.get(i).at <= f.at()) {
                    i++;
                }
                h.add(i, new ArrPoint(f.at(), f.amount(), f.segment()));
                store.arrHistory().put(f.accountId(), h);
            } else {
                keep(f);
            }
            return;
        }
        switch (f.kind()) {
            case DEAL_MOVED -> PipelineMovement.levels(f, s.windows(), store.pipelineLevels());
            case FIRST_SQL -> {
                if (f.since() >= 0) {
                    removeOne(store.sqlTimesAfterMql(), f.since(), f.at());
                }
            }
            case ARR_FLOW -> {
                if ("churn".equals(f.stage())) {
                    removeOne(store.churns(), f.at(), f.since());
                }
            }
            case OPEN -> // a release before DEAL_MOVED: taken back
                PipelineMovement.weigh(
                        f.expectedCloseDate(),
                        f.weighted() == null ? null : f.weighted().negate(),
                        s.windows(),
                        store.pipelineLevels());
            case ARR_ACCOUNT -> {
                List<ArrPoint> h = store.arrHistory().get(f.accountId());
                if (h != null) {
                    for (int i = 0; i < h.size(); i++) {
                        ArrPoint p = h.get(i);
                        if (p.at == f.at()
                                && Objects.equals(p.arr, f.amount())
                                && Objects.equals(p.segment, f.segment())) {
                            h.remove(i);
                            break;
                        }
                    }
                    if (h.isEmpty()) {
                        store.arrHistory().remove(f.accountId());
                    } else {
                        store.arrHistory().put(f.accountId(), h);
                    }
                }
            }
            default -> {}
        }
    }
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

    /** Prunes the marks and books of what no report, nor a correction within the horizon, looks back to. */
    void forgetBefore(long t) throws Exception {
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
