package dev.revstream.tools.generator;

/**
 * One record the generator writes: to the touchpoints or the deals topic, with the account as key
 * (null for account-less spend), at a business time.
 */
public record GeneratedRecord(boolean deal, String key, byte[] value, long businessTime, Kind kind) {
    /** What the record is meant to be, so a run can report what it injected. */
    public enum Kind {
        VALID,
        MALFORMED,
        DUPLICATE
    }
}
