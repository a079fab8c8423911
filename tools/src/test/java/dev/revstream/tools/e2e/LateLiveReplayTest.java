package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.generator.GeneratedRecord;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Histories;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.SettledOutputs;
import dev.revstream.tools.testing.TopicIo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/**
 * The guarantee, end to end: a generated funnel (500 accounts, 75 days, 3 partitions, parallelism
 * 2) delivered to a live job (the wall clock followed once a partition is quiet for 2 s; otherwise the
 * default time settings) with a tenth of its events a minute to
 * two days late, settles on what a bounded replay of the same events in order gives: the same
 * alerts (those whose latest record is not withdrawn), the same journey updates less the retracted,
 * the same credits less the retracted, and the latest revision of every KPI window equal to the
 * replay's.
 */
class LateLiveReplayTest {
    private static final long DAY = 86_400_000L;

    @Test
    void aLiveRunWithATenthOfItsEventsLateSettlesOnTheInOrderReplay() throws Exception {
        long now = System.currentTimeMillis();
        List<GeneratedRecord> records = Histories.generate(41, 500, 75, now - 2 * DAY);
        LocalFlink flink = Infra.flink();

        RevstreamConfig ref = Infra.config("late-live-ref", "kpi.windows=1d,1w");
        KafkaTopics.ensure(ref);
        TopicIo.produce(ref.kafka().bootstrapServers(), Histories.outs(ref, records));
        AsOfScanner.Span span = AsOfScanner.scan(ref);
        JobID replay = LocalRunner.submitBounded(flink, ref, span, null, null);
        assertThat(flink.awaitResult(replay, Duration.ofMinutes(5)).isSuccess()).isTrue();
        long asOf = span.latest();
        SettledOutputs expected = SettledOutputs.of(ref, asOf);

        // arrival order: a tenth of the events a minute to two days of event time behind the others
        Random random = new Random(41);
        record Arrival(long at, GeneratedRecord record) {}
        List<Arrival> arrivals = new ArrayList<>();
        int delayed = 0;
        for (GeneratedRecord r : records) {
            long delay = 0;
            if (r.kind() == GeneratedRecord.Kind.VALID && random.nextInt(10) == 0) {
                delay = 60_000 + (long) (random.nextDouble() * 2 * DAY);
                delayed++;
            }
            arrivals.add(new Arrival(r.businessTime() + delay, r));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        // the wall clock followed (the default) once a partition is quiet for 2 s, so that the run settles soon
        RevstreamConfig live =
                Infra.config("late-live", "kpi.windows=1d,1w", "job.checkpoint-interval=500ms", "time.idle-timeout=2s");
        assertThat(live.time().followWallClock()).isTrue();
        KafkaTopics.ensure(live);
        // written before the job starts, so that it reads them in one go: no partition pauses long enough to let the
        // wall clock move event time in the middle of them
        TopicIo.produce(
                live.kafka().bootstrapServers(),
                Histories.outs(live, arrivals.stream().map(Arrival::record).toList()));
        JobID job = LocalRunner.submit(flink, live, RunKind.LIVE, null);
        try {
            awaitRunning(flink, job);
            awaitSettled(live);
            SettledOutputs actual = SettledOutputs.of(live, asOf);
            System.out.printf(
                    "late live run: %d records, %d delivered late; %d alerts, %d journey updates, %d credits, %d KPI"
                            + " windows settled%n",
                    records.size(),
                    delayed,
                    actual.alerts().size(),
                    actual.journey().size(),
                    actual.credits().size(),
                    actual.kpis().size());
            assertThat(TopicIo.readAll(
                            live.kafka().bootstrapServers(), live.topics().late(), true))
                    .as("nothing is older than the horizon")
                    .isEmpty();
            assertThat(expected.credits())
                    .as("the history has won deals with credits")
                    .isNotEmpty();
            actual.printDifferences("replay", expected, "live");
            assertThat(actual.alerts()).as("alerts").isEqualTo(expected.alerts());
            assertThat(actual.journey()).as("journey updates").isEqualTo(expected.journey());
            assertThat(actual.credits()).as("credits").isEqualTo(expected.credits());
            assertThat(actual.kpis()).as("KPI windows").isEqualTo(expected.kpis());
            assertThat(expected.actions())
                    .as("the history opens and closes recommendations")
                    .isNotEmpty();
            assertThat(actual.actions()).as("recommendations").isEqualTo(expected.actions());
        } finally {
            flink.cancel(job);
        }
    }

    private static void awaitRunning(LocalFlink flink, JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (flink.completedCheckpoints(job) < 1 || flink.status(job) != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job running with a checkpoint").isLessThan(deadline);
            LockSupport.parkNanos(50_000_000L); // polling the job's status, bounded above
        }
    }

    /** Until the committed outputs stop growing for five seconds, more than the idle timeout (bounded above). */
    private static void awaitSettled(RevstreamConfig cfg) {
        String b = cfg.kafka().bootstrapServers();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Map<String, Integer> last = new HashMap<>();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < Duration.ofSeconds(5).toNanos()) {
            assertThat(System.nanoTime()).as("outputs settled").isLessThan(deadline);
            Map<String, Integer> sizes = new HashMap<>();
            for (String t : List.of(
                    cfg.topics().events(),
                    cfg.topics().journey(),
                    cfg.topics().alerts(),
                    cfg.topics().kpis())) {
                sizes.put(t, TopicIo.readAll(b, t, true).size());
            }
            if (!sizes.equals(last) || sizes.get(cfg.topics().events()) == 0) {
                last = sizes;
                stableSince = System.nanoTime();
            }
            LockSupport.parkNanos(500_000_000L); // polling the topics, bounded above
        }
    }
}
