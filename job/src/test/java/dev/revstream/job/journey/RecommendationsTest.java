package dev.revstream.job.journey;

import static dev.revstream.journey.TestJourneySettings.DAY;
import static dev.revstream.journey.TestJourneySettings.HOUR;
import static dev.revstream.model.EventBuilder.deal;
import static dev.revstream.model.EventBuilder.touch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.Drift;
import dev.revstream.actions.Recommendation;
import dev.revstream.actions.Recommender;
import dev.revstream.actions.RuleBook;
import dev.revstream.actions.RuleSet;
import dev.revstream.actions.RuleSpec;
import dev.revstream.actions.TestRules;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The default rules (config/rules/default.yaml) and the failure modes, driven through the journey operator. */
class RecommendationsTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h;

    private void open(RuleSet rules, OperatorSubtaskState restore) throws Exception {
        open(TestJourneySettings.defaults(), rules, restore);
    }

    private void open(JourneySettings settings, RuleSet rules, OperatorSubtaskState restore) throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new JourneyFunction(settings, Duration.ZERO, rules)),
                Event::accountId,
                Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
    }

    private void open() throws Exception {
        open(TestRules.defaults(), null);
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private void send(EventBuilder b) throws Exception {
        Event e = b.build();
        h.processElement(new StreamRecord<>(e, e.occurredAt()));
    }

    private List<Recommendation> actions() {
        return h.getSideOutput(JourneyFunction.ACTIONS) == null
                ? List.of()
                : h.getSideOutput(JourneyFunction.ACTIONS).stream()
                        .map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    private List<Recommendation> actions(String ruleId) {
        return actions().stream().filter(r -> r.ruleId().equals(ruleId)).toList();
    }

    private List<DeadLetter> failures() {
        return h.getSideOutput(JourneyFunction.DEAD_LETTERS) == null
                ? List.of()
                : h.getSideOutput(JourneyFunction.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    private void salesCall(String dealId, long at) throws Exception {
        send(touch("SALES_CALL", at).dealId(dealId));
    }

    // ---- advance-to-closing --------------------------------------------------------------------

    @Test
    void shouldAdvanceAProposalWithThreeSalesTouchesOnceAndCloseWhenTheyAge() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("PROPOSAL").amount(40_000).owner("rep-1"));
        salesCall("d1", T0 + HOUR);
        salesCall("d1", T0 + 2 * HOUR);
        h.processWatermark(T0 + 2 * HOUR);
        assertThat(actions("advance-to-closing")).isEmpty();
        salesCall("d1", T0 + 3 * HOUR);
        salesCall("d1", T0 + 4 * HOUR);
        h.processWatermark(T0 + 10 * HOUR);
        List<Recommendation> open = actions("advance-to-closing");
        assertThat(open).hasSize(1); // the fourth touch and the hourly ticks repeat nothing
        Recommendation r = open.get(0);
        assertThat(r.status()).isEqualTo(Recommendation.OPEN);
        assertThat(r.at()).isEqualTo(T0 + 3 * HOUR);
        assertThat(r.action()).isEqualTo("ADVANCE_TO_CLOSING");
        assertThat(r.team()).isEqualTo("sales");
        assertThat(r.ownerId()).isEqualTo("rep-1");
        assertThat(r.dealId()).isEqualTo("d1");
        assertThat(r.message())
                .isEqualTo("Deal d1 (40000) is in PROPOSAL with 3 sales touches in 14 days: move it to closing.");
        assertThat(r.facts()).isEqualTo("{\"salesTouches14d\":3,\"stage\":\"PROPOSAL\"}");
        // 14 days after the second touch only two are left in the window: the hourly tick closes it
        h.processWatermark(T0 + 14 * DAY + 2 * HOUR);
        assertThat(actions("advance-to-closing")).hasSize(2);
        Recommendation closed = actions("advance-to-closing").get(1);
        assertThat(closed.status()).isEqualTo(Recommendation.CLOSED);
        assertThat(closed.actionId()).isEqualTo(r.actionId());
        assertThat(closed.closeReason()).isEqualTo(Recommender.CONDITION_FALSE);
        assertThat(closed.at()).isEqualTo(T0 + 14 * DAY + 2 * HOUR);
        assertThat(closed.openedAt()).isEqualTo(T0 + 3 * HOUR);
    }

    @Test
    void shouldNotAdvanceADealEarlierInTheFunnelAndCloseWhenTheDealCloses() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("DISCOVERY"));
        for (int i = 1; i <= 4; i++) {
            salesCall("d1", T0 + i * HOUR);
        }
        h.processWatermark(T0 + DAY);
        assertThat(actions("advance-to-closing")).isEmpty();
        send(deal("d1", "STAGE_CHANGED", T0 + DAY + 1).stage("NEGOTIATION"));
        h.processWatermark(T0 + DAY + 1);
        assertThat(actions("advance-to-closing"))
                .singleElement()
                .extracting(Recommendation::status)
                .isEqualTo("OPEN");
        send(deal("d1", "CLOSED_WON", T0 + 2 * DAY).amount(10_000));
        h.processWatermark(T0 + 2 * DAY);
        assertThat(actions("advance-to-closing")).hasSize(2);
        assertThat(actions("advance-to-closing").get(1).closeReason()).isEqualTo(Recommender.DEAL_CLOSED);
    }

    // ---- return-to-nurture ---------------------------------------------------------------------

    @Test
    void shouldReturnAnIdleDealToNurtureFromTheTimerAloneAndCloseOnActivity() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("QUALIFICATION")); // stall SLA 14 days
        h.processWatermark(T0 + 28 * DAY - 1);
        assertThat(actions("return-to-nurture")).isEmpty();
        h.processWatermark(T0 + 28 * DAY);
        assertThat(actions("return-to-nurture")).singleElement().satisfies(r -> {
            assertThat(r.at()).isEqualTo(T0 + 28 * DAY);
            assertThat(r.team()).isEqualTo("marketing");
            assertThat(r.message()).contains("idle in QUALIFICATION for 28 days, twice its 14-day SLA");
        });
        h.processWatermark(T0 + 29 * DAY);
        assertThat(actions("return-to-nurture")).hasSize(1);
        salesCall("d1", T0 + 29 * DAY + 30 * 60_000L);
        h.processWatermark(T0 + 29 * DAY + 30 * 60_000L);
        assertThat(actions("return-to-nurture")).hasSize(2);
        assertThat(actions("return-to-nurture").get(1).closeReason()).isEqualTo(Recommender.CONDITION_FALSE);
    }

    @Test
    void shouldNotReturnADealToNurtureWhileItHasActivityWithinTwiceItsSla() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("QUALIFICATION"));
        salesCall("d1", T0 + 27 * DAY);
        h.processWatermark(T0 + 54 * DAY);
        assertThat(actions("return-to-nurture")).isEmpty();
    }

    // ---- escalate-renewal-at-risk ----------------------------------------------------------------

    private void customerWithRenewal(String closeDate) throws Exception {
        send(deal("n1", "CREATED", T0).stage("PROPOSAL").owner("csm-1"));
        send(deal("n1", "CLOSED_WON", T0 + HOUR).amount(50_000));
        send(deal("r1", "CREATED", T0 + 2 * HOUR)
                .dealType("renewal")
                .stage("QUALIFICATION")
                .closeDate(closeDate)
                .amount(50_000));
    }

    private void poorHealth(long at) throws Exception {
        send(touch("CHAMPION_LEFT", at)); // -25
        send(touch("PAYMENT_FAILED", at)); // -15
        send(touch("NPS", at).amount(3)); // -20: score 40
    }

    @Test
    void shouldEscalateACustomerAtRiskWithARenewalWithin90Days() throws Exception {
        open();
        customerWithRenewal("2026-03-01");
        h.processWatermark(T0 + DAY);
        assertThat(actions("escalate-renewal-at-risk")).isEmpty();
        poorHealth(T0 + DAY + 1);
        h.processWatermark(T0 + DAY + 1);
        assertThat(actions("escalate-renewal-at-risk")).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("ESCALATE");
            assertThat(r.team()).isEqualTo("customer-success");
            assertThat(r.priority()).isEqualTo(1);
            assertThat(r.dealId()).isNull();
            assertThat(r.message()).contains("health score of 40").contains("renews in 54 days");
            assertThat(r.facts()).contains("\"healthScore\":40").contains("\"hasRenewal\":true");
        });
        // the renewal is won: no renewal ahead any more
        send(deal("r1", "CLOSED_WON", T0 + 3 * DAY).amount(55_000));
        h.processWatermark(T0 + 3 * DAY);
        assertThat(actions("escalate-renewal-at-risk")).hasSize(2);
        assertThat(actions("escalate-renewal-at-risk").get(1).closeReason()).isEqualTo(Recommender.CONDITION_FALSE);
    }

    @Test
    void shouldEscalateFromTheTimerAloneWhenTheRenewalComesWithin90DaysAndNotRepeat() throws Exception {
        open();
        customerWithRenewal("2026-06-01"); // 147 days after T0
        poorHealth(T0 + 50 * DAY); // 97 days before the renewal
        h.processWatermark(T0 + 50 * DAY);
        assertThat(actions("escalate-renewal-at-risk")).isEmpty();
        // no event: the renewal comes within 90 days at 2026-03-03T00:00Z (an hourly tick)
        h.processWatermark(T0 + 60 * DAY);
        assertThat(actions("escalate-renewal-at-risk")).hasSize(1);
        assertThat(actions("escalate-renewal-at-risk"))
                .singleElement()
                .extracting(Recommendation::at)
                .isEqualTo(Instant.parse("2026-03-03T00:00:00Z").toEpochMilli());
        h.processWatermark(T0 + 79 * DAY);
        assertThat(actions("escalate-renewal-at-risk")).hasSize(1);
        // the failed payment leaves its 30-day window: the score is 55, the item closes
        h.processWatermark(T0 + 80 * DAY);
        assertThat(actions("escalate-renewal-at-risk")).last().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Recommendation.CLOSED);
            assertThat(r.at()).isEqualTo(T0 + 80 * DAY);
        });
    }

    @Test
    void shouldNotEscalateWhenTheRenewalIsFarAway() throws Exception {
        open();
        customerWithRenewal("2026-09-01");
        poorHealth(T0 + DAY);
        h.processWatermark(T0 + 30 * DAY);
        assertThat(actions("escalate-renewal-at-risk")).isEmpty();
    }

    // ---- expansion-play --------------------------------------------------------------------------

    private void customer() throws Exception {
        send(deal("n1", "CREATED", T0).stage("PROPOSAL"));
        send(deal("n1", "CLOSED_WON", T0 + HOUR).amount(20_000));
    }

    @Test
    void shouldOpenAnExpansionPlayWhenUsageGrowsByHalfAndCloseWhenTheBaseAges() throws Exception {
        open();
        customer();
        send(touch("PRODUCT_USAGE", T0 + DAY).amount(100));
        send(touch("PRODUCT_USAGE", T0 + 32 * DAY).amount(160));
        h.processWatermark(T0 + 32 * DAY);
        assertThat(actions("expansion-play")).singleElement().satisfies(r -> {
            assertThat(r.at()).isEqualTo(T0 + 32 * DAY);
            assertThat(r.facts()).isEqualTo("{\"usage30d\":160.0,\"usagePrev30d\":100.0}");
        });
        // the 100 leaves the earlier window 60 days after it: nothing to compare with, the play closes
        h.processWatermark(T0 + 61 * DAY);
        assertThat(actions("expansion-play")).hasSize(2);
        assertThat(actions("expansion-play").get(1).at()).isEqualTo(T0 + 61 * DAY);
    }

    @Test
    void shouldNotOpenAnExpansionPlayBelowOneAndAHalfTimes() throws Exception {
        open();
        customer();
        send(touch("PRODUCT_USAGE", T0 + DAY).amount(100));
        send(touch("PRODUCT_USAGE", T0 + 32 * DAY).amount(149));
        h.processWatermark(T0 + 70 * DAY);
        assertThat(actions("expansion-play")).isEmpty();
    }

    // ---- reassign-unanswered-lead ----------------------------------------------------------------

    @Test
    void shouldReassignALeadAtTwiceItsHandOffSlaFromTheTimerAloneAndCloseOnASalesTouch() throws Exception {
        open();
        send(touch("LEAD_CREATED", T0).owner("sdr-1"));
        send(touch("MQL", T0 + HOUR));
        h.processWatermark(T0 + 49 * HOUR - 1);
        assertThat(actions("reassign-unanswered-lead")).isEmpty();
        h.processWatermark(T0 + 49 * HOUR);
        assertThat(actions("reassign-unanswered-lead")).singleElement().satisfies(r -> {
            assertThat(r.at()).isEqualTo(T0 + 49 * HOUR);
            assertThat(r.ownerId()).isEqualTo("sdr-1");
            assertThat(r.action()).isEqualTo("REASSIGN_OWNER");
            assertThat(r.message())
                    .isEqualTo(
                            "acct-1 became an MQL 2 days ago and has had no sales touch (SLA 1 days): reassign it from sdr-1.");
        });
        h.processWatermark(T0 + 60 * HOUR);
        assertThat(actions("reassign-unanswered-lead")).hasSize(1);
        send(touch("SALES_EMAIL", T0 + 61 * HOUR));
        h.processWatermark(T0 + 61 * HOUR);
        assertThat(actions("reassign-unanswered-lead")).hasSize(2);
        assertThat(actions("reassign-unanswered-lead").get(1).closeReason()).isEqualTo(Recommender.CONDITION_FALSE);
    }

    @Test
    void shouldNotReassignAnAnsweredLead() throws Exception {
        open();
        send(touch("MQL", T0));
        send(touch("SALES_CALL", T0 + 2 * HOUR));
        h.processWatermark(T0 + 10 * DAY);
        assertThat(actions("reassign-unanswered-lead")).isEmpty();
    }

    @Test
    void shouldCloseALeadRecommendationWhenTheAccountLeavesTheScope() throws Exception {
        open();
        send(touch("MQL", T0));
        h.processWatermark(T0 + 3 * DAY);
        assertThat(actions("reassign-unanswered-lead")).hasSize(1);
        send(deal("d1", "CREATED", T0 + 3 * DAY + 1).stage("QUALIFICATION")); // now an opportunity
        h.processWatermark(T0 + 3 * DAY + 1);
        assertThat(actions("reassign-unanswered-lead")).hasSize(2);
        assertThat(actions("reassign-unanswered-lead").get(1).closeReason()).isEqualTo(Recommender.OUT_OF_SCOPE);
    }

    // ---- ticks ------------------------------------------------------------------------------------

    private List<Recommendation> mixedScenario(long step, Long asOf) throws Exception {
        return mixedScenario(step, asOf, TestRules.defaults());
    }

    private List<Recommendation> mixedScenario(long step, Long asOf, RuleSet rules) throws Exception {
        open(TestJourneySettings.defaults().withAsOf(asOf), rules, null);
        send(touch("MQL", T0).owner("sdr-1"));
        send(deal("d1", "CREATED", T0 + 5 * DAY).stage("PROPOSAL"));
        send(deal("n1", "CREATED", T0 + 5 * DAY).stage("PROPOSAL"));
        send(deal("n1", "CLOSED_WON", T0 + 6 * DAY).amount(1_000));
        send(touch("PRODUCT_USAGE", T0 + 7 * DAY).amount(10));
        // a renewal coming within 90 days while the health is poor, until the failed payment leaves its 30-day window
        send(deal("r1", "CREATED", T0 + 8 * DAY)
                .dealType("renewal")
                .stage("QUALIFICATION")
                .closeDate("2026-05-15")
                .amount(1_000));
        poorHealth(T0 + 30 * DAY + 7 * 60_000L);
        for (int i = 0; i < 3; i++) {
            salesCall("d1", T0 + 20 * DAY + i * HOUR + 17 * 60_000L);
        }
        send(touch("PRODUCT_USAGE", T0 + 40 * DAY).amount(30));
        // a deal whose stall deadline (day 57) becomes a stale wake-up once activity moves it
        send(deal("d2", "CREATED", T0 + 50 * DAY).stage("NEGOTIATION"));
        for (int i = 0; i < 3; i++) {
            salesCall("d2", T0 + 51 * DAY + i * DAY);
        }
        for (long w = T0; w <= T0 + 120 * DAY; w += step) {
            h.processWatermark(w);
        }
        List<Recommendation> out = actions();
        Map<String, Long> lastAt = new HashMap<>();
        for (Recommendation r : out) { // per item, records never go back in time
            Long before = lastAt.put(r.ruleId() + "/" + r.dealId(), r.at());
            assertThat(before == null || before <= r.at()).as(r.toString()).isTrue();
        }
        h.close();
        h = null;
        return out;
    }

    @Test
    void shouldGiveTheSameRecordsWhetherTheWatermarkCreepsOrJumps() throws Exception {
        List<Recommendation> creeping = mixedScenario(HOUR / 2, null);
        List<Recommendation> jumping = mixedScenario(40 * DAY, null);
        assertThat(creeping)
                .extracting(Recommendation::ruleId)
                .contains("reassign-unanswered-lead", "advance-to-closing", "return-to-nurture", "expansion-play");
        assertThat(jumping).containsExactlyElementsOf(creeping);
    }

    @Test
    void shouldGiveTheSameRecordsWhenOnlyTheTicksWhereARuleMayTurnAreEvaluated() throws Exception {
        // the same conditions or'ed with one never true whose drift is unknown (== with a moving value): evaluated at
        // every tick
        RuleSet everyTick = new RuleSet(
                TestRules.defaults().rules().stream()
                        .map(r -> new RuleSpec(
                                r.id(),
                                r.description(),
                                r.scope(),
                                "(" + r.when() + ") || daysSinceLastActivity == -7.0",
                                r.action(),
                                r.priority(),
                                r.team(),
                                r.message()))
                        .toList(),
                List.of(14, 30),
                30,
                TestRules.HOURLY);
        assertThat(RuleBook.compile(everyTick).rules())
                .extracting(RuleBook.Rule::drift)
                .containsOnly(Drift.ANY);
        assertThat(RuleBook.compile(TestRules.defaults()).rules())
                .extracting(RuleBook.Rule::drift)
                .doesNotContain(Drift.ANY);
        long asOf = T0 + 110 * DAY;
        for (long step : new long[] {HOUR / 2, 3 * DAY, 40 * DAY}) {
            for (Long bound : new Long[] {null, asOf}) {
                List<Recommendation> reference = mixedScenario(step, bound, everyTick);
                List<Recommendation> skipping = mixedScenario(step, bound, TestRules.defaults());
                // the facts differ by the one the reference's conditions add
                assertThat(skipping)
                        .as("watermark step %d, as-of %s", step, bound)
                        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("facts")
                        .containsExactlyElementsOf(reference);
                assertThat(reference)
                        .extracting(Recommendation::ruleId)
                        .contains(
                                "reassign-unanswered-lead",
                                "advance-to-closing",
                                "return-to-nurture",
                                "expansion-play",
                                "escalate-renewal-at-risk");
                assertThat(reference).extracting(Recommendation::status).contains(Recommendation.CLOSED);
            }
        }
    }

    @Test
    void shouldGiveTheSameRecordsInABoundedReplayWhoseTicksRunAtTheAccountsFirings() throws Exception {
        long asOf = T0 + 100 * DAY + 30 * 60_000L;
        List<Recommendation> live = mixedScenario(HOUR / 2, null).stream()
                .filter(r -> r.at() <= asOf)
                .toList();
        List<Recommendation> replay = mixedScenario(DAY / 3, asOf);
        assertThat(replay).containsExactlyElementsOf(live);
        List<Recommendation> ended = new ArrayList<>();
        open(TestJourneySettings.defaults().withAsOf(asOf), TestRules.defaults(), null);
        send(touch("MQL", T0));
        h.processWatermark(T0 + 20 * DAY);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(Long.MAX_VALUE); // the end of a bounded input
        ended.addAll(actions());
        assertThat(ended).singleElement().extracting(Recommendation::at).isEqualTo(T0 + 2 * DAY);
    }

    @Test
    void shouldRunTheTicksDueUpToTheWatermarkInOneFiring() throws Exception {
        open();
        send(touch("MQL", T0));
        h.processWatermark(T0 + 10 * DAY);
        // one timer left (the next tick), not one per hour of the ten days
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(actions("reassign-unanswered-lead"))
                .singleElement()
                .extracting(Recommendation::at)
                .isEqualTo(T0 + 2 * DAY);
    }

    // ---- rule file changes and failures ------------------------------------------------------------

    @Test
    void shouldCloseWhatARemovedRuleHadOpenAfterARestart() throws Exception {
        open();
        send(touch("MQL", T0));
        h.processWatermark(T0 + 3 * DAY);
        String actionId = actions("reassign-unanswered-lead").get(0).actionId();
        OperatorSubtaskState snapshot = h.snapshot(1, T0 + 3 * DAY);
        h.close();
        RuleSet without = new RuleSet(
                TestRules.defaults().rules().stream()
                        .filter(r -> !r.id().equals("reassign-unanswered-lead"))
                        .toList(),
                List.of(14, 30),
                30,
                TestRules.HOURLY);
        open(without, snapshot);
        h.processWatermark(T0 + 3 * DAY + HOUR);
        assertThat(actions()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Recommendation.CLOSED);
            assertThat(r.actionId()).isEqualTo(actionId);
            assertThat(r.closeReason()).isEqualTo(Recommender.RULE_REMOVED);
            assertThat(r.action()).isEqualTo("REASSIGN_OWNER");
        });
        assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
    }

    @Test
    void shouldReportARuleFailingAtRunTimeOnceAndKeepTheOtherRulesGoing() throws Exception {
        RuleSet rules = TestRules.parse("""
                windows: [14]
                rules:
                  - id: ratio
                    scope: lead
                    when: "100 / salesTouches14d > 2"
                    action: ESCALATE
                    team: sales
                  - id: waiting
                    scope: lead
                    when: "daysSinceMql >= 1.0"
                    action: REASSIGN_OWNER
                    team: sales
                """);
        open(rules, null);
        send(touch("MQL", T0));
        h.processWatermark(T0 + 2 * DAY);
        assertThat(failures()).singleElement().satisfies(d -> {
            assertThat(d.errorCode()).isEqualTo(ErrorCode.RULE_FAILED);
            assertThat(d.field()).isEqualTo("rule:ratio");
            assertThat(d.value()).isEqualTo("acct-1");
            assertThat(d.message()).contains("rule 'ratio' failed for acct-1").contains("/ by zero");
        });
        assertThat(actions("waiting")).hasSize(1);
        // once it works again and then fails again, that is a new spell: reported again
        send(touch("SALES_CALL", T0 + 2 * DAY + 1));
        h.processWatermark(T0 + 2 * DAY + 1);
        assertThat(actions("ratio")).hasSize(1);
        h.processWatermark(T0 + 17 * DAY);
        assertThat(failures()).hasSize(2);
    }

    @Test
    void shouldKeepNoRuleStateWithoutRulesAndDropTalliesOnceOld() throws Exception {
        open(RuleSet.none(), null);
        send(touch("MQL", T0));
        h.processWatermark(T0 + 3 * DAY);
        assertThat(actions()).isEmpty();
        assertThat(StoredAccounts.of(h, "acct-1").rules().tallyMap()).isEmpty();
        h.close();
        open();
        send(touch("WEB_VISIT", T0));
        h.processWatermark(T0 + HOUR);
        assertThat(StoredAccounts.of(h, "acct-1").rules().tallyMap()).isNotEmpty();
        h.processWatermark(T0 + 61 * DAY);
        assertThat(StoredAccounts.of(h, "acct-1").rules().tallyMap()).isEmpty();
    }
}
