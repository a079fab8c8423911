package dev.revstream.job.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.RuleSet;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.Event;
import dev.revstream.model.EventBuilder;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The journey's de-duplication in the account's state against a model computed apart: every (source,
 * eventId, time) is applied, and written to the events output, exactly once, whatever the order the copies
 * arrive in, on time or late (within the correction horizon), and whatever else the copies carry; an id
 * used again more than the horizon apart counts each time; every copy is counted as a duplicate.
 */
class JourneyDedupPropertiesTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final Duration HORIZON = Duration.ofDays(2);

    /** One copy: its id (with its account), the slot of its time (slots are 3 days apart) and its type. */
    record Copy(int id, int slot, String type, int source) {
        String eventId() {
            return "e" + id;
        }

        String account() {
            return "acct-" + (id % 3);
        }

        long at() {
            return T0 + slot * 3 * DAY + (id % 5) * HOUR;
        }

        String sourceName() {
            return source == 0 ? "crm" : "web";
        }

        Event event() {
            return EventBuilder.touch(type, at())
                    .account(account())
                    .id(eventId())
                    .source(sourceName())
                    .build()
                    .withPendingWrite(); // as the route sends an event that names its account
        }

        String identity() {
            return sourceName() + "/" + eventId() + "@" + at();
        }
    }

    @Property(tries = 200)
    void everyEventIsAppliedOnceWhateverTheArrival(
            @ForAll("copies") List<Copy> copies, @ForAll long seed, @ForAll("correctionHorizons") Duration correction)
            throws Exception {
        List<Copy> arrival = new ArrayList<>(copies);
        Collections.shuffle(arrival, new Random(seed));
        Random r = new Random(seed + 1);
        Set<String> expected = new HashSet<>();
        int sent = 0;

        try (KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h = open(correction)) {
            long watermark = Long.MIN_VALUE;
            for (Copy c : arrival) {
                Event e = c.event();
                boolean late = watermark != Long.MIN_VALUE && e.occurredAt() <= watermark;
                if (!late || !correction.isZero()) { // without corrections a late event is routed away upstream
                    h.processElement(new StreamRecord<>(e, e.occurredAt()));
                    expected.add(c.identity());
                    sent++;
                }
                if (r.nextInt(4) == 0) {
                    // event time moves on, sometimes past copies still to come (they arrive late)
                    watermark = Math.max(watermark, T0 + r.nextInt(16) * DAY);
                    h.processWatermark(watermark);
                }
            }
            h.processWatermark(T0 + 60 * DAY);

            List<String> applied = new ArrayList<>();
            ConcurrentLinkedQueue<StreamRecord<Event>> out = h.getSideOutput(JourneyFunction.EVENTS);
            if (out != null) {
                out.forEach(x -> applied.add(identity(x.getValue())));
            }
            assertThat(applied).as("each event applied once").doesNotHaveDuplicates();
            assertThat(new HashSet<>(applied)).isEqualTo(expected);
            long duplicates = 0;
            ConcurrentLinkedQueue<StreamRecord<QualitySample>> quality = h.getSideOutput(JourneyFunction.QUALITY);
            if (quality != null) {
                for (StreamRecord<QualitySample> q : quality) {
                    if (q.getValue().outcome() == QualityOutcome.DUPLICATE
                            && q.getValue().dimension().equals(QualitySample.ALL)) {
                        duplicates += q.getValue().count();
                    }
                }
            }
            assertThat(duplicates).as("copies counted").isEqualTo(sent - expected.size());
        }
    }

    /** Without corrections the account keeps the ids of the horizon before the watermark only. */
    @Test
    void theIdsOfEventsPastTheHorizonAreLeftOutAtTheNextWrite() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h = open(Duration.ZERO)) {
            for (int i = 0; i < 5; i++) {
                Event e = EventBuilder.touch("WEB_VISIT", T0 + i * HOUR)
                        .account("acme")
                        .id("old-" + i)
                        .build();
                h.processElement(new StreamRecord<>(e, e.occurredAt()));
            }
            h.processWatermark(T0 + DAY);
            assertThat(StoredAccounts.seen(h, "acme")).isEqualTo(5);

            Event later = EventBuilder.touch("WEB_VISIT", T0 + 10 * DAY)
                    .account("acme")
                    .id("new")
                    .build();
            h.processElement(new StreamRecord<>(later, later.occurredAt()));
            h.processWatermark(T0 + 10 * DAY);
            assertThat(StoredAccounts.seen(h, "acme"))
                    .as("the five ids 10 days old are past the 2-day horizon")
                    .isEqualTo(1);
        }
    }

    private static String identity(Event e) {
        return e.source() + "/" + e.eventId() + "@" + e.occurredAt();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> open(Duration correction)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new JourneyFunction(TestJourneySettings.defaults(), Duration.ZERO, RuleSet.none(), correction)
                                .deduplicating(HORIZON)),
                Event::accountId,
                Types.STRING);
        h.open();
        return h;
    }

    @Provide
    Arbitrary<Duration> correctionHorizons() {
        return Arbitraries.of(Duration.ZERO, Duration.ofDays(30));
    }

    @Provide
    Arbitrary<List<Copy>> copies() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.of("WEB_VISIT", "EMAIL_OPEN", "WEBINAR_ATTEND"),
                        Arbitraries.integers().between(0, 1))
                .as(Copy::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(60);
    }
}
