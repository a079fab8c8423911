package dev.revstream.identity;

import java.io.Serializable;

/**
 * How identity resolution holds the events that name no account (docs/sources.md#identity).
 *
 * @param unresolvedTimeoutMillis how much event time an event waits for its account before it becomes
 *     an {@code UNRESOLVED_ACCOUNT} dead letter (from its own time, or from the watermark when it
 *     arrived behind it)
 * @param maxWaiting the most events one visitor, person or deal holds waiting; each one more turns the
 *     oldest into a dead letter
 * @param retentionMillis how long a link (a visitor's person, a person's or a deal's account) is kept
 *     after the last event that used or renewed it
 */
public record IdentitySettings(long unresolvedTimeoutMillis, int maxWaiting, long retentionMillis)
        implements Serializable {}
