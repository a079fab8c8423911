package dev.revstream.kpi;

import java.util.ArrayList;
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
 * <p>State: the totals, the buffer (emptied as the watermark passes), the next window end per size,
 * and marks, each removed once no future window can look back to it.
 */
public class KpiFunction extends KeyedProcessFunction<String, KpiFact, KpiSnapshot> {
    private static final long serialVersionUID = 1L;

    /** The global job parameter with the earliest event time of a bounded run (epoch ms). */
    public static final String EARLIEST_PARAMETER = "revstream.earliest";

    private final List<KpiWindow> windows;
    private final List<String> stages;
    private final long lookbackMillis;
    private final Long asOfSetting;

    private transient Long asOf;
    private transient Long earliest;
    private transient ValueState<KpiCounters> totals;
    private transient MapState<Long, List<KpiFact>> pending;
    private transient MapState<Long, KpiCounters> marks;
    private transient MapState<Long, Boolean> wantedMarks;
    private transient ValueState<long[]> nextEnds;
    private transient ValueState<Long> firstFactAt;

    public KpiFunction(List<KpiWindow> windows, List<String> stages, long lookbackMillis, Long asOf) {
        this.windows = List.copyOf(windows);
        this.stages = List.copyOf(stages);
        this.lookbackMillis = lookbackMillis;
        this.asOfSetting = asOf;
    }

    @Override
    public void open(OpenContext ctx) {
        Map<String, String> params = getRuntimeContext().getGlobalJobParameters();
        String p = params == null ? null : params.get(dev.revstream.journey.JourneyFunction.AS_OF_PARAMETER);
        asOf = p != null ? Long.valueOf(p) : asOfSetting;
        String e = params == null ? null : params.get(EARLIEST_PARAMETER);
        earliest = e == null ? null : Long.valueOf(e);
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals", Types.POJO(KpiCounters.class)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-facts", Types.LONG, Types.LIST(Types.POJO(KpiFact.class))));
        marks = getRuntimeContext().getMapState(new MapStateDescriptor<>("marks", Types.LONG, Types.POJO(KpiCounters.class)));
        wantedMarks = getRuntimeContext().getMapState(new MapStateDescriptor<>("wanted-marks", Types.LONG, Types.BOOLEAN));
        nextEnds = getRuntimeContext().getState(new ValueStateDescriptor<>("next-ends", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        firstFactAt = getRuntimeContext().getState(new ValueStateDescriptor<>("first-fact-at", Types.LONG));
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
        }
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
                long next = w.endOf(t);
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
            }
            pending.remove(t);
        }
        totals.update(now);
    }

    private void report(KpiWindow w, long start, long end, KpiCounters atEnd, String key, Collector<KpiSnapshot> out) throws Exception {
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
        boolean revenue = all || dimension.equals("segment");
        out.collect(new KpiSnapshot(w.name(), start, end, dimension, value,
                KpiMetrics.json(atStart, atEnd, atLookback, stages, deals, all, revenue)));
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
        throw new IllegalStateException("no running totals were kept for " + java.time.Instant.ofEpochMilli(t));
    }

    private void forgetMarksBefore(long t) throws Exception {
        long longest = lookbackMillis;
        for (KpiWindow w : windows) {
            long s = w.startOf(t);
            longest = Math.max(longest, w.endOf(w.endOf(s)) - s);
        }
        long keepFrom = t - longest - 1;
        List<Long> old = new ArrayList<>();
        for (Long k : marks.keys()) {
            if (k < keepFrom) {
                old.add(k);
            }
        }
        for (Long k : old) {
            marks.remove(k);
        }
    }
}
