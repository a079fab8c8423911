package dev.revstream.kpi;

import dev.revstream.attribution.AttributionModel;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

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

    public KpiCounters() {}

    /** Totals before any fact, sized for the stages. */
    public static KpiCounters zero(int stages) {
        KpiCounters c = new KpiCounters();
        c.stageExits = new long[stages];
        c.stageForward = new long[stages];
        c.stageMillis = new long[stages];
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
        return c;
    }

    /** Adds one fact, or takes it back if it is a retraction; {@code stages} are the open stages in order. */
    public void apply(KpiFact f, List<String> stages) {
        int sign = f.retracted() ? -1 : 1;
        events += sign;
        BigDecimal amount = f.amount() == null ? BigDecimal.ZERO : f.amount();
        if (sign < 0) {
            amount = amount.negate();
        }
        switch (f.kind()) {
            case DEAL_CREATED -> {
                dealsCreated += sign;
                pipelineCreated = pipelineCreated.add(amount);
            }
            case DEAL_ADOPTED -> dealsAdopted += sign;
            case DEAL_WON -> {
                dealsWon += sign;
                wonAmount = wonAmount.add(amount);
                if (f.millis() >= 0) {
                    cycleCount += sign;
                    cycleMillis += sign * f.millis();
                }
            }
            case DEAL_LOST -> dealsLost += sign;
            case STAGE_EXIT -> {
                int i = stages.indexOf(f.stage());
                if (i >= 0) {
                    grow(stages.size());
                    stageExits[i] += sign;
                    stageForward[i] += f.forward() ? sign : 0;
                    stageMillis[i] += sign * f.millis();
                }
            }
            case OPEN -> {
                openDeals += sign * f.count();
                openAmount = openAmount.add(amount);
                BigDecimal weighted = f.weighted() == null ? BigDecimal.ZERO : f.weighted();
                weightedAmount = weightedAmount.add(sign < 0 ? weighted.negate() : weighted);
            }
            case FIRST_LEAD -> newLeads += sign;
            case FIRST_MQL -> {
                newMqls += sign;
                newMqlsSqlBefore += f.since() >= 0 ? sign : 0;
            }
            case FIRST_SQL -> newSqls += sign;
            case FIRST_DEAL -> newOpportunities += sign;
            case NEW_CUSTOMER -> newCustomers += sign;
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
