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
        String region) {

    /** The id of an alert: a name-based UUID of its type, account, deal and trigger time. */
    public static String id(AlertType type, String accountId, String dealId, long triggeredAt) {
        String name = type + "|" + accountId + "|" + (dealId == null ? "" : dealId) + "|" + triggeredAt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
