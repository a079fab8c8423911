package dev.revstream.kpi;

import dev.revstream.model.ForecastCategory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link KpiEngine}'s window snapshots: the figures of a window from the marks at its start, its end
 * and its lookback's start, and from the books (SQLs after MQLs, churns, forecasts, ARR history), as
 * the store holds them now. Reads only; plain Java over the engine's store, like the engine.
 */
final class KpiReports {
    private static final String UNKNOWN = KpiEngine.UNKNOWN;

    private final KpiEngine engine;
    private final KpiSettings s;
    private final String key;
    private final KpiStore store;

    KpiReports(KpiEngine engine) {
        this.engine = engine;
        this.s = engine.s;
        this.key = engine.key;
        this.store = engine.store;
    }

    /** The window's snapshot as the books stand, or null where nothing is to be reported. */
    KpiSnapshot snapshotOf(KpiWindow w, long start, long end, KpiCounters atEnd, long revision) throws Exception {
        KpiCounters atStart = countersAt(start);
        long lookbackStart = end - engine.lookback(start, end);
        KpiCounters atLookback = countersAt(lookbackStart);
        int eq = key.indexOf('=');
        String dimension = key.substring(0, eq);
        String value = key.substring(eq + 1);
        boolean all = dimension.equals("all");
        if (!all && atEnd.events == atStart.events && atEnd.openDeals == 0) {
            return null; // nothing counted in it and no open deal at its end
        }
        boolean deals = !dimension.equals("channel");
        // a channel's snapshot: its spend and the credits of deals won in the window
        boolean revenue = all || dimension.equals("segment");
        long mqlsWithSql = atEnd.newMqlsSqlBefore - atLookback.newMqlsSqlBefore;
        if (all) {
            for (Map.Entry<Long, Long> e : store.sqlAfterMql().entries()) {
                if (e.getKey() >= lookbackStart && e.getKey() < end) {
                    mqlsWithSql += e.getValue(); // restored from a release that kept no SQL times
                }
            }
            for (Map.Entry<Long, long[]> e : store.sqlTimesAfterMql().entries()) {
                if (e.getKey() >= lookbackStart && e.getKey() < end) {
                    for (long sql : e.getValue()) {
                        mqlsWithSql += sql < end ? 1 : 0; // a revision later on does not count SQLs after the window
                    }
                }
            }
        }
        long churnedOfStart = 0;
        long churnedOfLookback = 0;
        for (Map.Entry<Long, long[]> e : store.churns().entries()) {
            for (long spell : e.getValue()) {
                if (e.getKey() >= start && e.getKey() < end && spell < start) {
                    churnedOfStart++;
                }
                if (e.getKey() >= lookbackStart && e.getKey() < end && spell < lookbackStart) {
                    churnedOfLookback++;
                }
            }
        }
        BigDecimal forecast = null;
        if (!w.name().equals("1h")) { // a channel's is zero: it has no deals
            forecast = store.forecasts().get(w.name() + "|" + start);
            if (forecast == null) {
                forecast = BigDecimal.ZERO; // the window began before this value's first fact: nothing was open
            }
        }
        long retentionStart = end - Math.max(s.retentionMillis(), end - start);
        BigDecimal[] retention = revenue ? retention(retentionStart, end, all ? null : value) : new BigDecimal[3];
        KpiExtras extras = new KpiExtras(
                atEnd.newMqls - atLookback.newMqls,
                mqlsWithSql,
                atStart.customers,
                churnedOfStart,
                atLookback.customers,
                churnedOfLookback,
                (end - lookbackStart) / 86_400_000.0,
                forecast,
                retention[0],
                retention[1],
                retention[2],
                s.quotas().of(key, w, start),
                deals && (w.name().equals("1M") || w.name().equals("1Q"))
                        ? LearnedForecasts.read(w, start, store)
                        : null,
                deals ? pipeline(w, start, atStart, atEnd) : null);
        return new KpiSnapshot(
                w.name(),
                start,
                end,
                dimension,
                value,
                KpiMetrics.values(atStart, atEnd, atLookback, s.stages(), deals, all, revenue, extras, s.grossMargin()),
                revision);
    }

    /** The pipeline at the end by stage and category, and the window's movement (docs/metrics.md#pipeline). */
    private KpiValues.Pipeline pipeline(KpiWindow w, long start, KpiCounters atStart, KpiCounters atEnd)
            throws Exception {
        List<String> stages = s.stages();
        KpiValues.Level[] byStage = new KpiValues.Level[stages.size()];
        for (int i = 0; i < byStage.length; i++) {
            PipelineLevel l = KpiCounters.levelOf(atEnd.openByStage, i);
            byStage[i] = new KpiValues.Level(stages.get(i), l.deals, KpiMetrics.money(l.amount));
        }
        ForecastCategory[] categories = ForecastCategory.values();
        KpiValues.Level[] byCategory = new KpiValues.Level[categories.length];
        for (ForecastCategory c : categories) {
            PipelineLevel l = c == ForecastCategory.CLOSED
                    ? new PipelineLevel(atEnd.dealsWon - atStart.dealsWon, atEnd.wonAmount.subtract(atStart.wonAmount))
                    : KpiCounters.levelOf(atEnd.openByCategory, c.ordinal());
            byCategory[c.ordinal()] = new KpiValues.Level(c.wireName(), l.deals, KpiMetrics.money(l.amount));
        }
        KpiValues.Level[] movement = null;
        int size = s.windows().indexOf(w);
        if (PipelineMovement.moves(w) && size >= 0) {
            List<KpiValues.Level> m = new ArrayList<>();
            PipelineLevel open = levelAt(atStart, w, start);
            m.add(new KpiValues.Level("openAtStart", open.deals, KpiMetrics.money(open.amount)));
            for (PipelineMovement.Flow f : PipelineMovement.Flow.values()) {
                if (f == PipelineMovement.Flow.REGRESSED) {
                    PipelineLevel end = levelAt(atEnd, w, start);
                    m.add(new KpiValues.Level("openAtEnd", end.deals, KpiMetrics.money(end.amount)));
                }
                PipelineLevel l = atEnd.flow(size, f).minus(atStart.flow(size, f));
                m.add(new KpiValues.Level(f.metric, l.deals, KpiMetrics.money(l.amount)));
            }
            movement = m.toArray(KpiValues.Level[]::new);
        }
        return new KpiValues.Pipeline(byStage, byCategory, movement);
    }

    /** The pipeline of a window at a mark, or, for the totals (no pipeline of their own), as it stands now. */
    private PipelineLevel levelAt(KpiCounters c, KpiWindow w, long start) throws Exception {
        if (c.pipelineByWindow != null) {
            return c.pipelineOf(w, start);
        }
        PipelineLevel l = store.pipelineLevels().get(KpiCounters.windowKey(w, start));
        return l == null ? new PipelineLevel() : l;
    }

    /** [base, now, gross] over the accounts that were customers (in {@code segment}, if given) at {@code from}. */
    private BigDecimal[] retention(long from, long end, String segment) throws Exception {
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal now = BigDecimal.ZERO;
        BigDecimal gross = BigDecimal.ZERO;
        for (List<ArrPoint> h : store.arrHistory().values()) {
            ArrPoint then = null;
            ArrPoint last = null;
            for (ArrPoint p : h) {
                if (p.at < from) {
                    then = p;
                }
                if (p.at < end) {
                    last = p;
                }
            }
            if (then == null
                    || then.arr.signum() <= 0
                    || segment != null && !segment.equals(then.segment == null ? UNKNOWN : then.segment)) {
                continue;
            }
            BigDecimal current = last.arr;
            base = base.add(then.arr);
            now = now.add(current);
            gross = gross.add(current.min(then.arr));
        }
        return new BigDecimal[] {base, now, gross};
    }

    /** The totals before {@code t}: a mark, or zero before the key's first fact. */
    private KpiCounters countersAt(long t) throws Exception {
        KpiCounters m = store.marks().get(t);
        if (m != null) {
            return m;
        }
        Long first = store.firstFactAt();
        if (first == null || t <= first) {
            return KpiCounters.zero(s.stages().size());
        }
        throw new IllegalStateException("no running totals were kept for " + Instant.ofEpochMilli(t));
    }
}
