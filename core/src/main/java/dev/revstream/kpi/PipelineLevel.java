package dev.revstream.kpi;

import java.math.BigDecimal;

/** A count of deals and their amount: a level of the pipeline or a flow into or out of it. A Flink POJO. */
public class PipelineLevel {
    public long deals;
    public BigDecimal amount = BigDecimal.ZERO;

    public PipelineLevel() {}

    public PipelineLevel(long deals, BigDecimal amount) {
        this.deals = deals;
        this.amount = amount;
    }

    void add(long n, BigDecimal a) {
        deals += n;
        amount = amount.add(a);
    }

    boolean isZero() {
        return deals == 0 && amount.signum() == 0;
    }

    PipelineLevel copy() {
        return new PipelineLevel(deals, amount);
    }

    /** This level less {@code other} (a flow over a window from running totals). */
    PipelineLevel minus(PipelineLevel other) {
        return other == null ? copy() : new PipelineLevel(deals - other.deals, amount.subtract(other.amount));
    }
}
