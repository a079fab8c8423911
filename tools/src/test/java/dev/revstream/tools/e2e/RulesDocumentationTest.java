package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.FactCatalog;
import dev.revstream.actions.RuleBook;
import dev.revstream.actions.RuleSet;
import dev.revstream.actions.RuleSpec;
import dev.revstream.actions.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rule examples of docs/rules.md compile, and its fact table names every fact the compiler knows. */
class RulesDocumentationTest {
    private static final Path RULES_DOC = Path.of("..", "docs", "rules.md");

    @Test
    void everyExampleConditionCompilesInItsScope() throws Exception {
        String text = Files.readString(RULES_DOC);
        Matcher m = Pattern.compile("when: (.+?)\\s+# (deal|lead|customer):").matcher(text);
        List<RuleSpec> rules = new ArrayList<>();
        while (m.find()) {
            rules.add(new RuleSpec(
                    "example-" + rules.size(),
                    "",
                    Scope.parse(m.group(2)),
                    m.group(1).trim(),
                    "ESCALATE",
                    3,
                    "sales",
                    ""));
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(5);
        assertThat(RuleBook.compile(new RuleSet(rules, List.of(7, 14, 30), 30, 3_600_000L))
                        .rules())
                .hasSize(rules.size());
    }

    @Test
    void theFactTableNamesEveryFact() throws Exception {
        String text = Files.readString(RULES_DOC);
        String table = text.substring(
                text.indexOf("| fact | type | scope | meaning |"), text.indexOf("Touch counts are of the account"));
        for (FactCatalog.Fact f : FactCatalog.fixed()) {
            assertThat(table).as(f.name()).contains("`" + f.name() + "`");
        }
        for (String windowed : List.of(
                "touchesNd",
                "touchesPrevNd",
                "touchCountNd",
                "touchCountPrevNd",
                "salesTouchesNd",
                "salesTouchesPrevNd",
                "usageNd",
                "usagePrevNd")) {
            assertThat(table).contains("`" + windowed + "`");
        }
        assertThat(FactCatalog.facts(new RuleSet(List.of(), List.of(9), 30, 1L)).stream()
                        .map(FactCatalog.Fact::name))
                .contains(
                        "touches9d",
                        "touchesPrev9d",
                        "touchCount9d",
                        "touchCountPrev9d",
                        "salesTouches9d",
                        "salesTouchesPrev9d",
                        "usage9d",
                        "usagePrev9d");
    }
}
