package dev.revstream.attribution;

import java.math.BigDecimal;

/**
 * One line of {@code revops.attribution}: a model's credit to one touch of a won new-business deal
 * (or to channel {@code (none)} when the win had no attributable touch).
 */
public record AttributionRecord(
        String attributionId,
        String accountId,
        String dealId,
        String model,
        long wonAt,
        BigDecimal dealAmount,
        Long touchAt,
        String touchSource,
        String touchEventId,
        String touchType,
        String channel,
        BigDecimal credit) {}
