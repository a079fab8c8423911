package dev.revstream.job.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.identity.IdentitySettings;
import dev.revstream.identity.Resolution;
import dev.revstream.identity.Resolution.Route;
import dev.revstream.job.identity.AccountResolver.Stage;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import dev.revstream.model.EventKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Identity resolution against a reference computed from the links themselves: random visitors,
 * persons, accounts and deals, their links and events shuffled together (links after the events they
 * resolve, before, between), through the visitor stage and then the person stage as the job wires
 * them. Every event comes out once, on the account its links name; what no link resolves becomes a
 * dead letter once its time is up, never silently dropped.
 */
class AccountResolverTest {
    private static final long DAY = 86_400_000L;
    private static final IdentitySettings SETTINGS = new IdentitySettings(30 * DAY, 1000, 400 * DAY);

    static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness(
            Stage stage, KeySelector<Event, String> key, IdentitySettings settings) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AccountResolver(stage, settings)), key, Types.STRING);
        h.open();
        return h;
    }

    static Event touch(String id, long at, String account, String contact, String visitor) {
        return EventBuilder.touch("WEB_VISIT", at)
                .id(id)
                .account(account)
                .contact(contact)
                .anonymous(visitor)
                .build();
    }

    static Event identify(String id, long at, String visitor, String contact, String account) {
        return EventBuilder.touch("IDENTIFY", at)
                .id(id)
                .account(account)
                .contact(contact)
                .anonymous(visitor)
                .build();
    }

    @Test
    void visitorsAndPersonsResolveToTheAccountTheirLinksNameInAnyOrder() throws Exception {
        for (int seed = 0; seed < 40; seed++) {
            Random r = new Random(seed);
            int accounts = 1 + r.nextInt(4);
            int persons = 1 + r.nextInt(6);
            int visitors = 1 + r.nextInt(8);
            Map<String, String> personAccount = new HashMap<>();
            Map<String, String> visitorPerson = new HashMap<>();
            Map<String, String> visitorAccount = new HashMap<>(); // visitors linked to an account directly
            List<Event> input = new ArrayList<>();
            long t = 1_000 * DAY;
            for (int p = 0; p < persons; p++) {
                if (r.nextInt(5) > 0) { // some persons never get an account
                    String a = "a" + r.nextInt(accounts);
                    personAccount.put("p" + p, a);
                    input.add(identify("link-p" + p, t + r.nextInt(1000), null, "p" + p, a));
                }
            }
            for (int v = 0; v < visitors; v++) {
                int kind = r.nextInt(4);
                if (kind < 2) {
                    String p = "p" + r.nextInt(persons);
                    visitorPerson.put("v" + v, p);
                    input.add(identify("link-v" + v, t + r.nextInt(1000), "v" + v, p, null));
                } else if (kind == 2) {
                    String a = "a" + r.nextInt(accounts);
                    visitorAccount.put("v" + v, a);
                    input.add(identify("link-v" + v, t + r.nextInt(1000), "v" + v, null, a));
                }
            }
            Map<String, String> expected = new TreeMap<>(); // event -> account, or "-" for unresolved
            int events = 20 + r.nextInt(60);
            for (int i = 0; i < events; i++) {
                String id = "e" + i;
                long at = t + r.nextInt(1000);
                if (r.nextBoolean()) {
                    String v = "v" + r.nextInt(visitors);
                    input.add(touch(id, at, null, null, v));
                    String a = visitorAccount.containsKey(v)
                            ? visitorAccount.get(v)
                            : visitorPerson.containsKey(v) ? personAccount.get(visitorPerson.get(v)) : null;
                    expected.put(id, a == null ? "-" : a);
                } else {
                    String p = "p" + r.nextInt(persons);
                    input.add(touch(id, at, null, p, null));
                    expected.put(id, personAccount.getOrDefault(p, "-"));
                }
            }
            Collections.shuffle(input, r);

            var visitorStage = harness(Stage.VISITOR, Event::anonymousId, SETTINGS);
            var personStage = harness(Stage.PERSON, Event::contactId, SETTINGS);
            List<Event> toPerson = new ArrayList<>();
            for (Event e : input) {
                if (Resolution.of(e) == Route.VISITOR) {
                    visitorStage.processElement(new StreamRecord<>(e, e.occurredAt()));
                } else {
                    toPerson.add(e);
                }
            }
            var forwarded = visitorStage.getSideOutput(AccountResolver.TO_PERSON);
            if (forwarded != null) {
                forwarded.forEach(rec -> toPerson.add(rec.getValue()));
            }
            Collections.shuffle(toPerson, r);
            for (Event e : toPerson) {
                personStage.processElement(new StreamRecord<>(e, e.occurredAt()));
            }
            Map<String, String> actual = new TreeMap<>();
            List<Event> out = new ArrayList<>(visitorStage.extractOutputValues());
            out.addAll(personStage.extractOutputValues());
            for (Event e : out) {
                assertThat(actual.put(e.eventId(), e.accountId()))
                        .as("seed %d: %s came out twice", seed, e.eventId())
                        .isNull();
            }
            // the rest waits; once its time is up, each is a dead letter
            visitorStage.processWatermark(Long.MAX_VALUE);
            personStage.processWatermark(Long.MAX_VALUE);
            for (var h : List.of(visitorStage, personStage)) {
                var dead = h.getSideOutput(AccountResolver.DEAD_LETTERS);
                if (dead != null) {
                    for (var rec : dead) {
                        DeadLetter d = rec.getValue();
                        assertThat(d.errorCode()).isEqualTo(ErrorCode.UNRESOLVED_ACCOUNT);
                        String id = new String(d.payload()).replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1");
                        assertThat(actual.put(id, "-"))
                                .as("seed %d: %s", seed, id)
                                .isNull();
                    }
                }
            }
            // a person's forwarded link reaches the person stage as an event of its own: not in expected
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
            visitorStage.close();
            personStage.close();
        }
    }

    @Test
    void aDealTakesItsAccountFromItsEarlierOrLaterEvents() throws Exception {
        var deals = harness(Stage.DEAL, Resolution::dealKey, SETTINGS);
        Event stageChange = EventBuilder.deal("d1", "STAGE_CHANGED", 2 * DAY)
                .id("s")
                .account(null)
                .stage("DISCOVERY")
                .build();
        Event created =
                EventBuilder.deal("d1", "CREATED", DAY).id("c").account("acme").build();
        Event other = EventBuilder.deal("d2", "UPDATED", 3 * DAY)
                .id("o")
                .account(null)
                .build();
        for (Event e : List.of(stageChange, created, other)) {
            deals.processElement(new StreamRecord<>(e, e.occurredAt()));
        }
        assertThat(deals.extractOutputValues())
                .extracting(e -> e.eventId() + "@" + e.accountId())
                .containsExactly("c@acme", "s@acme");
        deals.processWatermark(3 * DAY + 30 * DAY - 1);
        assertThat(deals.getSideOutput(AccountResolver.DEAD_LETTERS)).isNull();
        deals.processWatermark(3 * DAY + 30 * DAY);
        assertThat(deals.getSideOutput(AccountResolver.DEAD_LETTERS))
                .singleElement()
                .satisfies(rec -> {
                    assertThat(rec.getValue().errorCode()).isEqualTo(ErrorCode.UNRESOLVED_ACCOUNT);
                    assertThat(rec.getValue().message()).contains("deal").contains("30d");
                });
        deals.close();
    }

    @Test
    void aKeyHoldsAtMostMaxWaitingAndTheOldestGoesFirst() throws Exception {
        var persons = harness(Stage.PERSON, Event::contactId, new IdentitySettings(30 * DAY, 3, 400 * DAY));
        for (int i = 0; i < 5; i++) {
            Event e = touch("e" + i, DAY + (5 - i) * 1000L, null, "p", null); // newest first
            persons.processElement(new StreamRecord<>(e, e.occurredAt()));
        }
        assertThat(persons.getSideOutput(AccountResolver.DEAD_LETTERS))
                .extracting(
                        rec -> new String(rec.getValue().payload()).replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1"))
                .containsExactly("e3", "e4"); // e3 was the oldest of four; e4, older still, came fifth
        Event link = identify("l", DAY, null, "p", "acme");
        persons.processElement(new StreamRecord<>(link, link.occurredAt()));
        assertThat(persons.extractOutputValues())
                .extracting(Event::eventId)
                .containsExactlyInAnyOrder("e0", "e1", "e2");
        persons.close();
    }

    @Test
    void aLaterLinkMovesWhatComesAfterAndAnEarlierOneArrivingLateDoesNot() throws Exception {
        var persons = harness(Stage.PERSON, Event::contactId, SETTINGS);
        for (Event e : List.of(
                identify("l2", 2 * DAY, null, "p", "new-co"),
                identify("l1", DAY, null, "p", "old-co"), // late, older: does not replace
                touch("e", 3 * DAY, null, "p", null))) {
            persons.processElement(new StreamRecord<>(e, e.occurredAt()));
        }
        assertThat(persons.extractOutputValues())
                .singleElement()
                .satisfies(e -> assertThat(e.accountId()).isEqualTo("new-co"));
        persons.close();
    }

    @Test
    void theLinkIsClearedRetentionAfterItsLastEvent() throws Exception {
        var persons = harness(Stage.PERSON, Event::contactId, new IdentitySettings(30 * DAY, 1000, 10 * DAY));
        Event link = identify("l", DAY, null, "p", "acme");
        persons.processElement(new StreamRecord<>(link, link.occurredAt()));
        persons.processWatermark(20 * DAY);
        assertThat(persons.numKeyedStateEntries()).isZero();
        Event later = touch("e", 21 * DAY, null, "p", null);
        persons.processElement(new StreamRecord<>(later, later.occurredAt()));
        assertThat(persons.extractOutputValues()).isEmpty(); // forgotten: it waits again
        assertThat(EventKind.TOUCHPOINT).isEqualTo(later.kind());
        persons.close();
    }

    @Test
    void aForgottenVisitorLeavesNothingBehind() throws Exception {
        var visitors = harness(Stage.VISITOR, Event::anonymousId, SETTINGS);
        Event waiting = touch("e", DAY, null, null, "v");
        Event forget = EventBuilder.touch("FORGET", 2 * DAY)
                .id("f")
                .account(null)
                .anonymous("v")
                .contact("p")
                .build();
        visitors.processElement(new StreamRecord<>(waiting, waiting.occurredAt()));
        visitors.processElement(new StreamRecord<>(forget, forget.occurredAt()));
        assertThat(visitors.numKeyedStateEntries()).isZero();
        // the person is forgotten too: the request goes on to the person stage
        assertThat(visitors.getSideOutput(AccountResolver.TO_PERSON))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().isForget()).isTrue());
        Event link = identify("l", 3 * DAY, "v", null, "acme");
        visitors.processElement(new StreamRecord<>(link, link.occurredAt()));
        visitors.processWatermark(Long.MAX_VALUE);
        assertThat(visitors.extractOutputValues()).isEmpty(); // the purged event never reaches an account
        assertThat(visitors.getSideOutput(AccountResolver.DEAD_LETTERS)).isNull(); // nor a dead letter
        visitors.close();
    }

    @Test
    void aForgottenPersonsRequestGoesOnToTheAccountItKnew() throws Exception {
        var persons = harness(Stage.PERSON, Event::contactId, SETTINGS);
        Event link = identify("l", DAY, null, "p", "acme");
        Event forget = EventBuilder.touch("FORGET", 2 * DAY)
                .id("f")
                .account(null)
                .contact("p")
                .build();
        persons.processElement(new StreamRecord<>(link, link.occurredAt()));
        persons.processElement(new StreamRecord<>(forget, forget.occurredAt()));
        assertThat(persons.extractOutputValues()).singleElement().satisfies(e -> {
            assertThat(e.isForget()).isTrue();
            assertThat(e.accountId()).isEqualTo("acme"); // the journey of acme drops the person's ids
        });
        assertThat(persons.numKeyedStateEntries()).isZero();
        persons.close();
    }
}
