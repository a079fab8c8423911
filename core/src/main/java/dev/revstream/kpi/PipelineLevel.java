package dev.revstream.kpi;

import java.math.BigDecimal;

/**
 * A count of deals and their amount: a level of the pipeline or a flow into or out of it. A Flink POJO.
 * In the engine's table of the open pipeline by close-date window it also keeps the deals' weighted
 * amount, the window's fixed-weight forecast F (null elsewhere, and in a level restored from before it
 * was kept, until the engine weighs it from the open deals).
 */
public class PipelineLevel {
    public long deals;
    public BigDecimal amount = BigDecimal.ZERO;
    public BigDecimal weighted;

    public PipelineLevel() {}

    public PipelineLevel(long deals, BigDecimal amount) {
        this.deals = deals;
        this.amount = amount;
    }

    void add(long n, BigDecimal a) {
        deals += n;
        amount = amount.add(a);
    }

    /** As {@link #add(long, BigDecimal)}, with the weighted amount's change. */
    void add(long n, BigDecimal a, BigDecimal w) {
        add(n, a);
        weighted = weighted == null ? w : weighted.add(w);
    }

    boolean isZero() {
        return deals == 0 && amount.signum() == 0 && (weighted == null || weighted.signum() == 0);
    }

    /** A copy of the count and amount (a mark's level: no weighted amount). */
    PipelineLevel copy() {
        return new PipelineLevel(deals, amount);
    }

    /** This level less {@code other} (a flow over a window from running totals). */
    PipelineLevel minus(PipelineLevel other) {
        return other == null ? copy() : new PipelineLevel(deals - other.deals, amount.subtract(other.amount));
    }
}
