package dev.revstream.quality;

/** What happened to one input record, as the data-quality counts see it. Append only: stored by ordinal. */
public enum QualityOutcome {
    /** Valid by the contract (duplicates and late events included: they are counted again below). */
    ACCEPTED,
    /** A dead letter; the sample names the error code. */
    REJECTED,
    /** A repeat of a (source, eventId) seen within the de-duplication horizon. */
    DUPLICATE,
    /** Arrived behind the watermark; routed to the late topic, not applied. */
    LATE,
    /**
     * Valid but without effect (an event for a closed deal, a repeated CREATED), or a part of a vendor's
     * record that yields no event (a Debezium tombstone, a Stripe event revstream does not read).
     */
    IGNORED,
    /** Named a channel no mapping knows; it became {@code other}. */
    CHANNEL_UNMAPPED
}
