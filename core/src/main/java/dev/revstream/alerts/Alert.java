package dev.revstream.alerts;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One alert for a person to act on.
 *
 * @param alertId deterministic: the same input yields the same id, live or replayed
 * @param triggeredAt the event time at which the condition became true
 * @param reason a sentence for a person
 * @param amount the deal's amount (reporting currency), or the account's ARR for churn risk
 * @param stage the deal's stage, or the account's lifecycle stage
 * @param durationMillis how long the condition has held (quiet time, time without a hand-off), or 0
 * @param lastActivity what happened last (a touchpoint or deal event type), or null
 * @param lastActivityAt when that was, or null
 * @param rule the rule that fired, e.g. {@code stall SLA of PROPOSAL}
 * @param threshold its threshold, e.g. {@code 10d}
 * @param healthScore the customer's health score for churn risk, else null
 * @param signals what took points off (churn risk) or the slips so far (slippage), as text
 * @param status {@code FIRED}, or {@code WITHDRAWN} when a late event shows the alert no longer holds
 *     (the same {@code alertId} as the fired record)
 * @param late fired by a correction: the event that makes it true arrived after its {@code triggeredAt}
 * @param withdrawnAt when it was withdrawn: the Kafka time of the event that disproved it, or null
 * @param withdrawnBecause that event, as a sentence, or null
 */
public record Alert(
        String alertId,
        AlertType type,
        Severity severity,
        String accountId,
        String dealId,
        String ownerId,
        long triggeredAt,
        String reason,
        BigDecimal amount,
        String stage,
        long durationMillis,
        String lastActivity,
        Long lastActivityAt,
        String rule,
        String threshold,
        Integer healthScore,
        String signals,
        String segment,
        String region,
        String status,
        boolean late,
        Long withdrawnAt,
        String withdrawnBecause) {
    public static final String FIRED = "FIRED";
    public static final String WITHDRAWN = "WITHDRAWN";

    /** A fired alert, on time. */
    public Alert(
            String alertId,
            AlertType type,
            Severity severity,
            String accountId,
            String dealId,
            String ownerId,
            long triggeredAt,
            String reason,
            BigDecimal amount,
            String stage,
            long durationMillis,
            String lastActivity,
            Long lastActivityAt,
            String rule,
            String threshold,
            Integer healthScore,
            String signals,
            String segment,
            String region) {
        this(
                alertId,
                type,
                severity,
                accountId,
                dealId,
                ownerId,
                triggeredAt,
                reason,
                amount,
                stage,
                durationMillis,
                lastActivity,
                lastActivityAt,
                rule,
                threshold,
                healthScore,
                signals,
                segment,
                region,
                FIRED,
                false,
                null,
                null);
    }

    /** This alert fired by a correction, after its time. */
    public Alert firedLate() {
        return with(FIRED, true, null, null);
    }

    /** The withdrawal of this alert. */
    public Alert withdrawn(long at, String because) {
        return with(WITHDRAWN, late, at, because);
    }

    private Alert with(String newStatus, boolean isLate, Long at, String because) {
        return new Alert(
                alertId,
                type,
                severity,
                accountId,
                dealId,
                ownerId,
                triggeredAt,
                reason,
                amount,
                stage,
                durationMillis,
                lastActivity,
                lastActivityAt,
                rule,
                threshold,
                healthScore,
                signals,
                segment,
                region,
                newStatus,
                isLate,
                at,
                because);
    }

    public boolean isWithdrawn() {
        return WITHDRAWN.equals(status);
    }

    /** The id of an alert: a name-based UUID of its type, account, deal and trigger time. */
    public static String id(AlertType type, String accountId, String dealId, long triggeredAt) {
        String name = type + "|" + accountId + "|" + (dealId == null ? "" : dealId) + "|" + triggeredAt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
