package dev.revstream.job.journey;

import static dev.revstream.model.EventBuilder.touch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.RuleSet;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.journey.TestJourneySettings;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * One account takes at most {@link ErrorCode#MAX_EVENTS_PER_INSTANT} events at one millisecond, on time
 * and late: each one more is an {@code INSTANT_FULL} dead letter (counted in data quality), another
 * account at the same instant is not affected, and the ones taken are applied.
 */
class InstantFullTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    @Test
    void eventsPastTheCapAtOneInstantAreDeadLettersOfTheirOwn() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate>(
                new KeyedProcessOperator<>(new JourneyFunction(
                        TestJourneySettings.defaults(), Duration.ZERO, RuleSet.none(), Duration.ofDays(7))),
                Event::accountId,
                Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        int over = 7;
        for (int i = 0; i < ErrorCode.MAX_EVENTS_PER_INSTANT + over; i++) {
            h.processElement(new StreamRecord<>(
                    touch("WEB_VISIT", T0).account("busy").id("busy-" + i).build(), T0));
        }
        h.processElement(
                new StreamRecord<>(touch("MQL", T0).account("calm").id("calm-1").build(), T0));
        h.processWatermark(T0 + 1);

        // late within the horizon, at an instant the account has fired already: the same cap
        long earlier = T0 - 1_000;
        for (int i = 0; i < ErrorCode.MAX_EVENTS_PER_INSTANT + over; i++) {
            h.processElement(new StreamRecord<>(
                    touch("WEB_VISIT", earlier).account("busy").id("late-" + i).build(), earlier));
        }
        h.processWatermark(T0 + 2);

        List<DeadLetter> dead = h.getSideOutput(JourneyFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(dead).hasSize(2 * over).allSatisfy(d -> {
            assertThat(d.errorCode()).isEqualTo(ErrorCode.INSTANT_FULL);
            assertThat(d.message()).contains("account busy has 1000 events at");
        });
        assertThat(h.getSideOutput(JourneyFunction.QUALITY).stream().map(StreamRecord::getValue))
                .filteredOn(
                        q -> q.code() == ErrorCode.INSTANT_FULL && q.dimension().equals(QualitySample.ALL))
                .hasSize(2 * over);
        assertThat(h.extractOutputValues())
                .as("the calm account's MQL is applied")
                .anySatisfy(u -> assertThat(u.accountId()).isEqualTo("calm"));
        h.close();
    }
}
