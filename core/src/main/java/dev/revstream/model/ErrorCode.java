package dev.revstream.model;

/**
 * Machine-readable reasons an input record is a dead letter. Append only: the data-quality state
 * stores counts by ordinal.
 */
public enum ErrorCode {
    /** The value is larger than {@code ingest.max-value-bytes}. */
    TOO_LARGE,
    /** The value is not valid UTF-8. */
    NOT_UTF8,
    /** The value is not JSON (or exceeds the parser's nesting, number or string limits). */
    NOT_JSON,
    /** The JSON is not an object. */
    NOT_OBJECT,
    /** An object has the same field twice. */
    DUPLICATE_FIELD,
    /** A required field is missing or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type. */
    WRONG_TYPE,
    /** A field has a value the contract does not allow (an empty id, a bad date, an unknown enum value). */
    INVALID_VALUE,
    /** {@code occurredAt} cannot be read as a time. */
    INVALID_TIME,
    /** {@code occurredAt} lies further ahead of the wall clock than {@code ingest.max-future}. */
    FUTURE_TIME,
    /** A number is NaN, infinite or too large for a double. */
    NON_FINITE_NUMBER,
    /** An amount is negative. */
    NEGATIVE_AMOUNT,
    /** A deal event's {@code type} is not one of the contract's. */
    UNKNOWN_DEAL_TYPE,
    /** The source's touchpoint type has no mapping to a canonical type. */
    UNMAPPED_TYPE,
    /** The source's stage has no mapping to a canonical stage. */
    UNMAPPED_STAGE,
    /** The currency has no configured rate. */
    UNKNOWN_CURRENCY,
    /** Not an input record: a recommendation rule failed at run time for one entity (the others go on). */
    RULE_FAILED,
    /**
     * A number or date beyond what revstream keeps exactly: an amount of 10^15 or more (before or after
     * conversion), an exponent beyond the parser's, a date outside the years 1900 to 9999.
     */
    OUT_OF_RANGE,
    /** A text field longer than 256 characters, or an identifier with control characters (line breaks, escapes). */
    INVALID_TEXT,
    /**
     * Processing this one record failed where no rule of the contract rejects it (a bug revstream has not
     * found yet): the exception's class and message say what; the job and every other record go on.
     */
    RECORD_FAILED,
    /**
     * More than {@value dev.revstream.model.ErrorCode#MAX_EVENTS_PER_INSTANT} events for one account at the
     * same millisecond: the events of one instant are kept together, so each more would cost more than the
     * last; a source stamping at that rate needs finer times (or the events are a loop in a producer).
     */
    INSTANT_FULL,
    /**
     * An event that names no account (only a visitor, a person or a deal) whose account no link told within
     * {@code identity.unresolved-timeout}, or one pushed out by newer ones over {@code identity.max-waiting}.
     */
    UNRESOLVED_ACCOUNT;

    /** The most events one account takes at one millisecond (on time, or late within the horizon). */
    public static final int MAX_EVENTS_PER_INSTANT = 1_000;
}
