package dev.revstream.kpi;

import java.math.BigDecimal;

/** An account's ARR from {@code at} on, while in {@code segment}. A Flink POJO. */
public class ArrPoint {
    public long at;
    public BigDecimal arr;
    public String segment;

    public ArrPoint() {}

    public ArrPoint(long at, BigDecimal arr, String segment) {
        this.at = at;
        this.arr = arr;
        this.segment = segment;
    }
}
