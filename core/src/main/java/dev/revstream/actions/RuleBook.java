package dev.revstream.actions;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule set compiled once: every condition parsed and type-checked against the facts of its
 * scope ({@link FactCatalog}), every message template checked, all problems reported together.
 * Evaluation never parses: it runs the compiled program over a fact map.
 */
public final class RuleBook {
    /** The built-in actions; any other upper-case name is the user's own. */
    public static final List<String> ACTIONS =
            List.of("ADVANCE_TO_CLOSING", "RETURN_TO_NURTURE", "ESCALATE", "EXPANSION_PLAY", "REASSIGN_OWNER");

    public static final List<String> TEAMS = List.of("marketing", "sales", "customer-success");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
    // int and double facts compare with each other (daysInStage > 30); arithmetic still needs one type (2.0 * x)
    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    /**
     * One compiled rule. {@code named} are the facts its condition uses, for the record of why it
     * matched; {@code drift} how the condition can move between events ({@link ConditionDrift}).
     */
    public record Rule(
            RuleSpec spec, CelRuntime.Program program, List<String> named, List<String> placeholders, Drift drift) {

        public boolean matches(Facts facts) throws CelEvaluationException {
            return (Boolean) program.eval(facts);
        }

        /** The message with every {@code {fact}} replaced. */
        public String render(Facts facts) {
            Matcher m = PLACEHOLDER.matcher(spec.message() == null ? "" : spec.message());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(Facts.format(facts.get(m.group(1)))));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    private final RuleSet set;
    private final List<Rule> rules;
    private final Map<String, Rule> byId;

    private final boolean readsTallies;
    private final boolean readsHealth;
    private final long[] tallyWindowEdges;

    private RuleBook(RuleSet set, List<Rule> rules) {
        this.set = set;
        this.rules = List.copyOf(rules);
        this.byId = new LinkedHashMap<>();
        rules.forEach(r -> byId.put(r.spec().id(), r));
        this.readsTallies = rules.stream().anyMatch(r -> r.named().stream().anyMatch(Facts::isWindowFact));
        this.readsHealth = rules.stream()
                .anyMatch(r -> r.named().contains("healthScore") || r.named().contains("healthSignals"));
        List<Long> edges = new ArrayList<>();
        for (int days : set.windowsDays()) {
            edges.add(days * 86_400_000L);
            edges.add(2 * days * 86_400_000L);
        }
        edges.add(set.trendDays() * 86_400_000L);
        edges.add(2 * set.trendDays() * 86_400_000L);
        this.tallyWindowEdges = edges.stream().mapToLong(Long::longValue).toArray();
    }

    /** How long after it a touch tally leaves each counting window (the last N days, the N before; the trend's too). */
    long[] tallyWindowEdges() {
        return tallyWindowEdges;
    }

    /** Some condition names a counting-window fact: its value steps when a touch crosses a window edge. */
    public boolean readsTallies() {
        return readsTallies;
    }

    /** Some condition names the health score or its signals: they step when a signal crosses a window edge. */
    public boolean readsHealth() {
        return readsHealth;
    }

    public RuleSet set() {
        return set;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Rule rule(String id) {
        return byId.get(id);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Compiles every rule, or throws a {@link RuleException} listing every problem. */
    public static RuleBook compile(RuleSet set) {
        List<String> problems = new ArrayList<>();
        for (int w : set.windowsDays()) {
            if (w < 1 || w > 366) {
                problems.add("windows: " + w + " is not a number of days from 1 to 366");
            }
        }
        if (set.trendDays() < 1 || set.trendDays() > 366) {
            problems.add("trend-window: " + set.trendDays() + " is not a number of days from 1 to 366");
        }
        if (set.intervalMillis() < 60_000L) {
            problems.add("evaluation-interval: must be at least 1 minute");
        }
        List<FactCatalog.Fact> facts = FactCatalog.facts(set);
        Map<String, Drift> drifts = new HashMap<>();
        facts.forEach(f -> drifts.put(f.name(), f.drift()));
        Map<Scope, CelCompiler> compilers = new EnumMap<>(Scope.class);
        Map<Scope, Set<String>> names = new EnumMap<>(Scope.class);
        for (Scope scope : Scope.values()) {
            CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
                    .setResultType(SimpleType.BOOL);
            Set<String> declared = new TreeSet<>();
            for (FactCatalog.Fact f : facts) {
                if (!f.dealOnly() || scope == Scope.DEAL) {
                    b.addVar(f.name(), f.kind().cel);
                    declared.add(f.name());
                }
            }
            compilers.put(scope, b.build());
            names.put(scope, declared);
        }
        CelRuntime runtime =
                CelRuntimeFactory.plannerRuntimeBuilder().setOptions(OPTIONS).build();
        List<Rule> compiled = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (RuleSpec r : set.rules()) {
            index++;
            String who = r.id() == null || r.id().isBlank() ? "rule #" + index : "rule '" + r.id() + "'";
            int before = problems.size();
            if (r.id() == null || !r.id().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
                problems.add(who + ": id must be 1-100 letters, digits, '_', '.', '-'");
            } else if (!ids.add(r.id())) {
                problems.add(who + ": id is used by an earlier rule");
            }
            if (r.scope() == null) {
                problems.add(who + ": scope must be one of deal, lead, customer");
            }
            if (r.action() == null || !r.action().matches("[A-Z][A-Z0-9_]{0,63}")) {
                problems.add(who + ": action must be upper case letters, digits and _ (built in: "
                        + String.join(", ", ACTIONS) + ")");
            }
            if (r.priority() < 1 || r.priority() > 5) {
                problems.add(who + ": priority must be 1 (most urgent) to 5, not " + r.priority());
            }
            if (r.team() == null || !TEAMS.contains(r.team())) {
                problems.add(who + ": team must be one of " + String.join(", ", TEAMS));
            }
            if (r.when() == null || r.when().isBlank()) {
                problems.add(who + ": 'when' (the condition) is missing");
            }
            if (r.scope() == null || r.when() == null || r.when().isBlank()) {
                continue;
            }
            List<String> placeholders = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(r.message() == null ? "" : r.message());
            while (m.find()) {
                if (!names.get(r.scope()).contains(m.group(1))) {
                    problems.add(who + ": message names {" + m.group(1) + "}, which is not a fact of scope "
                            + r.scope().wireName());
                }
                placeholders.add(m.group(1));
            }
            try {
                CelAbstractSyntaxTree ast =
                        compilers.get(r.scope()).compile(r.when()).getAst();
                Set<String> named = new TreeSet<>();
                ast.getReferenceMap().values().forEach(ref -> {
                    if (names.get(r.scope()).contains(ref.name())) {
                        named.add(ref.name());
                    }
                });
                if (problems.size() == before) {
                    compiled.add(new Rule(
                            r,
                            runtime.createProgram(ast),
                            List.copyOf(named),
                            placeholders,
                            ConditionDrift.of(ast.getExpr(), drifts)));
                }
            } catch (CelValidationException e) {
                for (CelIssue issue : e.getErrors()) {
                    problems.add(who + ": condition " + position(issue) + ": " + issue.getMessage()
                            + hint(issue, r.scope()));
                }
            } catch (CelEvaluationException e) {
                problems.add(who + ": condition cannot be planned: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleException(problems);
        }
        return new RuleBook(set, compiled);
    }

    private static String position(CelIssue issue) {
        var loc = issue.getSourceLocation();
        return loc == null || loc.getLine() < 0 ? "" : "at line " + loc.getLine() + ", column " + (loc.getColumn() + 1);
    }

    private static final Set<String> DEAL_FACTS = Set.copyOf(FactCatalog.fixed().stream()
            .filter(FactCatalog.Fact::dealOnly)
            .map(FactCatalog.Fact::name)
            .toList());

    private static String hint(CelIssue issue, Scope scope) {
        String msg = issue.getMessage();
        Matcher name = Pattern.compile("undeclared reference to '([^']*)'").matcher(msg);
        if (name.find()) {
            return scope != Scope.DEAL && DEAL_FACTS.contains(name.group(1))
                    ? " (a deal fact: only rules of scope deal have it)"
                    : " (not a fact: see the list of facts in docs/rules.md)";
        }
        if (msg.contains("expected type 'bool'") || msg.contains("result type")) {
            return " (a condition must be true or false)";
        }
        return "";
    }
}
