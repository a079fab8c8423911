package dev.revstream.job.journey;

import static dev.revstream.journey.TestJourneySettings.DAY;
import static dev.revstream.journey.TestJourneySettings.HOUR;
import static dev.revstream.model.EventBuilder.deal;
import static dev.revstream.model.EventBuilder.touch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.alerts.Alert;
import dev.revstream.alerts.AlertType;
import dev.revstream.alerts.Severity;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.journey.BusinessCalendar;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import dev.revstream.quality.QualityOutcome;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JourneyFunctionTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h;

    private void open(JourneySettings settings) throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new JourneyFunction(settings, Duration.ZERO)),
                Event::accountId,
                Types.STRING);
        h.open();
    }

    private void open() throws Exception {
        open(TestJourneySettings.defaults());
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

    private void watermark(long t) throws Exception {
        h.processWatermark(t);
    }

    private List<Alert> alerts() {
        return h.getSideOutput(JourneyFunction.ALERTS) == null
                ? List.of()
                : h.getSideOutput(JourneyFunction.ALERTS).stream()
                        .map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    private List<Alert> alerts(AlertType type) {
        return alerts().stream().filter(a -> a.type() == type).collect(Collectors.toList());
    }

    // ---- STALLED_DEAL ------------------------------------------------------------------------

    @Test
    void shouldAlertAStalledDealAtLastActivityPlusTheStageSlaAndNotBefore() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("QUALIFICATION").amount(5_000).owner("rep-1"));
        watermark(T0 + 14 * DAY - 1);
        assertThat(alerts()).isEmpty();
        watermark(T0 + 14 * DAY);
        assertThat(alerts()).hasSize(1);
        Alert a = alerts().get(0);
        assertThat(a.type()).isEqualTo(AlertType.STALLED_DEAL);
        assertThat(a.triggeredAt()).isEqualTo(T0 + 14 * DAY);
        assertThat(a.severity()).isEqualTo(Severity.WARNING);
        assertThat(a.dealId()).isEqualTo("d1");
        assertThat(a.ownerId()).isEqualTo("rep-1");
        assertThat(a.stage()).isEqualTo("QUALIFICATION");
        assertThat(a.durationMillis()).isEqualTo(14 * DAY);
        assertThat(a.lastActivity()).isEqualTo("CREATED");
        assertThat(a.threshold()).isEqualTo("14d");
        assertThat(a.reason()).contains("d1", "QUALIFICATION", "14d");
        assertThat(a.alertId()).isEqualTo(Alert.id(AlertType.STALLED_DEAL, "acct-1", "d1", T0 + 14 * DAY));
        watermark(T0 + 100 * DAY);
        assertThat(alerts()).as("once per quiet spell").hasSize(1);
    }

    @Test
    void shouldReArmAStalledDealOnActivityButNotOnOtherTouches() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("DISCOVERY").amount(5_000));
        send(touch("EMAIL_OPEN", T0 + 2 * DAY).dealId("d1")); // not activity
        send(touch("SALES_CALL", T0 + 3 * DAY)); // activity of the account, not of the deal
        send(touch("MEETING", T0 + 5 * DAY).dealId("d1")); // activity: deadline moves to day 19
        watermark(T0 + 18 * DAY);
        assertThat(alerts()).isEmpty();
        watermark(T0 + 19 * DAY);
        assertThat(alerts()).extracting(Alert::triggeredAt).containsExactly(T0 + 19 * DAY);
        assertThat(alerts().get(0).lastActivity()).isEqualTo("MEETING");
        send(touch("CHAT", T0 + 20 * DAY).dealId("d1")); // re-arms
        send(deal("d1", "STAGE_CHANGED", T0 + 25 * DAY).stage("DISCOVERY")); // same stage: not activity
        watermark(T0 + 34 * DAY);
        assertThat(alerts()).extracting(Alert::triggeredAt).containsExactly(T0 + 19 * DAY, T0 + 34 * DAY);
    }

    @Test
    void shouldUseTheNewStagesSlaAfterAStageChangeAndBeCriticalFromNegotiationOrLargeAmounts() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("QUALIFICATION").amount(5_000));
        send(deal("d1", "STAGE_CHANGED", T0 + DAY).stage("NEGOTIATION"));
        send(deal("d2", "CREATED", T0).stage("PROPOSAL").amount(150_000));
        send(deal("d3", "CREATED", T0).stage("PROPOSAL").amount(99_999.99));
        watermark(T0 + 30 * DAY);
        assertThat(alerts())
                .extracting(Alert::dealId, Alert::triggeredAt, Alert::severity)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("d1", T0 + 8 * DAY, Severity.CRITICAL),
                        org.assertj.core.groups.Tuple.tuple("d2", T0 + 10 * DAY, Severity.CRITICAL),
                        org.assertj.core.groups.Tuple.tuple("d3", T0 + 10 * DAY, Severity.WARNING));
    }

    @Test
    void shouldNeverAlertAClosedDealAndKeepOnlyItsTombstoneUntilItExpires() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("QUALIFICATION").amount(5_000));
        send(deal("d1", "CLOSED_LOST", T0 + 14 * DAY)); // closed exactly at the deadline
        send(deal("d1", "UPDATED", T0 + 20 * DAY).amount(1)); // ignored: closed is final
        send(deal("d1", "CREATED", T0 + 21 * DAY).stage("QUALIFICATION").amount(1)); // ignored
        watermark(T0 + 30 * DAY);
        assertThat(alerts()).isEmpty();
        assertThat(h.getSideOutput(JourneyFunction.QUALITY))
                .extracting(r -> r.getValue().outcome())
                .containsOnly(QualityOutcome.IGNORED)
                .hasSize(4); // two events, each under its source and all
        // the deal's tombstone; one wake-up timer for the tombstone's expiry
        assertThat(StoredAccounts.of(h, "acct-1").journey().dealMap().values())
                .singleElement()
                .matches(d -> !d.isOpen());
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        watermark(T0 + 14 * DAY + 400 * DAY);
        assertThat(StoredAccounts.of(h, "acct-1").journey().dealMap())
                .as("the tombstone is gone")
                .isEmpty();
        assertThat(h.numEventTimeTimers()).isZero();
        // after the tombstone, an event for the deal adopts it anew
        send(deal("d1", "UPDATED", T0 + 415 * DAY).stage("PROPOSAL"));
        watermark(T0 + 415 * DAY);
        assertThat(h.extractOutputValues())
                .filteredOn(u -> u.at() == T0 + 415 * DAY)
                .extracting(JourneyUpdate::toStage, JourneyUpdate::adopted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PROPOSAL", true));
    }

    @Test
    void shouldStillAlertAStallWhenAnOpenDealKeepsATouchPastItsExpiry() throws Exception {
        open();
        send(touch("WEB_VISIT", T0)); // leaves the 180-day attribution window at T0 + 180 d, but d1 still needs it
        send(deal("d1", "CREATED", T0 + 170 * DAY).stage("QUALIFICATION"));
        watermark(T0 + 200 * DAY);
        assertThat(alerts(AlertType.STALLED_DEAL))
                .singleElement()
                .extracting(Alert::triggeredAt)
                .isEqualTo(T0 + 184 * DAY);
    }

    // ---- LEAD_SLA_BREACH ------------------------------------------------------------------------

    @Test
    void shouldAlertAnMqlWithoutASalesTouchWithinTheSla() throws Exception {
        open();
        send(touch("MQL", T0).owner("sdr-7"));
        send(touch("MQL", T0 + 30 * HOUR)); // not the first MQL: no second deadline
        watermark(T0 + 24 * HOUR - 1);
        assertThat(alerts()).isEmpty();
        watermark(T0 + 24 * HOUR);
        assertThat(alerts()).hasSize(1);
        Alert a = alerts().get(0);
        assertThat(a.type()).isEqualTo(AlertType.LEAD_SLA_BREACH);
        assertThat(a.triggeredAt()).isEqualTo(T0 + 24 * HOUR);
        assertThat(a.severity()).isEqualTo(Severity.WARNING);
        assertThat(a.ownerId()).isEqualTo("sdr-7");
        assertThat(a.durationMillis()).isEqualTo(24 * HOUR);
        watermark(T0 + 10 * DAY);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void shouldCountASalesTouchAtTheMqlTimeOrAtTheDeadlineAsInTime() throws Exception {
        open();
        send(touch("MQL", T0).account("a").source("b"));
        send(touch("SALES_CALL", T0).account("a").source("a")); // same instant, applied before the MQL
        send(touch("MQL", T0).account("b"));
        send(touch("DEMO", T0 + 24 * HOUR).account("b")); // exactly at the deadline
        send(touch("MQL", T0).account("c"));
        send(touch("CHAT", T0 + HOUR).account("c")); // a chat is not a sales touch
        send(touch("SALES_EMAIL", T0 - HOUR).account("d")); // before the MQL: does not count
        send(touch("MQL", T0).account("d"));
        watermark(T0 + 2 * DAY);
        assertThat(alerts()).extracting(Alert::accountId).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void shouldCountTheHandOffInBusinessHoursWhenConfigured() throws Exception {
        JourneySettings d = TestJourneySettings.defaults();
        BusinessCalendar cal = new BusinessCalendar(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(9, 0),
                LocalTime.of(17, 0),
                ZoneOffset.UTC);
        open(new JourneySettings(
                d.stages(),
                d.stallSlaBySegment(),
                8 * HOUR,
                d.leadSlaBySegment(),
                cal,
                2,
                3,
                "NEGOTIATION",
                100_000,
                400 * DAY,
                d.zone(),
                d.health(),
                d.attribution(),
                null));
        long fridayFourPm = Instant.parse("2026-01-09T16:00:00Z").toEpochMilli();
        send(touch("MQL", fridayFourPm));
        watermark(fridayFourPm + 4 * DAY);
        // 1 h on Friday, then Monday 09:00 + 7 h
        assertThat(alerts())
                .extracting(Alert::triggeredAt)
                .containsExactly(Instant.parse("2026-01-12T16:00:00Z").toEpochMilli());
    }

    // ---- DEAL_SLIPPAGE --------------------------------------------------------------------------

    @Test
    void shouldAlertFromTheSecondSlipOfTheCloseDate() throws Exception {
        open();
        send(deal("d1", "CREATED", T0).stage("SOLUTION").amount(10_000).closeDate("2026-03-01"));
        send(deal("d1", "UPDATED", T0 + DAY).closeDate("2026-03-10")); // slip 1
        send(deal("d1", "UPDATED", T0 + 2 * DAY).closeDate("2026-03-05")); // earlier: resets nothing
        send(deal("d1", "UPDATED", T0 + 3 * DAY).closeDate("2026-03-20")); // slip 2: info
        send(deal("d1", "STAGE_CHANGED", T0 + 4 * DAY).stage("PROPOSAL").closeDate("2026-04-01")); // slip 3: warning
        send(deal("d2", "UPDATED", T0 + DAY).closeDate("2026-03-01")); // adopted: setting a date is not a move
        send(deal("d2", "UPDATED", T0 + 2 * DAY).closeDate("2026-03-02")); // slip 1
        send(deal("d2", "CLOSED_WON", T0 + 3 * DAY).closeDate("2026-05-01")); // terminal: its date is ignored
        watermark(T0 + 5 * DAY);
        List<Alert> slips = alerts(AlertType.DEAL_SLIPPAGE);
        assertThat(slips)
                .extracting(Alert::triggeredAt, Alert::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(T0 + 3 * DAY, Severity.INFO),
                        org.assertj.core.groups.Tuple.tuple(T0 + 4 * DAY, Severity.WARNING));
        assertThat(slips.get(0).signals()).isEqualTo("2026-03-05 -> 2026-03-20 (slip 2)");
    }

    // ---- CHURN_RISK ---------------------------------------------------------------------------

    @Test
    void shouldAlertChurnRiskFromSilenceAtADayBoundaryAndReArmOnlyAtSixty() throws Exception {
        open();
        send(deal("d1", "CREATED", T0 - DAY).stage("NEGOTIATION").amount(50_000));
        send(deal("d1", "CLOSED_WON", T0));
        for (int day = 1; day <= 28; day++) {
            send(touch("PRODUCT_USAGE", T0 + day * DAY + 10 * HOUR).amount(100));
        }
        for (int i = 0; i < 3; i++) {
            send(touch("SUPPORT_TICKET", T0 + 30 * DAY + i * HOUR));
        }
        send(touch("PAYMENT_FAILED", T0 + 33 * DAY));
        send(touch("NPS", T0 + 50 * DAY).amount(3)); // drops the score again while disarmed
        for (int i = 0; i < 3; i++) {
            send(touch("SUPPORT_TICKET", T0 + 60 * DAY + 12 * HOUR + i));
        }
        watermark(T0 + 37 * DAY - 1);
        assertThat(alerts()).isEmpty();
        watermark(T0 + 70 * DAY);
        List<Alert> churn = alerts(AlertType.CHURN_RISK);
        // usage is at 10:00 on days 1..28. Day 37 00:00: the last 14 days hold 6 of them, under half of the 14
        // before (-30), 3 tickets (-20), a failed payment (-15) = 35: from silence alone, at a day boundary.
        // Day 44: two tickets age out, 55: not re-armed; day 50: an NPS of 3 makes it 35 again: no alert while
        // disarmed. Day 57: the usage drop ages out, 65: re-armed. Day 60 12:00: the third new ticket makes it 45.
        assertThat(churn)
                .extracting(Alert::triggeredAt, Alert::healthScore, Alert::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(T0 + 37 * DAY, 35, Severity.WARNING),
                        org.assertj.core.groups.Tuple.tuple(T0 + 60 * DAY + 12 * HOUR + 2, 45, Severity.WARNING));
        assertThat(churn.get(0).signals()).contains("product usage", "support tickets", "failed payment");
        assertThat(churn.get(0).amount()).isEqualByComparingTo("50000");
    }

    @Test
    void shouldAlertChurnRiskAtTheFirstDayBoundaryAfterASignalLeavesItsWindowWithNothingBetween() throws Exception {
        open();
        send(deal("d1", "CREATED", T0 - DAY).stage("NEGOTIATION").amount(50_000));
        send(deal("d1", "CLOSED_WON", T0));
        send(touch("PRODUCT_USAGE", T0 + DAY + 10 * HOUR).amount(100));
        for (int i = 0; i < 3; i++) {
            send(touch("SUPPORT_TICKET", T0 + 10 * DAY + i * HOUR)); // -20 for 14 days
        }
        send(touch("PAYMENT_FAILED", T0 + 10 * DAY + 5 * HOUR)); // -15 for 30 days: 65, no alert
        // day 15 10:00: the usage leaves the last 14 days, under half of the 14 before (-30): 35, seen at the next
        // midnight
        watermark(T0 + 16 * DAY - 1);
        assertThat(alerts(AlertType.CHURN_RISK)).isEmpty();
        watermark(T0 + 40 * DAY);
        assertThat(alerts(AlertType.CHURN_RISK))
                .extracting(Alert::triggeredAt, Alert::healthScore)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(T0 + 16 * DAY, 35));
    }

    @Test
    void shouldForgetHealthSignalsOnceNoWindowCanSeeThem() throws Exception {
        open();
        send(touch("SUPPORT_TICKET", T0)); // not a customer: no score, but the signal is kept for a while
        watermark(T0);
        assertThat(StoredAccounts.of(h, "acct-1").journey().signalMap()).hasSize(1);
        watermark(T0 + 90 * DAY + 1);
        assertThat(StoredAccounts.of(h, "acct-1").journey().signalMap()).isEmpty();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    // ---- order, adoption, lifecycle ---------------------------------------------------------

    @Test
    void shouldApplyEventsInEventTimeOrderWhateverTheArrivalOrder() throws Exception {
        open();
        send(deal("d1", "STAGE_CHANGED", T0 + 2 * DAY).stage("PROPOSAL"));
        send(touch("SALES_CALL", T0 + DAY).dealId("d1"));
        send(deal("d1", "CREATED", T0).stage("DISCOVERY").amount(1_000));
        watermark(T0 + 3 * DAY);
        assertThat(h.extractOutputValues())
                .filteredOn(u -> u.dealId() != null)
                .extracting(JourneyUpdate::fromStage, JourneyUpdate::toStage, JourneyUpdate::adopted)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, "DISCOVERY", false),
                        org.assertj.core.groups.Tuple.tuple("DISCOVERY", "PROPOSAL", false),
                        // the stage's forecast category changed with it (DEAL_FORECAST_CATEGORY)
                        org.assertj.core.groups.Tuple.tuple("pipeline", "best_case", false));
        assertThat(h.numKeyedStateEntries())
                .as("the buffer is empty: the account's value is all")
                .isEqualTo(1);
        AccountSnapshots.Snapshot kept = StoredAccounts.of(h, "acct-1");
        assertThat(kept.journey().dealMap()).as("one deal").hasSize(1);
        assertThat(StoredAccounts.touches(kept)).as("one attributable touch").isEqualTo(1);
    }

    @Test
    void shouldAdoptUnknownDealsAndRecordStageTimes() throws Exception {
        open();
        send(deal("a1", "UPDATED", T0).stage("PROPOSAL").amount(7_000));
        send(deal("a2", "CLOSED_WON", T0 + HOUR).amount(3_000));
        send(deal("a1", "STAGE_CHANGED", T0 + 2 * DAY).stage("SOLUTION"));
        send(deal("a1", "STAGE_CHANGED", T0 + 3 * DAY).stage("PROPOSAL"));
        send(deal("a1", "CLOSED_WON", T0 + 5 * DAY));
        watermark(T0 + 6 * DAY);
        List<JourneyUpdate> deals =
                h.extractOutputValues().stream().filter(u -> u.dealId() != null).toList();
        assertThat(deals)
                .extracting(
                        JourneyUpdate::dealId,
                        JourneyUpdate::fromStage,
                        JourneyUpdate::toStage,
                        JourneyUpdate::forward,
                        JourneyUpdate::adopted)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a1", null, "PROPOSAL", null, true),
                        org.assertj.core.groups.Tuple.tuple("a2", null, "QUALIFICATION", null, true),
                        org.assertj.core.groups.Tuple.tuple("a2", "QUALIFICATION", "CLOSED_WON", true, false),
                        org.assertj.core.groups.Tuple.tuple("a1", "PROPOSAL", "SOLUTION", false, false),
                        org.assertj.core.groups.Tuple.tuple("a1", "SOLUTION", "PROPOSAL", true, false),
                        org.assertj.core.groups.Tuple.tuple("a1", "PROPOSAL", "CLOSED_WON", true, false));
        JourneyUpdate won = deals.get(5);
        assertThat(won.timeInStageMillis()).isEqualTo(2 * DAY);
        assertThat(won.cumulativeInStageMillis()).as("two visits to PROPOSAL").isEqualTo(4 * DAY);
    }

    @Test
    void shouldMoveTheLifecycleForwardOnlyExceptChurnAndWinBack() throws Exception {
        open();
        send(touch("FORM_SUBMIT", T0));
        send(touch("MQL", T0 + DAY));
        send(touch("SALES_CALL", T0 + DAY + HOUR));
        send(touch("SQL", T0 + 2 * DAY));
        send(touch("MQL", T0 + 3 * DAY)); // changes nothing
        send(deal("n1", "CREATED", T0 + 4 * DAY).stage("DISCOVERY").amount(10_000));
        send(deal("n1", "CLOSED_WON", T0 + 5 * DAY));
        send(deal("r1", "CREATED", T0 + 300 * DAY)
                .stage("NEGOTIATION")
                .amount(10_000)
                .dealType("renewal"));
        send(deal("r1", "CLOSED_LOST", T0 + 365 * DAY)); // a lost renewal: ARR 0, churned
        send(deal("w1", "CREATED", T0 + 400 * DAY).stage("DISCOVERY").amount(5_000));
        send(deal("w1", "CLOSED_WON", T0 + 401 * DAY)); // a win-back
        watermark(T0 + 402 * DAY);
        assertThat(h.extractOutputValues())
                .filteredOn(u -> u.kind().equals("LIFECYCLE"))
                .extracting(JourneyUpdate::toStage)
                .containsExactly("lead", "mql", "sql", "opportunity", "customer", "churned", "customer");
    }

    @Test
    void shouldCreditANewBusinessWinToTheTouchesOfItsWindowAndTheLeadCreationTouch() throws Exception {
        open();
        send(touch("FORM_SUBMIT", T0 - 300 * DAY).channel("organic_search").id("form"));
        send(touch("LEAD_CREATED", T0 - 300 * DAY + 60_000));
        send(touch("AD_CLICK", T0 - 250 * DAY).channel("paid_search").id("old-ad")); // older than 180 d before creation
        send(touch("WEB_VISIT", T0 - 100 * DAY).id("visit")); // no channel: other
        send(touch("EMAIL_OPEN", T0 - 50 * DAY).channel("email")); // not attributable
        send(deal("d1", "CREATED", T0).stage("DISCOVERY").amount(1_000));
        send(touch("SALES_CALL", T0 + 5 * DAY).dealId("d1").channel("outbound").id("call"));
        send(deal("d1", "CLOSED_WON", T0 + 10 * DAY));
        send(deal("x1", "CREATED", T0 + 11 * DAY).stage("DISCOVERY").amount(500).dealType("expansion"));
        send(deal("x1", "CLOSED_WON", T0 + 12 * DAY)); // not new business: no credit
        watermark(T0 + 13 * DAY);
        List<AttributionRecord> credits = h.getSideOutput(JourneyFunction.ATTRIBUTION).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(credits).hasSize(7 * 3).allMatch(c -> c.dealId().equals("d1"));
        assertThat(credits)
                .filteredOn(c -> c.model().equals("LINEAR"))
                .extracting(
                        c -> c.touchEventId(), c -> c.channel(), c -> c.credit().toPlainString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("form", "organic_search", "333.34"),
                        org.assertj.core.groups.Tuple.tuple("visit", "other", "333.33"),
                        org.assertj.core.groups.Tuple.tuple("call", "outbound", "333.33"));
        // first touch = the old lead-creation touch; the last touch before creation = the visit
        assertThat(credits)
                .filteredOn(c -> c.model().equals("W_SHAPED"))
                .extracting(c -> c.credit().toPlainString())
                .containsExactly("600.00", "300.00", "100.00");
        AccountSnapshots.Snapshot kept = StoredAccounts.of(h, "acct-1");
        assertThat(StoredAccounts.touches(kept))
                .as("touches kept for the open window")
                .isPositive();
        int deals = kept.journey().dealMap().size();
        watermark(T0 + 200 * DAY);
        kept = StoredAccounts.of(h, "acct-1");
        assertThat(StoredAccounts.touches(kept))
                .as("touches older than the window are forgotten")
                .isZero();
        assertThat(kept.journey().dealMap()).as("the deals stay").hasSize(deals);
    }

    @Test
    void shouldEmitNothingLaterThanTheAsOfTime() throws Exception {
        open(TestJourneySettings.defaults().withAsOf(T0 + 10 * DAY));
        send(deal("d1", "CREATED", T0).stage("PROPOSAL").amount(1_000)); // stalls at day 10: due
        send(deal("d2", "CREATED", T0 + HOUR).stage("PROPOSAL").amount(1_000)); // stalls after as-of
        watermark(Long.MAX_VALUE); // the end of a bounded input
        assertThat(alerts()).extracting(Alert::dealId).containsExactly("d1");
    }
}
