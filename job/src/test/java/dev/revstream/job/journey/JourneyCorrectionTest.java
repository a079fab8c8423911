package dev.revstream.job.journey;

import static dev.revstream.journey.TestJourneySettings.DAY;
import static dev.revstream.journey.TestJourneySettings.HOUR;
import static dev.revstream.model.EventBuilder.deal;
import static dev.revstream.model.EventBuilder.touch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.Recommendation;
import dev.revstream.actions.RuleSet;
import dev.revstream.actions.TestRules;
import dev.revstream.alerts.Alert;
import dev.revstream.alerts.AlertType;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import dev.revstream.model.LateEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * Events behind what their account has applied, within the correction horizon: the journey rewinds
 * and its settled outputs equal those of the same events delivered in order.
 */
class JourneyCorrectionTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final Duration HORIZON = Duration.ofDays(7);

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> open() throws Exception {
        return open(RuleSet.none());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> open(RuleSet rules)
            throws Exception {
        return open(new CountingFirings(rules));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> open(JourneyFunction f)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(f), Event::accountId, Types.STRING);
        h.open();
        return h;
    }

    /** The journey, counting its timers' firings. */
    private static final class CountingFirings extends JourneyFunction {
        private int firings;

        CountingFirings(RuleSet rules) {
            super(TestJourneySettings.defaults(), Duration.ZERO, rules, HORIZON);
        }

        @Override
        public void onTimer(long t, OnTimerContext ctx, Collector<JourneyUpdate> out) throws Exception {
            firings++;
            super.onTimer(t, ctx, out);
        }
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h, Event e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.occurredAt()));
    }

    private static <T> List<T> side(
            KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h, OutputTag<T> tag) {
        return h.getSideOutput(tag) == null
                ? List.of()
                : h.getSideOutput(tag).stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static List<JourneyUpdate> updates(KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h) {
        return h.extractOutputValues();
    }

    @Test
    void shouldWithdrawAStallAlertThatALateStageChangeDisproves() throws Exception {
        var h = open();
        send(h, deal("d1", "CREATED", T0).stage("QUALIFICATION").amount(5_000).build());
        h.processWatermark(T0 + 14 * DAY + HOUR);
        List<Alert> fired = side(h, JourneyFunction.ALERTS);
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.STALLED_DEAL);
            assertThat(a.status()).isEqualTo(Alert.FIRED);
        });

        Event late =
                deal("d1", "STAGE_CHANGED", T0 + 13 * DAY).stage("DISCOVERY").build();
        send(h, late);
        assertThat(side(h, JourneyFunction.ALERTS))
                .as("it waits for the next watermark")
                .hasSize(1);
        h.processWatermark(T0 + 14 * DAY + HOUR + 1);

        List<Alert> alerts = side(h, JourneyFunction.ALERTS);
        assertThat(alerts).hasSize(2);
        Alert withdrawal = alerts.get(1);
        assertThat(withdrawal.alertId()).isEqualTo(fired.get(0).alertId());
        assertThat(withdrawal.status()).isEqualTo(Alert.WITHDRAWN);
        assertThat(withdrawal.withdrawnAt()).isEqualTo(late.ingestedAt());
        assertThat(withdrawal.withdrawnBecause()).contains(late.eventId(), "STAGE_CHANGED");
        assertThat(updates(h))
                .filteredOn(u -> "DISCOVERY".equals(u.toStage()))
                .singleElement()
                .satisfies(u -> assertThat(u.retracted()).isFalse());

        // the deal now stalls from the late event on: 14 days in DISCOVERY
        h.processWatermark(T0 + 27 * DAY + HOUR);
        assertThat(side(h, JourneyFunction.ALERTS)).last().satisfies(a -> {
            assertThat(a.status()).isEqualTo(Alert.FIRED);
            assertThat(a.triggeredAt()).isEqualTo(T0 + 27 * DAY);
        });
        h.close();
    }

    @Test
    void shouldCorrectWithALateEventThatArrivesRightAfterARestoreBeforeAnyWatermark() throws Exception {
        var h = open();
        send(h, deal("d1", "CREATED", T0).stage("QUALIFICATION").amount(5_000).build());
        h.processWatermark(T0 + 14 * DAY + HOUR);
        assertThat(side(h, JourneyFunction.ALERTS)).singleElement();
        var snapshot = h.snapshot(1, 1);
        h.close();

        // a restored job knows no watermark until its sources send one: the event must still count as late
        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new JourneyFunction(TestJourneySettings.defaults(), Duration.ZERO, RuleSet.none(), HORIZON)),
                Event::accountId,
                Types.STRING);
        restored.initializeState(snapshot);
        restored.open();
        Event late =
                deal("d1", "STAGE_CHANGED", T0 + 13 * DAY).stage("DISCOVERY").build();
        send(restored, late);
        restored.processWatermark(T0 + 14 * DAY + HOUR + 1);

        assertThat(side(restored, JourneyFunction.ALERTS))
                .as("the stall alert fired before the restore is withdrawn")
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.status()).isEqualTo(Alert.WITHDRAWN);
                    assertThat(a.withdrawnBecause()).contains(late.eventId());
                });
        restored.processWatermark(T0 + 27 * DAY + HOUR);
        assertThat(side(restored, JourneyFunction.ALERTS)).last().satisfies(a -> {
            assertThat(a.status()).isEqualTo(Alert.FIRED);
            assertThat(a.triggeredAt()).as("14 days in DISCOVERY").isEqualTo(T0 + 27 * DAY);
        });
        restored.close();
    }

    @Test
    void shouldFireLateAnAlertThatALateEventMakesDueInThePast() throws Exception {
        var h = open();
        send(h, touch("WEB_VISIT", T0).build());
        send(h, touch("WEB_VISIT", T0 + 4 * DAY).build());
        h.processWatermark(T0 + 5 * DAY);
        assertThat(side(h, JourneyFunction.ALERTS)).isEmpty();

        // an MQL at day 2 with no sales touch after it breaches the 1-day hand-off SLA at day 3, in the past
        send(h, touch("MQL", T0 + 2 * DAY).build());
        h.processWatermark(T0 + 5 * DAY + 1);
        assertThat(side(h, JourneyFunction.ALERTS)).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.LEAD_SLA_BREACH);
            assertThat(a.triggeredAt()).isEqualTo(T0 + 3 * DAY);
            assertThat(a.late()).isTrue();
            assertThat(a.status()).isEqualTo(Alert.FIRED);
        });
        assertThat(updates(h))
                .filteredOn(u -> "mql".equals(u.toStage()))
                .singleElement()
                .satisfies(u -> assertThat(u.at()).isEqualTo(T0 + 2 * DAY));
        h.close();
    }

    /**
     * A late event corrected into the account must be in every snapshot made after it: a later
     * correction rewinds to the snapshot and would otherwise lose the late event's deal. (A snapshot
     * kept from the live value before the late event arrived lost it; found while trying that.)
     */
    @Test
    void shouldKeepALateEventInTheSnapshotsMadeAfterIt() throws Exception {
        var h = open();
        send(h, deal("d1", "CREATED", T0).stage("DISCOVERY").amount(1_000).build());
        h.processWatermark(T0);
        send(h, touch("WEB_VISIT", T0 + 3 * DAY).build());
        h.processWatermark(T0 + 3 * DAY);
        send(
                h,
                deal("d2", "CREATED", T0 - HOUR)
                        .stage("DISCOVERY")
                        .amount(2_000)
                        .build()); // late, before T0
        h.processWatermark(T0 + 3 * DAY + HOUR);
        assertThat(StoredAccounts.of(h, "acct-1").journey().dealMap()).containsKeys("d1", "d2");
        send(h, touch("WEB_VISIT", T0 + 9 * DAY).build());
        h.processWatermark(T0 + 9 * DAY); // a horizon after T0: a new snapshot
        send(h, touch("SALES_CALL", T0 + 8 * DAY).dealId("d1").build()); // late, after that snapshot
        h.processWatermark(T0 + 9 * DAY + HOUR);
        assertThat(side(h, JourneyFunction.LATE)).isEmpty();
        assertThat(StoredAccounts.of(h, "acct-1").journey().dealMap())
                .as("the late deal survives the second correction")
                .containsKeys("d1", "d2");
        h.close();
    }

    @Test
    void shouldRouteAnEventOlderThanTheAccountsSnapshotToLate() throws Exception {
        var h = open();
        for (int d = 0; d <= 30; d += 3) {
            send(h, touch("WEB_VISIT", T0 + d * DAY).build());
            h.processWatermark(T0 + d * DAY + HOUR);
        }
        // the log was folded into the snapshot as the horizon moved on: day 2 is out of reach
        send(h, touch("WEB_VISIT", T0 + 2 * DAY).id("too-old").build());
        assertThat(side(h, JourneyFunction.LATE)).singleElement().satisfies(l -> {
            assertThat(l.event().eventId()).isEqualTo("too-old");
            assertThat(l.reason()).contains("snapshot");
            assertThat(l.horizonMillis()).isEqualTo(HORIZON.toMillis());
        });
        h.close();
    }

    /**
     * The guarantee at the journey: random accounts, deals and touches, delivered in order and again
     * with a tenth of the events up to two days late (within the horizon), the watermark following the
     * arrivals; the settled outputs (alerts fired and not withdrawn, journey updates and credits not
     * retracted) are the same.
     */
    @Test
    void shouldSettleOnTheInOrderOutputsWhateverTheArrivalOrderWithinTheHorizon() throws Exception {
        settlesAsInOrder(60, 100, 10, 0);
    }

    /**
     * The same with every other event late: late events before the copies of the live value kept as the
     * next snapshots keep making them stale, so the snapshots also move on by replays of the log.
     */
    @Test
    void shouldSettleOnTheInOrderOutputsWhenHalfTheEventsAreLate() throws Exception {
        long[] moves = settlesAsInOrder(60, 40, 2, 0);
        assertThat(moves[0]).as("snapshots moved by a copy").isPositive();
        assertThat(moves[1]).as("snapshots moved by a replay").isPositive();
    }

    /**
     * The same with event time moving in steps of three days (a fast replay): a firing fires ahead at many
     * instants, and the snapshot moves on between them.
     */
    @Test
    void shouldSettleOnTheInOrderOutputsWhenLateEventsMeetEventTimeInSteps() throws Exception {
        long[] moves = settlesAsInOrder(90, 40, 4, 3 * DAY);
        assertThat(moves[0]).as("snapshots moved by a copy").isPositive();
    }

    /**
     * An account whose events all arrive behind what it has seen (its source five hours behind event time,
     * the watermark moving two hours at a time) fires only to correct, and each late event falls before the
     * copy its last firing kept: its snapshot still moves on (by replays), so its log and its rewinds stay
     * bounded, and every event is corrected into it.
     */
    @Test
    void shouldMoveTheSnapshotOfAnAccountWhoseFiringsAllCorrect() throws Exception {
        CountingFirings journey = new CountingFirings(RuleSet.none());
        var h = open(journey);
        send(h, touch("WEB_VISIT", T0).build());
        h.processWatermark(T0);
        long end = T0 + 30 * DAY;
        int sent = 1;
        for (long w = T0 + 2 * HOUR; w <= end; w += 2 * HOUR) {
            send(h, touch("WEB_VISIT", w - 5 * HOUR).id("lagging-" + w).build());
            sent++;
            h.processWatermark(w);
        }
        assertThat(side(h, JourneyFunction.LATE)).isEmpty();
        var account = StoredAccounts.of(h, "acct-1").journey().account();
        assertThat(account.snapshotAt).as("the snapshot moved on").isGreaterThanOrEqualTo(end - 3 * HORIZON.toMillis());
        assertThat(journey.snapshotMoves()[1]).as("replays").isPositive();
        assertThat(StoredAccounts.touches(StoredAccounts.of(h, "acct-1")))
                .as("every event corrected into the account")
                .isEqualTo(sent);
        h.close();
    }

    /**
     * A busy account's snapshot moves on by copies of its live value, not by replays of its log: after 45
     * days of touches every six hours it is one to two and a half horizons old, and an event from just
     * after it is still corrected.
     */
    @Test
    void shouldMoveABusyAccountsSnapshotOnByCopiesOfItsLiveValue() throws Exception {
        CountingFirings journey = new CountingFirings(TestRules.defaults());
        var h = open(journey);
        long end = T0 + 45 * DAY;
        for (long t = T0; t <= end; t += 6 * HOUR) {
            send(h, touch("WEB_VISIT", t).build());
            h.processWatermark(t);
        }
        long snapshotAt = StoredAccounts.of(h, "acct-1").journey().account().snapshotAt;
        assertThat(snapshotAt).isBetween(end - 5 * HORIZON.toMillis() / 2, end - HORIZON.toMillis());
        assertThat(journey.snapshotMoves()[0]).as("copies").isGreaterThanOrEqualTo(3);
        assertThat(journey.snapshotMoves()[1]).as("replays").isZero();
        send(h, touch("SALES_CALL", snapshotAt + HOUR).id("just-after").build());
        h.processWatermark(end + HOUR);
        assertThat(side(h, JourneyFunction.LATE)).isEmpty();
        assertThat(StoredAccounts.of(h, "acct-1").journey().account().lastSalesTouchAt)
                .as("corrected into the account")
                .isEqualTo(snapshotAt + HOUR);
        h.close();
    }

    /**
     * The same for accounts quiet for longer than the horizon between their events (a year of them):
     * such an account's live value becomes its snapshot instead of a replay of its log.
     */
    @Test
    void shouldSettleOnTheInOrderOutputsForAccountsQuietForLongerThanTheHorizon() throws Exception {
        settlesAsInOrder(365, 60, 10, 0);
    }

    /**
     * Event time that moves in steps (a watermark every few days, as after a stall or in a fast replay)
     * fires an account once for all the instants it passed: the outputs are those of a watermark at
     * every event.
     */
    @Test
    void shouldFireAsAtEveryInstantWhenEventTimeMovesInSteps() throws Exception {
        int batched = 0;
        for (long seed = 1; seed <= 40; seed++) {
            List<Event> events = scenario(new Random(seed), 60);
            Settled everyEvent = run(events, new Random(seed), 0, 0);
            Settled inSteps = run(events, new Random(seed), 0, 3 * DAY);
            assertThat(inSteps.alerts).as("seed %d: alerts", seed).isEqualTo(everyEvent.alerts);
            assertThat(inSteps.updates).as("seed %d: journey updates", seed).isEqualTo(everyEvent.updates);
            assertThat(inSteps.credits).as("seed %d: attribution", seed).isEqualTo(everyEvent.credits);
            assertThat(inSteps.actions).as("seed %d: recommendations", seed).isEqualTo(everyEvent.actions);
            assertThat(inSteps.firings).as("seed %d: fewer firings", seed).isLessThanOrEqualTo(everyEvent.firings);
            batched += everyEvent.firings - inSteps.firings;
        }
        assertThat(batched).as("firings saved by firing ahead").isGreaterThan(40);
    }

    /** @return how often the snapshots moved on by a copy and by a replay, over the delayed runs */
    private static long[] settlesAsInOrder(int days, int seeds, int lateOneIn, long watermarkStep) throws Exception {
        int recommendations = 0;
        long[] moves = new long[2];
        for (long seed = 1; seed <= seeds; seed++) {
            List<Event> events = scenario(new Random(seed), days);
            Settled inOrder = run(events, new Random(seed), 0, 0);
            Settled shuffled = run(events, new Random(seed), lateOneIn, watermarkStep);
            moves[0] += shuffled.snapshotMoves[0];
            moves[1] += shuffled.snapshotMoves[1];
            assertThat(shuffled.lateEvents)
                    .as("seed %d: nothing is past the horizon", seed)
                    .isEmpty();
            assertThat(shuffled.alerts).as("seed %d: alerts", seed).isEqualTo(inOrder.alerts);
            assertThat(shuffled.updates).as("seed %d: journey updates", seed).isEqualTo(inOrder.updates);
            assertThat(shuffled.credits).as("seed %d: attribution", seed).isEqualTo(inOrder.credits);
            assertThat(shuffled.actions).as("seed %d: recommendations", seed).isEqualTo(inOrder.actions);
            recommendations += inOrder.actions.size();
        }
        assertThat(recommendations)
                .as("the scenarios open and close recommendations")
                .isGreaterThan(seeds);
        return moves;
    }

    private record Settled(
            Map<String, Alert> alerts,
            Map<JourneyUpdate, Integer> updates,
            Map<AttributionRecord, Integer> credits,
            Map<Recommendation, Integer> actions,
            List<LateEvent> lateEvents,
            int firings,
            long[] snapshotMoves) {}

    /**
     * @param lateOneIn 0: in order; else one event in that many arrives minutes to two days late
     * @param watermarkStep 0: a watermark at every arrival; else one each time arrivals pass a multiple of it
     */
    private static Settled run(List<Event> events, Random random, int lateOneIn, long watermarkStep) throws Exception {
        // arrival = occurredAt, or for a tenth of the events (when delayed) minutes to two days later
        TreeMap<Long, List<Event>> arrivals = new TreeMap<>();
        for (Event e : events) {
            long delay = lateOneIn > 0 && random.nextInt(lateOneIn) == 0
                    ? 60_000L + (long) (random.nextDouble() * 2 * DAY)
                    : 0;
            arrivals.computeIfAbsent(e.occurredAt() + delay, t -> new ArrayList<>())
                    .add(e);
        }
        CountingFirings journey = new CountingFirings(TestRules.defaults());
        var h = open(journey);
        long stepEnd = Long.MIN_VALUE;
        for (Map.Entry<Long, List<Event>> at : arrivals.entrySet()) {
            if (watermarkStep > 0 && at.getKey() >= stepEnd) {
                if (stepEnd != Long.MIN_VALUE) {
                    h.processWatermark(stepEnd - 1); // a step: what arrived before it
                }
                stepEnd = (at.getKey() / watermarkStep + 1) * watermarkStep;
            }
            for (Event e : at.getValue()) {
                send(h, e);
            }
            if (watermarkStep == 0) {
                h.processWatermark(at.getKey()); // as a live job: event time reaches what arrived
            }
        }
        h.processWatermark(T0 + 600 * DAY);
        Map<String, Alert> alerts = new LinkedHashMap<>();
        for (Alert a : side(h, JourneyFunction.ALERTS)) {
            if (a.isWithdrawn()) {
                alerts.remove(a.alertId());
            } else {
                alerts.put(
                        a.alertId(),
                        new Alert(
                                a.alertId(),
                                a.type(),
                                a.severity(),
                                a.accountId(),
                                a.dealId(),
                                a.ownerId(),
                                a.triggeredAt(),
                                a.reason(),
                                a.amount(),
                                a.stage(),
                                a.durationMillis(),
                                a.lastActivity(),
                                a.lastActivityAt(),
                                a.rule(),
                                a.threshold(),
                                a.healthScore(),
                                a.signals(),
                                a.segment(),
                                a.region())); // without the late flag
            }
        }
        Map<JourneyUpdate, Integer> updates = new HashMap<>();
        for (JourneyUpdate u : updates(h)) {
            if (u.retracted()) {
                updates.merge(withoutFlag(u), -1, Integer::sum);
            } else {
                updates.merge(u, 1, Integer::sum);
            }
        }
        updates.values().removeIf(n -> n == 0);
        Map<AttributionRecord, Integer> credits = new HashMap<>();
        for (AttributionRecord r : side(h, JourneyFunction.ATTRIBUTION)) {
            if (r.retracted()) {
                credits.merge(withoutFlag(r), -1, Integer::sum);
            } else {
                credits.merge(r, 1, Integer::sum);
            }
        }
        credits.values().removeIf(n -> n == 0);
        Map<Recommendation, Integer> actions = new HashMap<>();
        for (Recommendation r : side(h, JourneyFunction.ACTIONS)) {
            actions.merge(r.retracted() ? withoutFlag(r) : r, r.retracted() ? -1 : 1, Integer::sum);
        }
        actions.values().removeIf(n -> n == 0);
        List<LateEvent> late = side(h, JourneyFunction.LATE);
        h.close();
        return new Settled(sorted(alerts), updates, credits, actions, late, journey.firings, journey.snapshotMoves());
    }

    private static Map<String, Alert> sorted(Map<String, Alert> alerts) {
        Map<String, Alert> out = new TreeMap<>(Comparator.naturalOrder());
        out.putAll(alerts);
        return out;
    }

    private static JourneyUpdate withoutFlag(JourneyUpdate u) {
        return new JourneyUpdate(
                u.updateId(),
                u.kind(),
                u.accountId(),
                u.dealId(),
                u.fromStage(),
                u.toStage(),
                u.at(),
                u.timeInStageMillis(),
                u.cumulativeInStageMillis(),
                u.forward(),
                u.adopted(),
                u.dealType(),
                u.amount(),
                u.ownerId(),
                u.segment(),
                u.region(),
                u.causeSource(),
                u.causeEventId());
    }

    private static Recommendation withoutFlag(Recommendation r) {
        return new Recommendation(
                r.recordId(),
                r.actionId(),
                r.status(),
                r.ruleId(),
                r.action(),
                r.team(),
                r.priority(),
                r.scope(),
                r.accountId(),
                r.dealId(),
                r.ownerId(),
                r.at(),
                r.openedAt(),
                r.message(),
                r.facts(),
                r.closeReason(),
                false);
    }

    private static AttributionRecord withoutFlag(AttributionRecord r) {
        return new AttributionRecord(
                r.attributionId(),
                r.accountId(),
                r.dealId(),
                r.model(),
                r.wonAt(),
                r.dealAmount(),
                r.touchAt(),
                r.touchSource(),
                r.touchEventId(),
                r.touchType(),
                r.channel(),
                r.credit());
    }

    private static final String[] STAGES = {"QUALIFICATION", "DISCOVERY", "SOLUTION", "PROPOSAL", "NEGOTIATION"};
    private static final String[] TOUCHES = {
        "AD_CLICK",
        "WEB_VISIT",
        "FORM_SUBMIT",
        "EMAIL_CLICK",
        "LEAD_CREATED",
        "MQL",
        "SQL",
        "SALES_CALL",
        "MEETING",
        "DEMO",
        "PRODUCT_USAGE",
        "SUPPORT_TICKET",
        "NPS",
        "PAYMENT_FAILED"
    };

    /** A few accounts over 60 days: touches, deals moving through the stages, won or lost or left open. */
    /** Touches over {@code days}, deals created over two thirds of them. */
    private static List<Event> scenario(Random r, int days) {
        List<Event> events = new ArrayList<>();
        int accounts = 1 + r.nextInt(3);
        for (int a = 0; a < accounts; a++) {
            String account = "acct-" + a;
            for (int i = 0, n = 5 + r.nextInt(25); i < n; i++) {
                long at = T0 + (long) (r.nextDouble() * days * DAY);
                EventBuilder b = touch(TOUCHES[r.nextInt(TOUCHES.length)], at).account(account);
                if (r.nextBoolean()) {
                    b.channel(r.nextBoolean() ? "paid_search" : "email");
                }
                events.add(b.build());
            }
            for (int d = 0, deals = r.nextInt(4); d < deals; d++) {
                String dealId = account + "-d" + d;
                long at = T0 + (long) (r.nextDouble() * days * 2 / 3 * DAY);
                int stage = 0;
                events.add(deal(dealId, "CREATED", at)
                        .account(account)
                        .stage(STAGES[stage])
                        .amount(1_000 + r.nextInt(50_000))
                        .dealType(r.nextBoolean() ? "new_business" : "expansion")
                        .owner("rep-" + r.nextInt(3))
                        .build());
                for (int s = 0, moves = r.nextInt(5); s < moves; s++) {
                    at += (long) (r.nextDouble() * 12 * DAY);
                    if (r.nextInt(3) == 0) {
                        events.add(touch("SALES_CALL", at)
                                .account(account)
                                .dealId(dealId)
                                .build());
                    } else if (stage + 1 < STAGES.length) {
                        stage++;
                        events.add(deal(dealId, "STAGE_CHANGED", at)
                                .account(account)
                                .stage(STAGES[stage])
                                .build());
                    }
                }
                int end = r.nextInt(3);
                if (end < 2) {
                    at += (long) (r.nextDouble() * 10 * DAY);
                    events.add(deal(dealId, end == 0 ? "CLOSED_WON" : "CLOSED_LOST", at)
                            .account(account)
                            .build());
                }
            }
        }
        return events;
    }
}
