package dev.revstream.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleBookTest {

    private static String rule(String scope, String when) {
        return """
                windows: [14]
                rules:
                  - id: r1
                    scope: %s
                    when: "%s"
                    action: ESCALATE
                    priority: 1
                    team: sales
                    message: "hello {accountId}"
                """.formatted(scope, when);
    }

    @Test
    void shouldCompileTheDefaultRulesOnce() {
        RuleBook book = RuleBook.compile(TestRules.defaults());
        assertThat(book.rules())
                .extracting(r -> r.spec().id())
                .containsExactly(
                        "advance-to-closing",
                        "return-to-nurture",
                        "escalate-renewal-at-risk",
                        "expansion-play",
                        "reassign-unanswered-lead");
        assertThat(book.rule("advance-to-closing").named()).containsExactly("salesTouches14d", "stage");
    }

    private static Drift drift(String when) {
        return RuleBook.compile(TestRules.parse(rule("deal", when))).rule("r1").drift();
    }

    @Test
    void shouldKnowWhichWayAConditionCanTurnAsTimePasses() {
        assertThat(drift("amount > 1000.0 && stage == 'PROPOSAL'")).isEqualTo(Drift.STEADY);
        assertThat(drift("salesTouches14d >= 3 || healthScore < 50"))
                .isEqualTo(Drift.STEADY); // they step at known window edges
        assertThat(drift("daysInStage > 30.0")).isEqualTo(Drift.RISING);
        assertThat(drift("stage == 'PROPOSAL' && daysSinceActivity >= 2.0 * stageSlaDays"))
                .isEqualTo(Drift.RISING);
        assertThat(drift("daysToClose <= 14.0")).isEqualTo(Drift.RISING);
        assertThat(drift("daysToClose > 14.0")).isEqualTo(Drift.FALLING);
        assertThat(drift("!(daysInStage > 3.0)")).isEqualTo(Drift.FALLING);
        assertThat(drift("-daysInStage < -3.0")).isEqualTo(Drift.RISING);
        assertThat(drift("daysInStage / 7.0 >= 2.0 || dealAgeDays - daysToClose > 60.0"))
                .isEqualTo(Drift.RISING);
        assertThat(drift("daysInStage * -1.0 > -3.0")).isEqualTo(Drift.FALLING);
        assertThat(drift("daysInStage * amount > 3.0")).isEqualTo(Drift.ANY); // the sign of amount is not known here
        assertThat(drift("daysInStage > 5.0 && daysToClose > 3.0")).isEqualTo(Drift.ANY); // true between two instants
        assertThat(drift("daysInStage == 3.0")).isEqualTo(Drift.ANY);
        assertThat(drift("[1.0, 2.0].exists(x, x < daysInStage)")).isEqualTo(Drift.ANY);
        assertThat(drift("[1.0, 2.0].exists(x, x < amount)")).isEqualTo(Drift.STEADY);
    }

    @Test
    void shouldNameTheRuleAndPositionOfASyntaxError() {
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("deal", "stage == 'PROPOSAL' &&"))))
                .isInstanceOf(RuleException.class)
                .hasMessageContaining("rule 'r1': condition at line 1, column");
    }

    @Test
    void shouldRejectAnUnknownFactWithItsPosition() {
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("deal", "stage == 'PROPOSAL' && velocity > 3"))))
                .isInstanceOf(RuleException.class)
                .hasMessageContaining("rule 'r1': condition at line 1, column 24")
                .hasMessageContaining("undeclared reference to 'velocity'");
    }

    @Test
    void shouldRejectADealFactInAnAccountScope() {
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("customer", "stage == 'PROPOSAL'"))))
                .hasMessageContaining("undeclared reference to 'stage'")
                .hasMessageContaining("(a deal fact: only rules of scope deal have it)");
    }

    @Test
    void shouldOfferTheStandardMacrosAndStringFunctions() throws Exception {
        RuleBook book = RuleBook.compile(TestRules.parse(rule(
                "customer",
                "healthSignals.exists(s, s.contains('champion')) && engagementTrend < 0.5 && size(accountId) > 0")));
        Map<String, Object> facts = new HashMap<>();
        facts.put("healthSignals", List.of("the champion left in the last 90d (-25)"));
        facts.put("engagementTrend", 0.25);
        facts.put("accountId", "acme");
        assertThat(book.rules().get(0).matches(Facts.of(facts))).isTrue();
        facts.put("healthSignals", List.of());
        assertThat(book.rules().get(0).matches(Facts.of(facts))).isFalse();
    }

    @Test
    void shouldRejectAWindowThatIsNotConfigured() {
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("lead", "salesTouches7d > 1"))))
                .hasMessageContaining("undeclared reference to 'salesTouches7d'");
    }

    @Test
    void shouldRejectWrongTypes() {
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("deal", "stage > 3"))))
                .hasMessageContaining("rule 'r1': condition at line 1")
                .hasMessageContaining("_>_");
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("deal", "amount + 1"))))
                .hasMessageContaining("rule 'r1'");
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(rule("deal", "daysInStage"))))
                .hasMessageContaining("rule 'r1'")
                .hasMessageContaining("bool");
    }

    @Test
    void shouldReportEveryBadFieldAtOnce() {
        String yaml = """
                windows: [14, 0]
                colour: blue
                rules:
                  - id: a
                    scope: deal
                    when: "true"
                    action: escalate now
                    priority: 9
                    team: finance
                    message: "{nothing}"
                  - id: a
                    scope: galaxy
                    when: "true"
                    action: ESCALATE
                    team: sales
                    wen: "typo"
                """;
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(yaml)))
                .hasMessageContaining("unknown key 'colour'")
                .hasMessageContaining("rule 'a': unknown key 'wen'")
                .hasMessageContaining("scope 'galaxy'");
        String valid = yaml.replace("colour: blue\n", "")
                .replace("    wen: \"typo\"\n", "")
                .replace("galaxy", "lead");
        assertThatThrownBy(() -> RuleBook.compile(TestRules.parse(valid)))
                .isInstanceOfSatisfying(
                        RuleException.class,
                        e -> assertThat(e.problems())
                                .contains(
                                        "windows: 0 is not a number of days from 1 to 366",
                                        "rule 'a': action must be upper case letters, digits and _ (built in: ADVANCE_TO_CLOSING, RETURN_TO_NURTURE, ESCALATE, EXPANSION_PLAY, REASSIGN_OWNER)",
                                        "rule 'a': priority must be 1 (most urgent) to 5, not 9",
                                        "rule 'a': team must be one of marketing, sales, customer-success",
                                        "rule 'a': message names {nothing}, which is not a fact of scope deal",
                                        "rule 'a': id is used by an earlier rule"));
    }

    @Test
    void shouldRenderMessagesAndCompareIntsWithDoubles() throws Exception {
        RuleBook book = RuleBook.compile(TestRules.parse(rule("lead", "daysSinceMql > 2 && salesTouchesSinceMql == 0")
                .replace("hello {accountId}", "{accountId} waited {daysSinceMql} days; {healthSignals}")));
        Map<String, Object> facts = new HashMap<>();
        facts.put("daysSinceMql", 2.5);
        facts.put("salesTouchesSinceMql", 0L);
        facts.put("accountId", "acme");
        facts.put("healthSignals", List.of("a", "b"));
        RuleBook.Rule r = book.rules().get(0);
        assertThat(r.matches(Facts.of(facts))).isTrue();
        assertThat(r.render(Facts.of(facts))).isEqualTo("acme waited 2.5 days; a; b");
        facts.put("daysSinceMql", 2.0);
        assertThat(r.matches(Facts.of(facts))).isFalse();
    }
}
