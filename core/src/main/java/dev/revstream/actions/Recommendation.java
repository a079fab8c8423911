package dev.revstream.actions;

/**
 * One record of {@code revops.actions}: a rule started to match an entity ({@code OPEN}), or
 * stopped ({@code CLOSED}). Both carry the same {@code actionId}, so a task list can close the item.
 *
 * @param recordId unique per record (deterministic)
 * @param actionId the recommendation: rule, account, deal and the time it opened (deterministic)
 * @param at event time of the evaluation that opened or closed it
 * @param openedAt when the recommendation opened (equal to {@code at} for OPEN records)
 * @param message the rule's message with the facts filled in (OPEN), or why it closed (CLOSED)
 * @param facts the facts the condition names, as a JSON object, at {@code at}
 * @param closeReason {@code CONDITION_FALSE}, {@code DEAL_CLOSED}, {@code OUT_OF_SCOPE} or {@code RULE_REMOVED}; null when open
 * @param retracted this record no longer holds: a late event changed the account's history (the same
 *     {@code recordId} as the record it takes back)
 */
public record Recommendation(
        String recordId,
        String actionId,
        String status,
        String ruleId,
        String action,
        String team,
        int priority,
        String scope,
        String accountId,
        String dealId,
        String ownerId,
        long at,
        long openedAt,
        String message,
        String facts,
        String closeReason,
        boolean retracted) {

    public static final String OPEN = "OPEN";
    public static final String CLOSED = "CLOSED";

    /** The record that takes this one back. */
    public Recommendation retraction() {
        return new Recommendation(
                recordId,
                actionId,
                status,
                ruleId,
                action,
                team,
                priority,
                scope,
                accountId,
                dealId,
                ownerId,
                at,
                openedAt,
                message,
                facts,
                closeReason,
                true);
    }
}
