package dev.revstream.journey;

import java.io.Serializable;

/**
 * The customer health score and the churn-risk thresholds. The score starts at 100 and loses
 * points for each signal seen in its window ("the last N days" of an evaluation at T is
 * (T - N, T]).
 */
public record HealthSettings(
        int churnBelow,
        int rearmAt,
        int criticalBelow,
        int usageDropPoints,
        double usageDropRatio,
        long usageWindowMillis,
        int ticketPoints,
        int ticketCount,
        long ticketWindowMillis,
        int npsPoints,
        int npsMaxScore,
        long npsWindowMillis,
        int championPoints,
        long championWindowMillis,
        int paymentPoints,
        long paymentWindowMillis)
        implements Serializable {

    /** How long after it a signal leaves each window the score counts (usage: the last window, then the one before). */
    public long[] windowEdges() {
        return new long[] {
            usageWindowMillis,
            2 * usageWindowMillis,
            ticketWindowMillis,
            npsWindowMillis,
            championWindowMillis,
            paymentWindowMillis
        };
    }

    /** The longest window: signals older than this can never count again. */
    public long retentionMillis() {
        return Math.max(
                Math.max(2 * usageWindowMillis, ticketWindowMillis),
                Math.max(npsWindowMillis, Math.max(championWindowMillis, paymentWindowMillis)));
    }
}
