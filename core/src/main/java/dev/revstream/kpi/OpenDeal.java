package dev.revstream.kpi;

import java.math.BigDecimal;

/** An open deal in a dimension value's forecast book: its expected close date and weighted amount. A Flink POJO. */
public class OpenDeal {
    public String expectedCloseDate;
    public BigDecimal weighted;

    public OpenDeal() {}

    public OpenDeal(String expectedCloseDate, BigDecimal weighted) {
        this.expectedCloseDate = expectedCloseDate;
        this.weighted = weighted;
    }
}
