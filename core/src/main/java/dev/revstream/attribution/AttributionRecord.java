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
        BigDecimal credit,
        boolean retracted) {

    /** A credit as it is given. */
    public AttributionRecord(
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
            BigDecimal credit) {
        this(
                attributionId,
                accountId,
                dealId,
                model,
                wonAt,
                dealAmount,
                touchAt,
                touchSource,
                touchEventId,
                touchType,
                channel,
                credit,
                false);
    }

    /** The retraction of this credit: a late event changed the deal's win or its touches. */
    public AttributionRecord retraction() {
        return new AttributionRecord(
                attributionId,
                accountId,
                dealId,
                model,
                wonAt,
                dealAmount,
                touchAt,
                touchSource,
                touchEventId,
                touchType,
                channel,
                credit,
                true);
    }
}
