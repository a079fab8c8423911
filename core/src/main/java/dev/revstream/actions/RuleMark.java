package dev.revstream.actions;

/**
 * What an account remembers of one (rule, entity): the recommendation it has open, and whether
 * the rule's last evaluation for it failed (so a failing rule is dead-lettered once per spell, not
 * at every evaluation). A Flink POJO, one map entry per (rule, entity); removed when neither holds.
 * It keeps the action, team and priority so it can be closed after its rule was removed.
 */
public class RuleMark {
    public String ruleId;
    /** null for the account itself. */
    public String dealId;
    /** null while nothing is open. */
    public String actionId;

    public long openedAt;
    public String action;
    public String team;
    public int priority;
    public String scope;
    public String ownerId;
    public boolean failing;

    public RuleMark() {}

    public boolean isOpen() {
        return actionId != null;
    }

    public static String key(String ruleId, String dealId) {
        return ruleId + '\u0000' + (dealId == null ? "" : dealId);
    }
}
