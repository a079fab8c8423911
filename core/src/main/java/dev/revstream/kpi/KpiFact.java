package dev.revstream.kpi;

import java.math.BigDecimal;

/**
 * One KPI-relevant happening, emitted by the journey in event time and aggregated per dimension
 * value by {@link KpiEngine}. Fields not used by a kind are null or zero.
 *
 * @param dimension the dimension it is counted under once fanned out ({@code all}, {@code segment}, ...), null before
 * @param stage the stage (STAGE_EXIT), or the ARR class (ARR_FLOW: new, expansion, contraction, churn)
 * @param count a count delta (OPEN: ±1 deal; ARR_LEVEL: ±1 customer)
 * @param amount an amount, or an amount delta (OPEN, ARR_LEVEL)
 * @param weighted the weighted-pipeline delta (OPEN)
 * @param millis a duration: time in stage (STAGE_EXIT), sales cycle (DEAL_WON; -1 when adopted)
 * @param forward STAGE_EXIT: a move to a later stage or to CLOSED_WON
 * @param accountId the account (funnel and ARR facts)
 * @param dealId the deal (OPEN), for the forecast's book of open deals
 * @param expectedCloseDate the open deal's expected close date (OPEN), or null
 * @param since FIRST_MQL: the account's first SQL if earlier, FIRST_SQL: its first MQL, ARR_FLOW churn:
 *     when the customer spell began; else -1
 * @param retracted this fact, emitted before, no longer holds (a late event changed the account's
 *     history): the KPIs take it back
 * @param category the deal's forecast category (OPEN, DEAL_MOVED), or null
 * @param move DEAL_MOVED: how the deal was before, or null
 * @param facts how many facts of its kind this one sums (summed before the KPIs' {@code keyBy}: their counts,
 *     amounts and durations added up); 0 (a fact kept by an earlier release) is one
 */
public record KpiFact(
        FactKind kind,
        long at,
        String dimension,
        String dimensionValue,
        String segment,
        String region,
        String ownerId,
        String dealType,
        String stage,
        String channel,
        long count,
        BigDecimal amount,
        BigDecimal weighted,
        long millis,
        boolean forward,
        String accountId,
        String dealId,
        String expectedCloseDate,
        long since,
        boolean retracted,
        String category,
        DealMove move,
        long facts) {

    /** A fact as it happens, of a kind without a forecast category or move. */
    public KpiFact(
            FactKind kind,
            long at,
            String dimension,
            String dimensionValue,
            String segment,
            String region,
            String ownerId,
            String dealType,
            String stage,
            String channel,
            long count,
            BigDecimal amount,
            BigDecimal weighted,
            long millis,
            boolean forward,
            String accountId,
            String dealId,
            String expectedCloseDate,
            long since) {
        this(
                kind,
                at,
                dimension,
                dimensionValue,
                segment,
                region,
                ownerId,
                dealType,
                stage,
                channel,
                count,
                amount,
                weighted,
                millis,
                forward,
                accountId,
                dealId,
                expectedCloseDate,
                since,
                false,
                null,
                null,
                1);
    }

    /** This fact with a forecast category and, for DEAL_MOVED, how the deal was before. */
    public KpiFact with(String category, DealMove move) {
        return copy(dimension, dimensionValue, retracted, category, move);
    }

    /** The retraction of this fact. */
    public KpiFact retraction() {
        return copy(dimension, dimensionValue, true, category, move);
    }

    /** This fact as it was emitted, without the retraction flag. */
    public KpiFact asEmitted() {
        return retracted ? copy(dimension, dimensionValue, false, category, move) : this;
    }

    public KpiFact under(String dimension, String value) {
        return copy(dimension, value, retracted, category, move);
    }

    /** This fact with the fields that its copies change. */
    private KpiFact copy(String dimension, String value, boolean retracted, String category, DealMove move) {
        return new KpiFact(
                kind,
                at,
                dimension,
                value,
                segment,
                region,
                ownerId,
                dealType,
                stage,
                channel,
                count,
                amount,
                weighted,
                millis,
                forward,
                accountId,
                dealId,
                expectedCloseDate,
                since,
                retracted,
                category,
                move,
                facts);
    }

    /** This fact under a dimension value with its move as seen from there (a reassignment's one side). */
    public KpiFact under(String dimension, String value, DealMove side) {
        return copy(dimension, value, retracted, category, side);
    }

    public String key() {
        return dimension + "=" + dimensionValue;
    }

    /** How many facts this one stands for: more than one once summed. */
    public long weight() {
        return facts <= 0 ? 1 : facts;
    }

    /**
     * This fact under its dimension value with only what the KPIs read there: the other dimensions
     * (read by the fan-out only) and the account (read for ARR) are dropped, so fewer bytes cross the
     * KPIs' {@code keyBy}; a fact kept by an earlier release counts as one ({@link #weight()}).
     */
    public KpiFact slim() {
        boolean arr = kind == FactKind.ARR_ACCOUNT;
        boolean segmented = arr || kind == FactKind.DEAL_MOVED;
        DealMove m = move == null ? null : move.slim();
        if (region == null
                && ownerId == null
                && dealType == null
                && channel == null
                && (arr || accountId == null)
                && (segmented || segment == null)
                && m == move
                && facts >= 1) {
            return this;
        }
        return new KpiFact(
                kind,
                at,
                dimension,
                dimensionValue,
                segmented ? segment : null,
                null,
                null,
                null,
                stage,
                null,
                count,
                amount,
                weighted,
                millis,
                forward,
                arr ? accountId : null,
                dealId,
                expectedCloseDate,
                since,
                retracted,
                category,
                m,
                weight());
    }

    /** This fact standing for {@code facts} of its kind, with these sums and its latest time. */
    public KpiFact summed(long at, long facts, long count, BigDecimal amount, long millis) {
        return new KpiFact(
                kind,
                at,
                dimension,
                dimensionValue,
                null,
                null,
                null,
                null,
                stage,
                null,
                count,
                amount,
                null,
                millis,
                forward,
                null,
                null,
                null,
                since,
                retracted,
                null,
                null,
                facts);
    }
}
