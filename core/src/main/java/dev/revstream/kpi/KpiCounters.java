package dev.revstream.kpi;

import dev.revstream.attribution.AttributionModel;
import dev.revstream.model.ForecastCategory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Running totals of one dimension value since its first fact, plus the levels (open pipeline,
 * ARR, customers) as they stand. A window's figure is the difference of the totals at its end and
 * at its start; a lookback's the difference at the window's end and at end minus the lookback.
 * A Flink POJO; money is exact.
 */
public class KpiCounters {
    public long events;
    public long dealsCreated;
    public BigDecimal pipelineCreated = BigDecimal.ZERO;
    public long dealsAdopted;
    public long dealsWon;
    public BigDecimal wonAmount = BigDecimal.ZERO;
    public long cycleCount;
    public long cycleMillis;
    public long dealsLost;
    public long openDeals;
    public BigDecimal openAmount = BigDecimal.ZERO;
    public BigDecimal weightedAmount = BigDecimal.ZERO;
    public long[] stageExits = new long[0];
    public long[] stageForward = new long[0];
    public long[] stageMillis = new long[0];
    public long newLeads;
    public long newMqls;
    /** First MQLs of accounts whose first SQL came earlier. */
    public long newMqlsSqlBefore;

    public long newSqls;
    public long newOpportunities;
    public long newCustomers;
    public BigDecimal arr = BigDecimal.ZERO;
    public long customers;
    public BigDecimal newArr = BigDecimal.ZERO;
    public BigDecimal expansionArr = BigDecimal.ZERO;
    public BigDecimal contractionArr = BigDecimal.ZERO;
    public BigDecimal churnedArr = BigDecimal.ZERO;
    public BigDecimal spend = BigDecimal.ZERO;
    /** Attributed revenue in cents, by {@link dev.revstream.attribution.AttributionModel} ordinal. */
    public long[] attributedCents = new long[0];

    /** Open deals by stage (index in the configured stages). */
    public List<PipelineLevel> openByStage = new ArrayList<>();
    /** Open deals by forecast category ({@link ForecastCategory} ordinal). */
    public List<PipelineLevel> openByCategory = new ArrayList<>();
    /** Running totals of the pipeline movement: window size index x {@link PipelineMovement.Flow}. */
    public List<PipelineLevel> flows = new ArrayList<>();
    /**
     * In a mark: the open deals by the window their close date falls in ({@code size|windowStart}), for
     * the windows starting or ending at it. Null in the totals (the engine's table holds them).
     */
    public Map<String, PipelineLevel> pipelineByWindow;

    /**
     * In the totals: the engine's table of the open pipeline by close-date window keeps the weighted
     * amounts (false in totals restored from before it did: the engine weighs the table once).
     */
    public boolean levelsWeighted;

    public KpiCounters() {}

    /** Totals before any fact, sized for the stages. */
    public static KpiCounters zero(int stages) {
        KpiCounters c = new KpiCounters();
        c.stageExits = new long[stages];
        c.stageForward = new long[stages];
        c.stageMillis = new long[stages];
        c.pipelineByWindow = new HashMap<>(); // as a mark: no deal open (the engine drops it from the totals)
        c.levelsWeighted = true;
        return c;
    }

    public KpiCounters copy() {
        KpiCounters c = new KpiCounters();
        c.events = events;
        c.dealsCreated = dealsCreated;
        c.pipelineCreated = pipelineCreated;
        c.dealsAdopted = dealsAdopted;
        c.dealsWon = dealsWon;
        c.wonAmount = wonAmount;
        c.cycleCount = cycleCount;
        c.cycleMillis = cycleMillis;
        c.dealsLost = dealsLost;
        c.openDeals = openDeals;
        c.openAmount = openAmount;
        c.weightedAmount = weightedAmount;
        c.stageExits = stageExits.clone();
        c.stageForward = stageForward.clone();
        c.stageMillis = stageMillis.clone();
        c.newLeads = newLeads;
        c.newMqls = newMqls;
        c.newMqlsSqlBefore = newMqlsSqlBefore;
        c.newSqls = newSqls;
        c.newOpportunities = newOpportunities;
        c.newCustomers = newCustomers;
        c.arr = arr;
        c.customers = customers;
        c.newArr = newArr;
        c.expansionArr = expansionArr;
        c.contractionArr = contractionArr;
        c.churnedArr = churnedArr;
        c.spend = spend;
        c.attributedCents = attributedCents.clone();
        c.openByStage = copyOf(openByStage);
        c.openByCategory = copyOf(openByCategory);
        c.flows = copyOf(flows);
        c.levelsWeighted = levelsWeighted;
        c.pipelineByWindow = new HashMap<>();
        if (pipelineByWindow != null) {
            pipelineByWindow.forEach((k, v) -> c.pipelineByWindow.put(k, v.copy()));
        }
        return c;
    }

    /**
     * A copy of the totals to keep as the mark at {@code t}, with the pipeline (from the engine's table) of
     * only the windows starting or ending at t, the ones a report reads from it.
     */
    public KpiCounters markAt(long t, List<KpiWindow> windows, KpiStore.Table<String, PipelineLevel> levels)
            throws Exception {
        KpiCounters c = copy();
        c.pipelineByWindow = new HashMap<>();
        for (KpiWindow w : windows) {
            if (PipelineMovement.moves(w)) {
                for (long start : new long[] {t, w.startOf(t - 1)}) {
                    PipelineLevel l = levels.get(windowKey(w, start));
                    if (l != null) {
                        c.pipelineByWindow.put(windowKey(w, start), l.copy());
                    }
                }
            }
        }
        return c;
    }

    static String windowKey(KpiWindow w, long start) {
        return w.name() + "|" + start;
    }

    /** The open deals whose close date falls in the window of {@code w} starting at {@code start} (in a mark). */
    PipelineLevel pipelineOf(KpiWindow w, long start) {
        PipelineLevel l = pipelineByWindow == null ? null : pipelineByWindow.get(windowKey(w, start));
        return l == null ? new PipelineLevel() : l;
    }

    /** The running total of a flow for window size {@code size}. */
    PipelineLevel flow(int size, PipelineMovement.Flow flow) {
        int i = size * PipelineMovement.FLOWS + flow.ordinal();
        return flows == null || i >= flows.size() ? new PipelineLevel() : flows.get(i);
    }

    /** The open deals in a stage (by index) or category (by ordinal). */
    static PipelineLevel levelOf(List<PipelineLevel> levels, int i) {
        return levels == null || i >= levels.size() ? new PipelineLevel() : levels.get(i);
    }

    private static List<PipelineLevel> copyOf(List<PipelineLevel> levels) {
        List<PipelineLevel> out = new ArrayList<>(levels == null ? 0 : levels.size());
        if (levels != null) {
            levels.forEach(l -> out.add(l.copy()));
        }
        return out;
    }

    private static PipelineLevel grown(List<PipelineLevel> levels, int i) {
        while (levels.size() <= i) {
            levels.add(new PipelineLevel());
        }
        return levels.get(i);
    }

    /** Adds one fact (or the facts it sums), or takes it back if it is a retraction. */
    public void apply(KpiFact f, KpiSettings s) {
        List<String> stages = s.stages();
        int sign = f.retracted() ? -1 : 1;
        long n = sign * f.weight(); // the facts it stands for, signed
        events += n;
        BigDecimal amount = f.amount() == null ? BigDecimal.ZERO : f.amount();
        if (sign < 0) {
            amount = amount.negate();
        }
        switch (f.kind()) {
            case DEAL_CREATED -> {
                dealsCreated += n;
                pipelineCreated = pipelineCreated.add(amount);
            }
            case DEAL_ADOPTED -> dealsAdopted += n;
            case DEAL_WON -> {
                dealsWon += n;
                wonAmount = wonAmount.add(amount);
                if (f.millis() >= 0) {
                    cycleCount += n;
                    cycleMillis += sign * f.millis();
                }
            }
            case DEAL_LOST -> dealsLost += n;
            case STAGE_EXIT -> {
                int i = stages.indexOf(f.stage());
                if (i >= 0) {
                    grow(stages.size());
                    stageExits[i] += n;
                    stageForward[i] += f.forward() ? n : 0;
                    stageMillis[i] += sign * f.millis();
                }
            }
            case OPEN ->
                open(f.count(), amount, f.weighted(), f.stage(), f.category(), sign, stages); // before DEAL_MOVED
            case DEAL_MOVED -> {
                DealMove m = f.move();
                if (m.wasOpen()) {
                    BigDecimal a = m.amountBefore() == null ? BigDecimal.ZERO : m.amountBefore();
                    open(
                            -1,
                            sign < 0 ? a : a.negate(),
                            negate(m.weightedBefore()),
                            m.stageBefore(),
                            m.categoryBefore(),
                            sign,
                            stages);
                }
                if (m.isOpen()) {
                    open(1, amount, f.weighted(), f.stage(), f.category(), sign, stages);
                }
                moved(f, s, sign);
            }
            case FIRST_LEAD -> newLeads += n;
            case FIRST_MQL -> {
                newMqls += n;
                newMqlsSqlBefore += f.since() >= 0 ? n : 0;
            }
            case FIRST_SQL -> newSqls += n;
            case FIRST_DEAL -> newOpportunities += n;
            case NEW_CUSTOMER -> newCustomers += n;
            case ARR_LEVEL -> {
                arr = arr.add(amount);
                customers += sign * f.count();
            }
            case ARR_FLOW -> {
                switch (f.stage()) {
                    case "new" -> newArr = newArr.add(amount);
                    case "expansion" -> expansionArr = expansionArr.add(amount);
                    case "contraction" -> contractionArr = contractionArr.add(amount);
                    default -> churnedArr = churnedArr.add(amount);
                }
            }
            case SPEND -> spend = spend.add(amount);
            case ARR_ACCOUNT -> {}
            case ATTRIBUTED -> {
                int m = AttributionModel.valueOf(f.stage()).ordinal();
                if (attributedCents.length <= m) {
                    attributedCents = Arrays.copyOf(attributedCents, AttributionModel.values().length);
                }
                attributedCents[m] += sign * f.count();
            }
        }
    }

    /**
     * A deal's open contribution: {@code deals} (+1 in, -1 out), its signed amount and weighted amount,
     * under its stage and category; {@code sign} -1 takes it back.
     */
    private void open(
            long deals,
            BigDecimal amount,
            BigDecimal weighted,
            String stage,
            String category,
            int sign,
            List<String> stages) {
        long n = sign * deals;
        openDeals += n;
        openAmount = openAmount.add(amount);
        BigDecimal w = weighted == null ? BigDecimal.ZERO : weighted;
        weightedAmount = weightedAmount.add(sign < 0 ? w.negate() : w);
        int i = stage == null ? -1 : stages.indexOf(stage);
        if (i >= 0) {
            grown(openByStage(), i).add(n, amount);
        }
        ForecastCategory c = category == null ? null : ForecastCategory.parse(category);
        if (c != null) {
            grown(openByCategory(), c.ordinal()).add(n, amount);
        }
    }

    private static BigDecimal negate(BigDecimal v) {
        return v == null ? null : v.negate();
    }

    private List<PipelineLevel> openByStage() {
        if (openByStage == null) {
            openByStage = new ArrayList<>(); // restored from a release without it
        }
        return openByStage;
    }

    private List<PipelineLevel> openByCategory() {
        if (openByCategory == null) {
            openByCategory = new ArrayList<>();
        }
        return openByCategory;
    }

    /**
     * A deal moved: the flows of every window size, and, in a mark (the totals keep no pipeline by window:
     * the engine keeps it in a table), the pipeline of the windows of its close dates.
     */
    private void moved(KpiFact f, KpiSettings s, int sign) {
        if (flows == null) {
            flows = new ArrayList<>();
        }
        List<KpiWindow> windows = s.windows();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindow w = windows.get(i);
            if (PipelineMovement.moves(w)) {
                grown(flows, (i + 1) * PipelineMovement.FLOWS - 1);
                PipelineMovement.classify(f, w, s.stages(), sign, flows, i * PipelineMovement.FLOWS);
            }
        }
        if (pipelineByWindow != null) {
            for (PipelineMovement.LevelChange c : PipelineMovement.levels(f, windows, sign)) {
                PipelineLevel l = pipelineByWindow.computeIfAbsent(c.key(), x -> new PipelineLevel());
                l.add(c.deals(), c.amount());
                if (l.isZero()) {
                    pipelineByWindow.remove(c.key());
                }
            }
        }
    }

    private void grow(int n) {
        if (stageExits.length < n) {
            stageExits = Arrays.copyOf(stageExits, n);
            stageForward = Arrays.copyOf(stageForward, n);
            stageMillis = Arrays.copyOf(stageMillis, n);
        }
    }

    long attributed(int model) {
        return model < attributedCents.length ? attributedCents[model] : 0;
    }

    long exits(int i) {
        return i < stageExits.length ? stageExits[i] : 0;
    }

    long forward(int i) {
        return i < stageForward.length ? stageForward[i] : 0;
    }

    long millis(int i) {
        return i < stageMillis.length ? stageMillis[i] : 0;
    }
}
