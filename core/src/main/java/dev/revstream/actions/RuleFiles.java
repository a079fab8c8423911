package dev.revstream.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a rule file's tree (YAML or JSON, already parsed by the caller) into a {@link RuleSet},
 * naming each problem with the rule it belongs to. Unknown keys are errors: a misspelt key would
 * otherwise silently drop a part of a rule.
 */
public final class RuleFiles {
    private static final Set<String> TOP = Set.of("windows", "trend-window", "rules");
    private static final Set<String> RULE =
            Set.of("id", "description", "scope", "when", "action", "priority", "team", "message");

    private RuleFiles() {}

    /** @param intervalMillis how often entities are re-evaluated without events (from the main configuration) */
    public static RuleSet fromTree(JsonNode root, long intervalMillis) {
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new RuleException(
                    List.of("the rule file must be a map with 'rules' (and optionally 'windows', 'trend-window')"));
        }
        unknown(root, TOP, "", problems);
        List<Integer> windows = new ArrayList<>();
        JsonNode w = root.path("windows");
        if (w.isArray()) {
            w.forEach(n -> {
                if (n.canConvertToInt() && n.isIntegralNumber()) {
                    windows.add(n.intValue());
                } else {
                    problems.add("windows: '" + n.asText() + "' is not a whole number of days");
                }
            });
        } else if (!w.isMissingNode()) {
            problems.add("windows: must be a list of day counts, e.g. [14, 30]");
        }
        int trend = 30;
        JsonNode tw = root.path("trend-window");
        if (!tw.isMissingNode()) {
            if (tw.isIntegralNumber()) {
                trend = tw.intValue();
            } else {
                problems.add("trend-window: '" + tw.asText() + "' is not a whole number of days");
            }
        }
        List<RuleSpec> rules = new ArrayList<>();
        JsonNode list = root.path("rules");
        if (!list.isArray()) {
            problems.add("rules: must be a list of rules");
        } else {
            int i = 0;
            for (JsonNode r : list) {
                i++;
                String id = r.path("id").asText(null);
                String who = id == null ? "rule #" + i : "rule '" + id + "'";
                if (!r.isObject()) {
                    problems.add(who + ": must be a map");
                    continue;
                }
                unknown(r, RULE, who + ": ", problems);
                String scopeText = r.path("scope").asText(null);
                Scope scope = Scope.parse(scopeText);
                if (scope == null && scopeText != null) {
                    problems.add(who + ": scope '" + scopeText + "' is not one of deal, lead, customer");
                }
                int priority = 3;
                if (r.has("priority")) {
                    priority = r.path("priority").isIntegralNumber()
                            ? r.path("priority").intValue()
                            : -1;
                }
                rules.add(new RuleSpec(
                        id,
                        r.path("description").asText(""),
                        scope,
                        r.path("when").asText(null),
                        r.path("action").asText(null),
                        priority,
                        r.path("team").asText(null),
                        r.path("message").asText("")));
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleException(problems);
        }
        return new RuleSet(rules, windows, trend, intervalMillis);
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                problems.add(
                        prefix + "unknown key '" + k + "' (allowed: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }
}
