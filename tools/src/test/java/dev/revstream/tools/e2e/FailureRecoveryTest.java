package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once through a failure: a TaskManager is killed after checkpoints have completed while
 * records are flowing, with duplicates written before the failure and after the restore; once the
 * job has recovered, the normalized-events topic read committed holds every valid event once.
 */
class FailureRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyValidEventExactlyOnceAfterATaskManagerIsKilledMidStream() throws Exception {
        // event time follows the records (1 s of disorder): the journey applies and writes the events that name
        // their account while records flow, so its state and its writes go through the failure too; the
        // copies of old events arrive behind event time and are dropped on the correction path
        RevstreamConfig cfg = Infra.config("failure", "time.follow-wall-clock=false", "time.out-of-orderness=1s");
        String bootstrap = cfg.kafka().bootstrapServers();
        LocalFlink flink = Infra.flink();
        KafkaTopics.ensure(cfg);

        long base = Instant.now().minus(Duration.ofDays(3)).toEpochMilli();
        List<Out> all = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            all.add(Out.json(
                    i % 5 == 0 ? cfg.topics().deals() : cfg.topics().touchpoints(),
                    "acct-" + (i % 40),
                    i % 5 == 0
                            ? "{\"eventId\":\"d-" + i + "\",\"occurredAt\":" + (base + i * 1000L)
                                    + ",\"source\":\"salesforce\",\"dealId\":\"deal-" + i + "\",\"accountId\":\"acct-"
                                    + (i % 40) + "\",\"type\":\"UPDATED\",\"amount\":" + i + "}"
                            : "{\"eventId\":\"t-" + i + "\",\"occurredAt\":" + (base + i * 1000L)
                                    + ",\"source\":\"hubspot\",\"accountId\":\"acct-" + (i % 40)
                                    + "\",\"type\":\"OPEN\"}"));
        }
        Random random = new Random(7);
        List<Out> before = new ArrayList<>(all.subList(0, 400));
        for (int i = 0; i < 40; i++) {
            before.add(all.get(random.nextInt(400))); // duplicates before the failure
        }
        List<Out> during = new ArrayList<>(all.subList(400, 1200));
        for (int i = 0; i < 80; i++) {
            during.add(i * 10, all.get(random.nextInt(400 + i * 10))); // duplicates while records are in flight
        }
        List<Out> after = new ArrayList<>(all.subList(1200, 1500));
        for (int i = 0; i < 60; i++) {
            after.add(all.get(random.nextInt(1200))); // duplicates after the restore point
        }

        TopicIo.produce(bootstrap, before);
        JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
        try {
            // some events are committed: at least one checkpoint has completed with state in it
            List<ConsumerRecord<byte[], byte[]>> early = TopicIo.readUntil(
                    bootstrap, cfg.topics().events(), true, Duration.ofSeconds(90), r -> r.size() >= 200);
            assertThat(early.size()).isGreaterThanOrEqualTo(200);
            long checkpointsBefore = flink.completedCheckpoints(job);
            assertThat(checkpointsBefore).isGreaterThanOrEqualTo(1);

            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                try (KafkaProducer<byte[], byte[]> p = TopicIo.producer(bootstrap)) {
                    for (int i = 0; i < during.size(); i += 20) {
                        TopicIo.produce(p, during.subList(i, Math.min(i + 20, during.size())));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // kill a TaskManager while the second batch is being written and processed
            TopicIo.readUntil(bootstrap, cfg.topics().events(), false, Duration.ofSeconds(60), r -> r.size() >= 500);
            // fresh TaskManagers first, then kill the ones the job runs on
            Infra.replaceTaskManagers();
            producing.get(60, TimeUnit.SECONDS);
            TopicIo.produce(bootstrap, after);
            // event time past every event on every partition, so the journey applies the last ones too
            List<Out> heartbeats = new ArrayList<>();
            for (String topic : List.of(cfg.topics().touchpoints(), cfg.topics().deals())) {
                for (int p = 0; p < cfg.kafka().topicPartitions(); p++) {
                    heartbeats.add(new Out(
                            topic,
                            p,
                            null,
                            ("{\"eventId\":\"hb-" + topic + "-" + p + "\",\"occurredAt\":" + (base + 2 * 3_600_000L)
                                            + ",\"source\":\"test\",\"type\":\"HEARTBEAT\"}")
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
            TopicIo.produce(bootstrap, heartbeats);

            int expected = all.size();
            List<ConsumerRecord<byte[], byte[]>> events = TopicIo.readUntil(
                    bootstrap, cfg.topics().events(), true, Duration.ofSeconds(120), r -> r.size() >= expected);
            // a later checkpoint commits nothing more: read again after it
            long seen = flink.completedCheckpoints(job);
            pollUntil(() -> flink.completedCheckpoints(job) >= seen + 2, Duration.ofSeconds(30));
            events = TopicIo.readAll(bootstrap, cfg.topics().events(), true);

            Map<String, Integer> counts = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : events) {
                JsonNode n = JSON.readTree(r.value());
                counts.merge(n.get("source").asText() + "/" + n.get("eventId").asText(), 1, Integer::sum);
            }
            assertThat(counts).hasSize(expected);
            assertThat(counts.values()).allMatch(c -> c == 1);
            assertThat(flink.status(job)).isEqualTo(JobStatus.RUNNING);
            assertThat(flink.miniCluster().getExecutionGraph(job).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job went through a restart")
                    .isGreaterThan(0);
            System.out.printf(
                    "failure test: %d events exactly once; %d checkpoints before the kill, %d at the end%n",
                    counts.size(), checkpointsBefore, flink.completedCheckpoints(job));
        } finally {
            flink.cancel(job);
        }
    }

    private static void pollUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
            LockSupport.parkNanos(50_000_000L);
        }
    }
}
