package dev.revstream.job.kpi;

import dev.revstream.job.settings.JobParameters;
import dev.revstream.kpi.ArrPoint;
import dev.revstream.kpi.KpiCounters;
import dev.revstream.kpi.KpiExtras;
import dev.revstream.kpi.KpiFact;
import dev.revstream.kpi.KpiMetrics;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.kpi.OpenDeal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Windowed KPI snapshots for one dimension value (the key, e.g. {@code segment=smb}).
 *
 * <p>Facts wait in a buffer until the watermark passes them (they arrive in event-time order from
 * the journey, never late). At each instant t with a timer: first the totals as they stand (every
 * fact before t) are kept as a mark where a later lookback needs them, then every window of every
 * configured size ending at t is reported (its figures are differences of marks, so a snapshot costs
 * the same however many events it covers), then the facts at t are applied. Windows run from the one
 * holding the key's first fact (for {@code all}: the earliest event of the input) onward; {@code all}
 * reports every window, other values only windows with a fact in them or an open deal at the end.
 * With an as-of time (a bounded run) only windows ending by it exist.
 *
 * <p>Facts of one key arrive over several channels, so the first to arrive may not be the earliest;
 * an earlier one moves the key's first window back (it can, since no fact is behind the watermark).
 *
 * <p>State: the totals, the buffer (emptied as the watermark passes), the next window end per size,
 * and marks, each removed once no future window can look back to it.
 */
public class KpiFunction extends KeyedProcessFunction<String, KpiFact, KpiSnapshot> {
    private static final long serialVersionUID = 1L;

    private final List<KpiWindow> windows;
    private final List<String> stages;
    private final long lookbackMillis;
    private final long retentionMillis;
    private final double grossMargin;
    private final Long asOfSetting;

    private transient Long asOf;
    private transient Long earliest;
    private transient ValueState<KpiCounters> totals;
    private transient MapState<Long, List<KpiFact>> pending;
    private transient MapState<Long, KpiCounters> marks;
    private transient MapState<Long, Boolean> wantedMarks;
    private transient ValueState<long[]> nextEnds;
    private transient ValueState<Long> firstFactAt;
    /** Accounts whose first SQL followed their first MQL, counted by the MQL's time. */
    private transient MapState<Long, Long> sqlAfterMql;
    /** Churns by time, with when each churned customer's spell began. */
    private transient MapState<Long, long[]> churns;
    /** The open deals under this dimension value, for the forecast. */
    private transient MapState<String, OpenDeal> book;
    /** F of each window that has started, by "size|start". */
    private transient MapState<String, BigDecimal> forecasts;
    /** Each account's ARR over time, for retention. */
    private transient MapState<String, List<ArrPoint>> arrHistory;

    public KpiFunction(List<KpiWindow> windows, List<String> stages, long lookbackMillis, Long asOf) {
        this(windows, stages, lookbackMillis, 365 * 86_400_000L, 1.0, asOf);
    }

    /**
     * @param lookbackMillis L: metrics "in L" use max(L, window length)
     * @param retentionMillis R: retention uses max(R, window length)
     * @param grossMargin for CLV
     * @param asOf the as-of time when known at build time (else from the job parameters), or null
     */
    public KpiFunction(
            List<KpiWindow> windows,
            List<String> stages,
            long lookbackMillis,
            long retentionMillis,
            double grossMargin,
            Long asOf) {
        this.windows = List.copyOf(windows);
        this.stages = List.copyOf(stages);
        this.lookbackMillis = lookbackMillis;
        this.retentionMillis = retentionMillis;
        this.grossMargin = grossMargin;
        this.asOfSetting = asOf;
    }

    @Override
    public void open(OpenContext ctx) {
        JobParameters params = JobParameters.of(getRuntimeContext());
        asOf = params.asOf() != null ? params.asOf() : asOfSetting;
        earliest = params.earliest();
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals", Types.POJO(KpiCounters.class)));
        pending = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("pending-facts", Types.LONG, Types.LIST(Types.POJO(KpiFact.class))));
        marks = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("marks", Types.LONG, Types.POJO(KpiCounters.class)));
        wantedMarks =
                getRuntimeContext().getMapState(new MapStateDescriptor<>("wanted-marks", Types.LONG, Types.BOOLEAN));
        nextEnds = getRuntimeContext()
                .getState(
                        new ValueStateDescriptor<>("next-ends", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        firstFactAt = getRuntimeContext().getState(new ValueStateDescriptor<>("first-fact-at", Types.LONG));
        sqlAfterMql =
                getRuntimeContext().getMapState(new MapStateDescriptor<>("sql-after-mql", Types.LONG, Types.LONG));
        churns = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "churns", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        book = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("open-deals", Types.STRING, Types.POJO(OpenDeal.class)));
        forecasts = getRuntimeContext().getMapState(new MapStateDescriptor<>("forecasts", Types.STRING, Types.BIG_DEC));
        arrHistory = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("arr-history", Types.STRING, Types.LIST(Types.POJO(ArrPoint.class))));
    }

    @Override
    public void processElement(KpiFact f, Context ctx, Collector<KpiSnapshot> out) throws Exception {
        List<KpiFact> at = pending.get(f.at());
        if (at == null) {
            at = new ArrayList<>(2);
            ctx.timerService().registerEventTimeTimer(f.at());
        }
        at.add(f);
        pending.put(f.at(), at);
        if (nextEnds.value() == null) {
            start(f, ctx);
        } else if (f.at() < firstFactAt.value()) {
            // facts reach a key over several channels, so the first to arrive need not be the earliest:
            // the windows begin earlier (a fact is never behind the watermark, so none of them has ended)
            startEarlier(f, ctx);
        }
    }

    private void startEarlier(KpiFact f, Context ctx) throws Exception {
        long[] ends = nextEnds.value();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindow w = windows.get(i);
            long end = w.endOf(w.startOf(f.at()));
            if (end < ends[i]) {
                if (asOf == null || end <= asOf) {
                    ctx.timerService().registerEventTimeTimer(end);
                }
                wantMarks(w, f.at() - 1, ends[i], ctx);
                ends[i] = end;
            }
        }
        nextEnds.update(ends);
        firstFactAt.update(f.at());
    }

    /** Starts the windows at the one holding the key's first fact (or the input's earliest event, for all). */
    private void start(KpiFact f, Context ctx) throws Exception {
        long from = f.at();
        if (earliest != null && "all".equals(f.dimension())) {
            from = Math.min(from, earliest);
        }
        long[] ends = new long[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            KpiWindow w = windows.get(i);
            ends[i] = w.endOf(w.startOf(from));
            if (asOf == null || ends[i] <= asOf) {
                ctx.timerService().registerEventTimeTimer(ends[i]);
            }
            wantMarks(w, from - 1, ends[i], ctx);
        }
        nextEnds.update(ends);
        firstFactAt.update(f.at());
    }

    /** Registers marks for the lookbacks of windows whose lookback starts in (after, until]. */
    private void wantMarks(KpiWindow w, long after, long until, Context ctx) throws Exception {
        for (long start = w.startOf(after + lookbackMillis); ; start = w.endOf(start)) {
            long end = w.endOf(start);
            long mark = end - lookback(w, start, end);
            if (mark > until) {
                break;
            }
            if (mark > after && (asOf == null || end <= asOf) && !wantedMarks.contains(mark)) {
                wantedMarks.put(mark, true);
                ctx.timerService().registerEventTimeTimer(mark);
            }
        }
    }

    private long lookback(KpiWindow w, long start, long end) {
        return Math.max(lookbackMillis, end - start);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
        KpiCounters now = totals.value();
        if (now == null) {
            now = KpiCounters.zero(stages.size());
        }
        if (wantedMarks.contains(t)) {
            marks.put(t, now.copy());
            wantedMarks.remove(t);
        }
        long[] ends = nextEnds.value();
        if (ends != null) {
            boolean changed = false;
            for (int i = 0; i < windows.size(); i++) {
                if (ends[i] != t) {
                    continue;
                }
                KpiWindow w = windows.get(i);
                long start = w.startOf(t - 1);
                report(w, start, t, now, ctx.getCurrentKey(), out);
                forecasts.remove(w.name() + "|" + start);
                long next = w.endOf(t);
                forecasts.put(w.name() + "|" + t, forecast(w, t, next));
                ends[i] = next;
                changed = true;
                // the end of a bounded input (the final watermark) without an as-of time: no window is due any more
                boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE && asOf == null;
                if (!endOfInput && (asOf == null || next <= asOf)) {
                    ctx.timerService().registerEventTimeTimer(next);
                    wantMarks(w, t, next, ctx);
                }
            }
            if (changed) {
                nextEnds.update(ends);
                marks.put(t, now.copy()); // the start of every window beginning here
                forgetMarksBefore(t);
            }
        }
        List<KpiFact> due = pending.get(t);
        if (due != null) {
            for (KpiFact f : due) {
                now.apply(f, stages);
                books(f);
            }
            pending.remove(t);
        }
        totals.update(now);
    }

    /** Keeps the books that running totals cannot replace. */
    private void books(KpiFact f) throws Exception {
        switch (f.kind()) {
            case FIRST_SQL -> {
                if (f.since() >= 0) {
                    Long n = sqlAfterMql.get(f.since());
                    sqlAfterMql.put(f.since(), n == null ? 1 : n + 1);
                }
            }
            case ARR_FLOW -> {
                if ("churn".equals(f.stage())) {
                    long[] spells = churns.get(f.at());
                    long[] more = spells == null ? new long[1] : Arrays.copyOf(spells, spells.length + 1);
                    more[more.length - 1] = f.since();
                    churns.put(f.at(), more);
                }
            }
            case OPEN -> {
                if (f.count() < 0) {
                    book.remove(f.dealId());
                } else if (f.count() > 0) {
                    book.put(f.dealId(), new OpenDeal(f.expectedCloseDate(), f.weighted()));
                }
            }
            case ARR_ACCOUNT -> {
                List<ArrPoint> h = arrHistory.get(f.accountId());
                h = h == null ? new ArrayList<>(2) : h;
                h.add(new ArrPoint(f.at(), f.amount(), f.segment()));
                arrHistory.put(f.accountId(), h);
            }
            default -> {}
        }
    }

    /** F of the window [start, end): open deals now whose expected close date falls in it, weighted. */
    private BigDecimal forecast(KpiWindow w, long start, long end) throws Exception {
        LocalDate from = Instant.ofEpochMilli(start).atZone(w.zone()).toLocalDate();
        LocalDate to = Instant.ofEpochMilli(end).atZone(w.zone()).toLocalDate();
        BigDecimal f = BigDecimal.ZERO;
        for (OpenDeal d : book.values()) {
            if (d.expectedCloseDate != null) {
                LocalDate c = LocalDate.parse(d.expectedCloseDate);
                if (!c.isBefore(from) && c.isBefore(to)) {
                    f = f.add(d.weighted);
                }
            }
        }
        return f;
    }

    private void report(KpiWindow w, long start, long end, KpiCounters atEnd, String key, Collector<KpiSnapshot> out)
            throws Exception {
        KpiCounters atStart = countersAt(start);
        KpiCounters atLookback = countersAt(end - lookback(w, start, end));
        int eq = key.indexOf('=');
        String dimension = key.substring(0, eq);
        String value = key.substring(eq + 1);
        boolean all = dimension.equals("all");
        if (!all && atEnd.events == atStart.events && atEnd.openDeals == 0) {
            return; // nothing counted in it and no open deal at its end
        }
        boolean deals = !dimension.equals("channel");
        // a channel's snapshot: its spend and the credits of deals won in the window
        boolean revenue = all || dimension.equals("segment");
        long lookbackStart = end - lookback(w, start, end);
        long mqlsWithSql = atEnd.newMqlsSqlBefore - atLookback.newMqlsSqlBefore;
        if (all) {
            for (Map.Entry<Long, Long> e : sqlAfterMql.entries()) {
                if (e.getKey() >= lookbackStart && e.getKey() < end) {
                    mqlsWithSql += e.getValue();
                }
            }
        }
        long churnedOfStart = 0;
        long churnedOfLookback = 0;
        for (Map.Entry<Long, long[]> e : churns.entries()) {
            for (long spell : e.getValue()) {
                if (e.getKey() >= start && e.getKey() < end && spell < start) {
                    churnedOfStart++;
                }
                if (e.getKey() >= lookbackStart && e.getKey() < end && spell < lookbackStart) {
                    churnedOfLookback++;
                }
            }
        }
        BigDecimal forecast = w.name().equals("1h") ? null : forecasts.get(w.name() + "|" + start);
        if (forecast == null && !w.name().equals("1h")) {
            forecast = BigDecimal.ZERO; // the window began before this value's first fact: nothing was open
        }
        long retentionStart = end - Math.max(retentionMillis, end - start);
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
                retention[2]);
        out.collect(new KpiSnapshot(
                w.name(),
                start,
                end,
                dimension,
                value,
                KpiMetrics.json(atStart, atEnd, atLookback, stages, deals, all, revenue, extras, grossMargin)));
    }

    /** [base, now, gross] over the accounts that were customers (in {@code segment}, if given) at {@code from}. */
    private BigDecimal[] retention(long from, long end, String segment) throws Exception {
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal now = BigDecimal.ZERO;
        BigDecimal gross = BigDecimal.ZERO;
        for (List<ArrPoint> h : arrHistory.values()) {
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
                    || segment != null && !segment.equals(then.segment == null ? KpiFanOut.UNKNOWN : then.segment)) {
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
        KpiCounters m = marks.get(t);
        if (m != null) {
            return m;
        }
        Long first = firstFactAt.value();
        if (first == null || t <= first) {
            return KpiCounters.zero(stages.size());
        }
        throw new IllegalStateException("no running totals were kept for " + Instant.ofEpochMilli(t));
    }

    private static void removeKeysBefore(MapState<Long, ?> map, long keepFrom) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long k : map.keys()) {
            if (k < keepFrom) {
                old.add(k);
            }
        }
        for (Long k : old) {
            map.remove(k);
        }
    }

    private void forgetMarksBefore(long t) throws Exception {
        long longest = lookbackMillis;
        for (KpiWindow w : windows) {
            long s = w.startOf(t);
            longest = Math.max(longest, w.endOf(w.endOf(s)) - s);
        }
        long keepFrom = t - longest - 1;
        removeKeysBefore(marks, keepFrom);
        removeKeysBefore(sqlAfterMql, keepFrom);
        removeKeysBefore(churns, keepFrom);
        // ARR history: keep what retention can still look back to, and the last point before that
        long arrFrom = t - Math.max(retentionMillis, longest) - 1;
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, List<ArrPoint>> e : arrHistory.entries()) {
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
                    arrHistory.put(e.getKey(), kept);
                }
            } else if (h.size() == 1 && h.get(0).arr.signum() == 0 && h.get(0).at < arrFrom) {
                gone.add(e.getKey());
            }
        }
        for (String k : gone) {
            arrHistory.remove(k);
        }
    }
}
