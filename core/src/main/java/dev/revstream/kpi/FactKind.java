package dev.revstream.kpi;

/** What a {@link KpiFact} records. Append only. */
public enum FactKind {
    /** A deal was created: count and amount at creation. */
    DEAL_CREATED,
    /** A deal was adopted (first seen without a CREATED). */
    DEAL_ADOPTED,
    /** A deal closed won: amount, and the sales cycle for created (not adopted) deals. */
    DEAL_WON,
    DEAL_LOST,
    /** A deal left a stage: the stage, whether forward, the time spent. */
    STAGE_EXIT,
    /** A change of the open pipeline under these dimension values: count, amount and weighted deltas. */
    OPEN,
    FIRST_LEAD,
    FIRST_MQL,
    FIRST_SQL,
    FIRST_DEAL,
    NEW_CUSTOMER,
    /** A change of ARR and customers under a segment (levels only). */
    ARR_LEVEL,
    /** A classified ARR change (new, expansion, contraction, churn) under a segment. */
    ARR_FLOW,
    /** Campaign spend. */
    SPEND,
    /** An account's ARR after a change, under its segment (stage: the segment it left, if it moved). */
    ARR_ACCOUNT,
    /** A model's credit (count: cents; stage: the model) to a channel for a deal won now. */
    ATTRIBUTED,
    /**
     * A deal's place in the pipeline changed (created, its amount, stage, close date, category or
     * dimensions changed, or it closed): how it was ({@link KpiFact#move()}) and how it is (the fact's
     * fields), for the pipeline movement.
     */
    DEAL_MOVED
}
