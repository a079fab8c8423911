package dev.revstream.job.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.RuleSet;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A request to forget a person and a visitor reaches their account's journey: the events it keeps
 * for corrections (applied and still waiting) lose those ids, and nothing else changes.
 */
class JourneyForgetTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    @Test
    void theAccountsStateKeepsNoneOfTheForgottenIds() throws Exception {
        forgets(Duration.ofDays(7));
    }

    @Test
    void withoutCorrectionsTooItsWaitingEventsLoseThem() throws Exception {
        forgets(Duration.ZERO); // no log to scrub: the request must not fail on it
    }

    private static void forgets(Duration horizon) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new JourneyFunction(TestJourneySettings.defaults(), Duration.ZERO, RuleSet.none(), horizon)),
                Event::accountId,
                Types.STRING);
        h.open();
        List<Event> in = List.of(
                EventBuilder.touch("WEB_VISIT", T0)
                        .account("acme")
                        .anonymous("v-1")
                        .build(),
                EventBuilder.touch("FORM_SUBMIT", T0 + HOUR)
                        .account("acme")
                        .contact("p-1")
                        .anonymous("v-1")
                        .build(),
                EventBuilder.touch("EMAIL_OPEN", T0 + 2 * HOUR)
                        .account("acme")
                        .contact("p-2")
                        .build());
        for (Event e : in) {
            h.processElement(new StreamRecord<>(e, e.occurredAt()));
        }
        h.processWatermark(T0 + HOUR); // the first two applied (logged), the third still waiting
        Event waitingAfter = EventBuilder.touch("WEB_VISIT", T0 + 3 * HOUR)
                .account("acme")
                .contact("p-1")
                .build();
        h.processElement(new StreamRecord<>(waitingAfter, waitingAfter.occurredAt()));
        assertThat(ids(h)).contains("p-1", "p-2"); // waiting
        if (!horizon.isZero()) {
            assertThat(ids(h)).contains("v-1"); // logged for corrections
        }

        Event forget = EventBuilder.touch("FORGET", T0 + 4 * HOUR)
                .account("acme")
                .contact("p-1")
                .anonymous("v-1")
                .build();
        h.processElement(new StreamRecord<>(forget, forget.occurredAt()));
        assertThat(ids(h)).doesNotContain("p-1", "v-1").contains("p-2"); // another person's id stays
        assertThat(h.getSideOutput(JourneyFunction.DEAD_LETTERS))
                .as("nothing failed")
                .isNullOrEmpty();
        h.processWatermark(T0 + 5 * HOUR);
        assertThat(h.extractOutputValues()).isNotEmpty(); // the journey goes on as before
        h.close();
    }

    /** Every contact and visitor id in the account's logged and waiting events. */
    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, Event, ?> h) throws Exception {
        var operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey("acme");
        List<String> out = new ArrayList<>();
        for (String name : List.of("account-log-events", "waiting-events")) {
            ListState<Event> s = operator.getKeyedStateBackend()
                    .getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            new ListStateDescriptor<>(name, Types.POJO(Event.class)));
            Iterable<Event> events = s.get(); // null for none (no log without a correction horizon)
            if (events == null) {
                continue;
            }
            for (Event e : events) {
                if (e.contactId() != null) {
                    out.add(e.contactId());
                }
                if (e.anonymousId() != null) {
                    out.add(e.anonymousId());
                }
            }
        }
        return out;
    }
}
