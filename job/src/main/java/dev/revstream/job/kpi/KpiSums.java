package dev.revstream.job.kpi;

import dev.revstream.job.sums.Presums;
import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.KpiFact;
import dev.revstream.kpi.KpiSlices;
import dev.revstream.kpi.KpiWindow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the KPI facts that only add to running totals before the KPIs' {@code keyBy} (the two-phase
 * aggregation of Flink SQL): facts of one dimension value, kind and {@link KpiSlices slice} (the time
 * between two instants at which a KPI value can fire), and of the same stage, direction, sign and
 * flags, become one fact that stands for all of them ({@link KpiFact#weight()}), with their counts,
 * amounts and durations added up and the latest time among them. The KPI engine applies every fact of
 * a slice at the same firing, so the sum changes no total, mark or window. Facts that need their
 * identity (a deal's move, an account's ARR, an SQL after an MQL, a churn) pass through at once.
 * Chained after the fan-out in the operator that makes the facts.
 *
 * <p>Sums are sent as {@link Presums} says, in time order.
 */
public class KpiSums extends Presums<KpiFact> {
    private static final long serialVersionUID = 1L;

    private final List<KpiWindow> windows;
    private final long lookbackMillis;
    private transient KpiSlices slices;
    private transient Map<Group, Sum> sums;

    /** What facts must share to be summed: everything the KPIs read of them besides what is added up. */
    private record Group(
            String dimension,
            String value,
            FactKind kind,
            long sliceEnd,
            String stage,
            boolean forward,
            boolean timed,
            boolean since,
            boolean retracted) {}

    private static final class Sum {
        KpiFact first;
        long at;
        long facts;
        long count;
        BigDecimal amount;
        long millis;
    }

    /** @param lookbackMillis the KPIs' lookback ({@code kpi.lookback}), which places their marks */
    public KpiSums(List<KpiWindow> windows, long lookbackMillis) {
        this.windows = List.copyOf(windows);
        this.lookbackMillis = lookbackMillis;
        new KpiSlices(windows, lookbackMillis); // checks the settings at wiring time
    }

    /** Whether the KPIs read nothing of this fact but what a sum keeps. */
    static boolean summable(KpiFact f) {
        return switch (f.kind()) {
            case DEAL_CREATED,
                    DEAL_ADOPTED,
                    DEAL_WON,
                    DEAL_LOST,
                    STAGE_EXIT,
                    FIRST_LEAD,
                    FIRST_MQL,
                    FIRST_DEAL,
                    NEW_CUSTOMER,
                    ARR_LEVEL,
                    SPEND,
                    ATTRIBUTED -> true;
            case FIRST_SQL -> f.since() < 0; // an SQL after an MQL is kept with its times
            case ARR_FLOW -> !"churn".equals(f.stage()); // a churn is kept with its customer spell
            default -> false;
        };
    }

    @Override
    public void open() throws Exception {
        slices = new KpiSlices(windows, lookbackMillis);
        sums = new HashMap<>();
        super.open();
    }

    @Override
    protected void add(StreamRecord<KpiFact> record) {
        KpiFact f = record.getValue();
        long sliceEnd;
        try {
            sliceEnd = summable(f) ? slices.sliceEnd(f.at()) : Long.MIN_VALUE;
        } catch (RuntimeException e) {
            // a time no calendar holds: the KPIs' own fence makes it a dead letter, this must not stop the job
            sliceEnd = Long.MIN_VALUE;
        }
        if (sliceEnd == Long.MIN_VALUE) {
            output.collect(record);
            return;
        }
        Group g = new Group(
                f.dimension(),
                f.dimensionValue(),
                f.kind(),
                sliceEnd,
                f.stage(),
                f.forward(),
                f.millis() >= 0,
                f.since() >= 0,
                f.retracted());
        Sum sum = sums.get(g);
        if (sum == null) {
            sum = new Sum();
            sum.first = f;
            sum.at = f.at();
            sum.amount = BigDecimal.ZERO;
            sums.put(g, sum);
        }
        sum.at = Math.max(sum.at, f.at());
        sum.facts += f.weight();
        sum.count += f.count();
        sum.amount = f.amount() == null ? sum.amount : sum.amount.add(f.amount());
        sum.millis += f.millis(); // a won deal's cycle is -1 where unknown: their sum stays negative, as the KPIs need
    }

    @Override
    protected int held() {
        return sums.size();
    }

    @Override
    protected List<StreamRecord<KpiFact>> takeSums() {
        List<KpiFact> out = new ArrayList<>(sums.size());
        sums.forEach(
                (g, s) -> out.add(s.facts == 1 ? s.first : s.first.summed(s.at, s.facts, s.count, s.amount, s.millis)));
        sums.clear();
        out.sort(Comparator.comparingLong(KpiFact::at));
        List<StreamRecord<KpiFact>> records = new ArrayList<>(out.size());
        out.forEach(f -> records.add(new StreamRecord<>(f, f.at())));
        return records;
    }
}
