package dev.revstream.journey;

import java.math.BigDecimal;

/**
 * One deal of an account. While open it carries its stage, times, amounts and owners; once
 * closed only the tombstone remains ({@code outcome} and {@code closedAt}), so that later events
 * for it are ignored for the configured time. A Flink POJO, one map entry per deal.
 */
public class DealState {
    public String dealId;
    /** Index into the open stages; -1 once closed. */
    public int stage;
    /** null while open, else CLOSED_WON or CLOSED_LOST. */
    public String outcome;

    public Long closedAt;
    public long createdAt;
    public boolean adopted;
    public long stageEnteredAt;
    /** Cumulative time in each open stage (by index), including earlier visits. */
    public long[] timeInStage;

    public BigDecimal amount;
    public String expectedCloseDate;
    public int slips;
    public String ownerId;
    public String segment;
    public String region;
    public String dealType;
    public long lastActivityAt;
    public String lastActivity;
    /** The current quiet spell has alerted; activity re-arms it. */
    public boolean stallAlerted;
    /**
     * The forecast category its source last sent (a wire name), or null: the stage's configured one
     * applies. Transient for Flink: the account's value codec writes it after the deal, so that the
     * deal's POJO layout, and with it every value written before, stays as it was.
     */
    public transient String forecastCategory;
    /**
     * The weighted amount (amount x its stage's win probability) the deal's last open-pipeline fact added,
     * or null (closed, or restored from before it was kept): taken out as it was added, so that a changed
     * win probability moves no weight that was never there. Transient for Flink, like the category.
     */
    public transient BigDecimal weighted;

    public DealState() {}

    public boolean isOpen() {
        return outcome == null;
    }

    /** The tombstone of a closed deal: all that is kept of it. */
    static DealState tombstone(String dealId, String outcome, long closedAt) {
        DealState d = new DealState();
        d.dealId = dealId;
        d.stage = -1;
        d.outcome = outcome;
        d.closedAt = closedAt;
        return d;
    }
}
