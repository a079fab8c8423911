package dev.revstream.job.journey;

import static dev.revstream.journey.TestJourneySettings.DAY;
import static dev.revstream.journey.TestJourneySettings.HOUR;
import static dev.revstream.model.EventBuilder.deal;
import static dev.revstream.model.EventBuilder.touch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.TestRules;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.kafka.OutputJson;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.quality.QualitySample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * A bug in applying one event (injected: {@link JourneyFunction#failingOn}) makes that event a
 * {@code RECORD_FAILED} dead letter and nothing else: the function does not throw (the job does not
 * restart), and every output equals that of the same input without the event, so the account's state
 * was left as it was before it. On RocksDB, as in the job.
 */
class JourneyRecordFailureTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    private static boolean poison(Event e) {
        return e.eventId().startsWith("poison");
    }

    private static List<Event> input() {
        List<Event> in = new ArrayList<>();
        for (String acct : List.of("acct-1", "acct-2")) {
            in.add(touch("FORM_SUBMIT", T0)
                    .account(acct)
                    .id(acct + "-form")
                    .channel("email")
                    .build());
            in.add(touch("MQL", T0 + HOUR).account(acct).id(acct + "-mql").build());
            in.add(deal(acct + "-d1", "CREATED", T0 + 2 * HOUR)
                    .account(acct)
                    .id(acct + "-created")
                    .stage("QUALIFICATION")
                    .amount(12_000)
                    .build());
            // a poisoned event alone at its instant, and one beside good events at the same millisecond
            in.add(touch("SALES_CALL", T0 + 3 * HOUR)
                    .account(acct)
                    .id("poison-" + acct + "-1")
                    .dealId(acct + "-d1")
                    .build());
            in.add(deal(acct + "-d1", "STAGE_CHANGED", T0 + 3 * DAY)
                    .account(acct)
                    .id(acct + "-discovery")
                    .stage("DISCOVERY")
                    .build());
            in.add(deal(acct + "-d1", "CLOSED_WON", T0 + 3 * DAY)
                    .account(acct)
                    .id("poison-" + acct + "-2")
                    .amount(99_000)
                    .build());
            in.add(touch("MEETING", T0 + 3 * DAY)
                    .account(acct)
                    .id(acct + "-meeting")
                    .build());
            in.add(deal(acct + "-d1", "CLOSED_WON", T0 + 20 * DAY)
                    .account(acct)
                    .id(acct + "-won")
                    .amount(15_000)
                    .build());
        }
        return in;
    }

    private record Run(
            List<String> updates,
            List<String> alerts,
            List<String> credits,
            List<String> facts,
            List<String> actions,
            List<DeadLetter> deadLetters,
            List<QualitySample> quality) {}

    private static Run run(boolean withFault, List<Event> events) throws Exception {
        JourneyFunction f = new JourneyFunction(
                TestJourneySettings.defaults(), Duration.ZERO, TestRules.defaults(), Duration.ofDays(7));
        if (withFault) {
            f.failingOn(JourneyRecordFailureTest::poison);
        }
        return run(f, events);
    }

    private static Run run(JourneyFunction f, List<Event> events) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(f), Event::accountId, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        for (Event e : events) {
            h.processElement(new StreamRecord<>(e, e.occurredAt()));
        }
        for (long wm = T0; wm <= T0 + 40 * DAY; wm += DAY / 2) {
            h.processWatermark(wm); // day by day: deadlines, stalls and rule ticks fire along the way
        }
        Run r = new Run(
                h.extractOutputValues().stream()
                        .map(u -> json(OutputJson.journey(u)))
                        .toList(),
                side(h, JourneyFunction.ALERTS, a -> json(OutputJson.alert(a))),
                side(h, JourneyFunction.ATTRIBUTION, a -> json(OutputJson.attribution(a))),
                side(h, JourneyFunction.FACTS, Object::toString),
                side(h, JourneyFunction.ACTIONS, a -> json(OutputJson.recommendation(a))),
                side(h, JourneyFunction.DEAD_LETTERS, d -> d),
                side(h, JourneyFunction.QUALITY, q -> q));
        h.close();
        return r;
    }

    private static String json(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static <T, R> List<R> side(
            KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h,
            OutputTag<T> tag,
            Function<T, R> f) {
        return h.getSideOutput(tag) == null
                ? List.of()
                : h.getSideOutput(tag).stream().map(r -> f.apply(r.getValue())).collect(Collectors.toList());
    }

    @Test
    void aFailingEventIsADeadLetterAndTheAccountGoesOnAsIfItHadNotCome() throws Exception {
        List<Event> all = input();
        Run failing = run(true, all);
        Run without = run(false, all.stream().filter(e -> !poison(e)).toList());

        assertThat(failing.deadLetters())
                .extracting(DeadLetter::errorCode)
                .containsOnly(ErrorCode.RECORD_FAILED)
                .hasSize(4);
        assertThat(failing.deadLetters()).allSatisfy(d -> {
            assertThat(d.message()).contains("poison-", "IllegalStateException", "the job goes on");
            assertThat(d.topic()).isNotNull();
            assertThat(new String(d.payload(), StandardCharsets.UTF_8)).contains("\"eventId\":\"poison-");
        });
        assertThat(failing.quality())
                .filteredOn(q ->
                        q.code() == ErrorCode.RECORD_FAILED && q.dimension().equals(QualitySample.ALL))
                .hasSize(4);

        assertThat(without.updates()).isNotEmpty();
        assertThat(without.credits()).as("the won deals are attributed").isNotEmpty();
        assertThat(failing.updates()).isEqualTo(without.updates());
        assertThat(failing.alerts()).isEqualTo(without.alerts());
        assertThat(failing.credits()).isEqualTo(without.credits());
        assertThat(failing.facts()).isEqualTo(without.facts());
        assertThat(failing.actions()).isEqualTo(without.actions());
    }

    @Test
    void aFiringThatFailsWithNoEventToBlameStrandsNoEvent() throws Exception {
        List<Event> all = input().stream().filter(e -> !poison(e)).toList();
        long failing = T0 + 2 * HOUR; // a deal is created there; the MQL an hour before is fired ahead of it
        JourneyFunction f = new JourneyFunction(
                        TestJourneySettings.defaults(), Duration.ZERO, TestRules.defaults(), Duration.ofDays(7))
                .failingAt(t -> t == failing);
        Run r = run(f, all);

        // the firing that reached the failing instant is a dead letter of its own; its timer is spent, so the
        // events it was to apply up to there would wait for good: they are dead letters too
        assertThat(r.deadLetters())
                .filteredOn(d -> d.message().contains("its firing failed"))
                .isNotEmpty();
        List<String> stranded = r.deadLetters().stream()
                .filter(d -> d.message().contains("no event to blame"))
                .map(d -> new String(d.payload(), StandardCharsets.UTF_8))
                .toList();
        for (String acct : List.of("acct-1", "acct-2")) {
            assertThat(stranded)
                    .as(acct + ": its MQL and the deal's creation, waiting up to the failed instant")
                    .anySatisfy(p -> assertThat(p).contains("\"eventId\":\"" + acct + "-mql\""))
                    .anySatisfy(p -> assertThat(p).contains("\"eventId\":\"" + acct + "-created\""));
        }
        assertThat(r.deadLetters())
                .filteredOn(d -> !d.message().contains("its firing failed"))
                .hasSize(4)
                .allSatisfy(d -> {
                    assertThat(d.errorCode()).isEqualTo(ErrorCode.RECORD_FAILED);
                    assertThat(d.message()).contains("failed with no event to blame", "the job goes on");
                });
        assertThat(r.updates())
                .as("the account goes on with its later events")
                .anySatisfy(u -> assertThat(u).contains("acct-1-won"))
                .anySatisfy(u -> assertThat(u).contains("acct-2-won"));
    }
}
