package dev.revstream.kpi;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline movement of a window (docs/metrics.md#pipeline-movement): the deals open with an
 * expected close date in the window, at its start and its end, and what moved them in between.
 * A {@link FactKind#DEAL_MOVED} fact at t is sorted, for each window size, against the window that
 * holds t: a deal comes in when created with a close date in it ({@code created}), when its close date
 * moves into it ({@code pulledIn}) or when it comes from another owner, segment, region or type
 * ({@code movedIn}); it leaves when its close date moves out ({@code pushedOut}), when it is won or
 * lost, or when it goes to another owner, segment, region or type ({@code movedOut}); while in, its
 * amount goes up or down ({@code increased}, {@code decreased}: by the change). A deal that closes
 * outside the window's close dates is pulled in as it closes (its close date becomes the day it closed,
 * as CRMs set it), so every deal won in the window shows as won. {@code regressed} counts the deals that
 * moved back a stage while in; they neither come nor go. So, for counts of entries and amounts alike,
 * openAtStart + created + pulledIn + movedIn + increased - pushedOut - decreased - won - lost -
 * movedOut = openAtEnd (for counts, increased and decreased are not entries and are left out).
 */
public final class PipelineMovement {
    /** The flows, in the order they are reported. */
    public enum Flow {
        CREATED("created"),
        PULLED_IN("pulledIn"),
        MOVED_IN("movedIn"),
        INCREASED("increased"),
        PUSHED_OUT("pushedOut"),
        DECREASED("decreased"),
        WON("won"),
        LOST("lost"),
        MOVED_OUT("movedOut"),
        REGRESSED("regressed");

        public final String metric;

        Flow(String metric) {
            this.metric = metric;
        }
    }

    static final int FLOWS = Flow.values().length;

    private PipelineMovement() {}

    /** Whether a window size has a movement: not hourly ones (close dates are days). */
    static boolean moves(KpiWindow w) {
        return !w.name().equals("1h");
    }

    /** The start of the window of size {@code w} that holds the close date, or null without one. */
    static Long windowOf(KpiWindow w, String closeDate) {
        if (closeDate == null) {
            return null;
        }
        return w.startOf(
                LocalDate.parse(closeDate).atStartOfDay(w.zone()).toInstant().toEpochMilli());
    }

    /**
     * Adds a DEAL_MOVED fact's flows, for the window of {@code w} holding the fact, to {@code flows}
     * (from {@code offset}, by {@link Flow#ordinal()}), each with {@code sign} (-1 for a retraction).
     */
    static void classify(KpiFact f, KpiWindow w, List<String> stages, int sign, List<PipelineLevel> flows, int offset) {
        DealMove m = f.move();
        long start = w.startOf(f.at());
        Long before = m.wasOpen() ? windowOf(w, m.closeBefore()) : null;
        Long after = m.isOpen() ? windowOf(w, f.expectedCloseDate()) : null;
        boolean inBefore = before != null && before == start;
        boolean inAfter = after != null && after == start;
        BigDecimal amountBefore = m.amountBefore() == null ? BigDecimal.ZERO : m.amountBefore();
        BigDecimal amountAfter = f.amount() == null ? BigDecimal.ZERO : f.amount();
        if (!m.wasOpen()) {
            if (inAfter) {
                add(flows, offset, m.movedIn() ? Flow.MOVED_IN : Flow.CREATED, sign, amountAfter);
            }
        } else if (!m.isOpen()) {
            switch (m.outcome()) {
                case "won", "lost" -> {
                    if (!inBefore) {
                        add(flows, offset, Flow.PULLED_IN, sign, amountBefore);
                    }
                    add(flows, offset, m.outcome().equals("won") ? Flow.WON : Flow.LOST, sign, amountBefore);
                }
                default -> {
                    if (inBefore) {
                        add(flows, offset, Flow.MOVED_OUT, sign, amountBefore);
                    }
                }
            }
        } else if (inBefore && inAfter) {
            int cmp = amountAfter.compareTo(amountBefore);
            if (cmp > 0) {
                add(flows, offset, Flow.INCREASED, sign, amountAfter.subtract(amountBefore));
            } else if (cmp < 0) {
                add(flows, offset, Flow.DECREASED, sign, amountBefore.subtract(amountAfter));
            }
            if (m.stageBefore() != null
                    && f.stage() != null
                    && stages.indexOf(f.stage()) < stages.indexOf(m.stageBefore())) {
                add(flows, offset, Flow.REGRESSED, sign, amountAfter);
            }
        } else if (inAfter) {
            add(flows, offset, Flow.PULLED_IN, sign, amountAfter);
        } else if (inBefore) {
            add(flows, offset, Flow.PUSHED_OUT, sign, amountBefore);
        }
    }

    /** A change of the open pipeline of the window {@code key} ({@code size|start}): deals, amount, weighted amount. */
    record LevelChange(String key, long deals, BigDecimal amount, BigDecimal weighted) {}

    /**
     * The changes a DEAL_MOVED fact makes to the open pipeline by the window of the close date, for every
     * size that moves: out of its window before, into its window after (with {@code sign}).
     */
    static List<LevelChange> levels(KpiFact f, List<KpiWindow> windows, int sign) {
        DealMove m = f.move();
        List<LevelChange> out = new ArrayList<>(2 * windows.size());
        for (KpiWindow w : windows) {
            if (!moves(w)) {
                continue;
            }
            if (m.wasOpen()) {
                Long start = windowOf(w, m.closeBefore());
                if (start != null) {
                    BigDecimal a = m.amountBefore() == null ? BigDecimal.ZERO : m.amountBefore();
                    BigDecimal wa = m.weightedBefore() == null ? BigDecimal.ZERO : m.weightedBefore();
                    out.add(new LevelChange(
                            KpiCounters.windowKey(w, start),
                            -sign,
                            sign < 0 ? a : a.negate(),
                            sign < 0 ? wa : wa.negate()));
                }
            }
            if (m.isOpen()) {
                Long start = windowOf(w, f.expectedCloseDate());
                if (start != null) {
                    BigDecimal a = f.amount() == null ? BigDecimal.ZERO : f.amount();
                    BigDecimal wa = f.weighted() == null ? BigDecimal.ZERO : f.weighted();
                    out.add(new LevelChange(
                            KpiCounters.windowKey(w, start),
                            sign,
                            sign < 0 ? a.negate() : a,
                            sign < 0 ? wa.negate() : wa));
                }
            }
        }
        return out;
    }

    /** Applies a DEAL_MOVED fact's changes to the pipeline by window in {@code table} (the live one). */
    static void levels(KpiFact f, List<KpiWindow> windows, KpiStore.Table<String, PipelineLevel> table)
            throws Exception {
        for (LevelChange c : levels(f, windows, f.retracted() ? -1 : 1)) {
            PipelineLevel l = table.get(c.key());
            l = l == null ? new PipelineLevel() : l;
            l.add(c.deals(), c.amount(), c.weighted());
            if (l.isZero()) {
                table.remove(c.key());
            } else {
                table.put(c.key(), l);
            }
        }
    }

    /**
     * Adds a weighted amount (signed) to the windows of every size that moves holding {@code closeDate} in
     * {@code table}: an open deal of a book from before the levels were weighted, or an OPEN fact of a
     * release before DEAL_MOVED.
     */
    static void weigh(
            String closeDate, BigDecimal weighted, List<KpiWindow> windows, KpiStore.Table<String, PipelineLevel> table)
            throws Exception {
        if (closeDate == null || weighted == null) {
            return;
        }
        for (KpiWindow w : windows) {
            if (!moves(w)) {
                continue;
            }
            String key = KpiCounters.windowKey(w, windowOf(w, closeDate));
            PipelineLevel l = table.get(key);
            l = l == null ? new PipelineLevel() : l;
            l.add(0, BigDecimal.ZERO, weighted);
            if (l.isZero()) {
                table.remove(key);
            } else {
                table.put(key, l);
            }
        }
    }

    private static void add(List<PipelineLevel> flows, int offset, Flow flow, int sign, BigDecimal amount) {
        PipelineLevel l = flows.get(offset + flow.ordinal());
        l.add(sign, sign < 0 ? amount.negate() : amount);
    }
}
