package dev.revstream.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules of a {@link RuleBook} applied to one account at an instant, in plain Java: a
 * recommendation opens when a rule starts to match an entity and closes when it stops (the
 * condition turned false, the deal closed, the account left the rule's scope, or the rule is no
 * longer in the book). While it keeps matching nothing is emitted. A rule that fails for an entity
 * is reported once per failing spell and leaves that entity's open recommendation as it was.
 */
public final class Recommender {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String CONDITION_FALSE = "CONDITION_FALSE";
    public static final String DEAL_CLOSED = "DEAL_CLOSED";
    public static final String OUT_OF_SCOPE = "OUT_OF_SCOPE";
    public static final String RULE_REMOVED = "RULE_REMOVED";

    /** The account's open recommendations and failing rules, keyed by {@link RuleMark#key}. */
    public interface Marks {
        RuleMark get(String key) throws Exception;

        void put(String key, RuleMark mark) throws Exception;

        void remove(String key) throws Exception;

        /** A copy: the caller changes marks while going through it. */
        List<RuleMark> all() throws Exception;
    }

    /** Where recommendations and rule failures go. */
    public interface Output {
        void recommendation(Recommendation r);

        /** @param first the first failure of this (rule, entity) since it last worked: report it */
        void failure(
                RuleSpec rule, String accountId, String dealId, long at, String error, String facts, boolean first);
    }

    /**
     * What is in scope at t: the account facts when the account is a lead or a customer, and the
     * facts of each open deal.
     */
    public record Entities(Facts account, boolean lead, boolean customer, Map<String, Facts> deals) {}

    private final RuleBook book;
    private final String accountId;
    private final Marks marks;
    private final Output out;

    public Recommender(RuleBook book, String accountId, Marks marks, Output out) {
        this.book = book;
        this.accountId = accountId;
        this.marks = marks;
        this.out = out;
    }

    /**
     * Evaluates every rule for every entity in scope at {@code t}, and closes what no longer matches.
     *
     * @return how many (rule, entity) marks the account keeps (open or failing)
     */
    public int evaluate(long t, Entities in) throws Exception {
        Map<String, Facts> matching = new HashMap<>();
        Map<String, RuleBook.Rule> ruleOf = new HashMap<>();
        Map<String, Facts> inScope = new HashMap<>();
        List<String> failed = new ArrayList<>();
        for (RuleBook.Rule rule : book.rules()) {
            for (Map.Entry<String, Facts> entity :
                    entities(rule.spec().scope(), in).entrySet()) {
                String key = RuleMark.key(rule.spec().id(), entity.getKey());
                inScope.put(key, entity.getValue());
                ruleOf.put(key, rule);
                try {
                    if (rule.matches(entity.getValue())) {
                        matching.put(key, entity.getValue());
                    }
                } catch (Exception e) {
                    failed.add(key);
                    RuleMark mark = marks.get(key);
                    boolean first = mark == null || !mark.failing;
                    out.failure(
                            rule.spec(),
                            accountId,
                            entity.getKey(),
                            t,
                            describe(e),
                            factsJson(rule.named(), entity.getValue()),
                            first);
                    if (first) {
                        mark = mark == null ? newMark(rule.spec(), entity.getKey()) : mark;
                        mark.failing = true;
                        marks.put(key, mark);
                    }
                }
            }
        }
        int kept = 0;
        for (RuleMark mark : marks.all()) {
            String key = RuleMark.key(mark.ruleId, mark.dealId);
            if (failed.contains(key)) {
                kept++;
                continue;
            }
            if (mark.isOpen() && !matching.containsKey(key)) {
                String reason = book.rule(mark.ruleId) == null
                        ? RULE_REMOVED
                        : mark.dealId != null && !in.deals().containsKey(mark.dealId)
                                ? DEAL_CLOSED
                                : !inScope.containsKey(key) ? OUT_OF_SCOPE : CONDITION_FALSE;
                Facts facts = inScope.get(key);
                RuleBook.Rule rule = ruleOf.get(key);
                out.recommendation(record(
                        mark,
                        Recommendation.CLOSED,
                        t,
                        closing(reason, mark),
                        rule == null || facts == null ? "{}" : factsJson(rule.named(), facts),
                        reason));
                mark.actionId = null;
            }
            mark.failing = false;
            if (mark.isOpen()) {
                marks.put(key, mark);
                kept++;
            } else if (!matching.containsKey(key)) {
                marks.remove(key);
            }
        }
        for (Map.Entry<String, Facts> m : matching.entrySet()) {
            RuleMark mark = marks.get(m.getKey());
            if (mark != null && mark.isOpen()) {
                continue;
            }
            RuleBook.Rule rule = ruleOf.get(m.getKey());
            Facts facts = m.getValue();
            String dealId = rule.spec().scope() == Scope.DEAL ? (String) facts.get("dealId") : null;
            mark = mark == null ? newMark(rule.spec(), dealId) : mark;
            mark.openedAt = t;
            mark.ownerId = emptyToNull(
                    (String) (rule.spec().scope() == Scope.DEAL ? facts.get("ownerId") : facts.get("accountOwnerId")));
            mark.actionId =
                    uuid("action|" + mark.ruleId + "|" + accountId + "|" + (dealId == null ? "" : dealId) + "|" + t);
            mark.failing = false;
            marks.put(m.getKey(), mark);
            out.recommendation(
                    record(mark, Recommendation.OPEN, t, rule.render(facts), factsJson(rule.named(), facts), null));
            if (mark.isOpen()) {
                kept++;
            }
        }
        return kept;
    }

    private Map<String, Facts> entities(Scope scope, Entities in) {
        return switch (scope) {
            case DEAL -> in.deals();
            case LEAD -> in.lead() ? Map.of("", in.account()) : Map.of();
            case CUSTOMER -> in.customer() ? Map.of("", in.account()) : Map.of();
        };
    }

    private RuleMark newMark(RuleSpec spec, String dealId) {
        RuleMark m = new RuleMark();
        m.ruleId = spec.id();
        m.dealId = dealId == null || dealId.isEmpty() ? null : dealId;
        m.action = spec.action();
        m.team = spec.team();
        m.priority = spec.priority();
        m.scope = spec.scope().wireName();
        return m;
    }

    private Recommendation record(RuleMark m, String status, long t, String message, String facts, String reason) {
        return new Recommendation(
                uuid(m.actionId + "|" + status + "|" + t),
                m.actionId,
                status,
                m.ruleId,
                m.action,
                m.team,
                m.priority,
                m.scope,
                accountId,
                m.dealId,
                m.ownerId,
                t,
                m.openedAt,
                message,
                facts,
                reason,
                false);
    }

    private String closing(String reason, RuleMark m) {
        String what = m.action + " for " + (m.dealId == null ? accountId : "deal " + m.dealId + " of " + accountId);
        return switch (reason) {
            case RULE_REMOVED -> what + " closed: rule " + m.ruleId + " is no longer in the rule file.";
            case DEAL_CLOSED -> what + " closed: the deal is closed.";
            case OUT_OF_SCOPE -> what + " closed: the account is no longer a " + m.scope + ".";
            default -> what + " closed: the condition of rule " + m.ruleId + " no longer holds.";
        };
    }

    static String factsJson(List<String> named, Facts facts) {
        ObjectNode o = JSON.createObjectNode();
        for (String name : named) {
            o.set(name, JSON.valueToTree(facts.get(name)));
        }
        return o.toString();
    }

    private static String describe(Exception e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
