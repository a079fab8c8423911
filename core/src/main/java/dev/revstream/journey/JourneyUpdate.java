package dev.revstream.journey;

import java.math.BigDecimal;

/**
 * A change of an account's lifecycle stage or of a deal's stage, with the time spent in the
 * stage it left: for CRM write-back and the wallboard.
 *
 * @param kind {@code LIFECYCLE} or {@code DEAL_STAGE}
 * @param fromStage null for a deal's creation or adoption, or an account's first stage
 * @param timeInStageMillis time in {@code fromStage} on this visit, or null
 * @param cumulativeInStageMillis all time in {@code fromStage} over every visit (deals), or null
 * @param forward for deal stage changes: a move to a later stage or to CLOSED_WON
 * @param adopted the deal was adopted by this event (first seen without a CREATED)
 * @param retracted this update no longer holds (a late event changed the history): the same record as
 *     emitted before, with this flag; its replacement, if any, follows as an ordinary update
 */
public record JourneyUpdate(
        String updateId,
        String kind,
        String accountId,
        String dealId,
        String fromStage,
        String toStage,
        long at,
        Long timeInStageMillis,
        Long cumulativeInStageMillis,
        Boolean forward,
        boolean adopted,
        String dealType,
        BigDecimal amount,
        String ownerId,
        String segment,
        String region,
        String causeSource,
        String causeEventId,
        boolean retracted) {

    /** An update as it happens. */
    public JourneyUpdate(
            String updateId,
            String kind,
            String accountId,
            String dealId,
            String fromStage,
            String toStage,
            long at,
            Long timeInStageMillis,
            Long cumulativeInStageMillis,
            Boolean forward,
            boolean adopted,
            String dealType,
            BigDecimal amount,
            String ownerId,
            String segment,
            String region,
            String causeSource,
            String causeEventId) {
        this(
                updateId,
                kind,
                accountId,
                dealId,
                fromStage,
                toStage,
                at,
                timeInStageMillis,
                cumulativeInStageMillis,
                forward,
                adopted,
                dealType,
                amount,
                ownerId,
                segment,
                region,
                causeSource,
                causeEventId,
                false);
    }

    /** The retraction of this update. */
    public JourneyUpdate retraction() {
        return new JourneyUpdate(
                updateId,
                kind,
                accountId,
                dealId,
                fromStage,
                toStage,
                at,
                timeInStageMillis,
                cumulativeInStageMillis,
                forward,
                adopted,
                dealType,
                amount,
                ownerId,
                segment,
                region,
                causeSource,
                causeEventId,
                true);
    }
}
