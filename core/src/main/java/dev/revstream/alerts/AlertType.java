package dev.revstream.alerts;

/** The alert rules of docs/alerts.md. */
public enum AlertType {
    STALLED_DEAL,
    LEAD_SLA_BREACH,
    DEAL_SLIPPAGE,
    CHURN_RISK
}
