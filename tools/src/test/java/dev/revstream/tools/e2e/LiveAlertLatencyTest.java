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
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Deadline alerts in a live run fire without further traffic: event time follows the wall clock
 * once the input is quiet. A deal and an MQL are sent, then nothing; the stall and hand-off
 * alerts must reach an uncommitted reader within 3 s of their deadlines, and a committed reader
 * within 3 s plus the checkpoint interval.
 */
class LiveAlertLatencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STALL_SLA = 4_000;
    private static final long LEAD_SLA = 3_000;
    private static final long CHECKPOINT = 500;

    @Test
    void deadlineAlertsArriveWithinSecondsOfTheirDeadlines() throws Exception {
        RevstreamConfig cfg = Infra.config(
                "latency",
                "time.out-of-orderness=1s",
                "time.idle-timeout=500ms",
                "time.watermark-interval=100ms",
                "time.follow-wall-clock=true",
                "job.checkpoint-interval=" + CHECKPOINT + "ms",
                "deals.stage.QUALIFICATION.stall-sla=" + STALL_SLA + "ms",
                "alerts.lead-sla=" + LEAD_SLA + "ms");
        String bootstrap = cfg.kafka().bootstrapServers();
        LocalFlink flink = Infra.flink();
        KafkaTopics.ensure(cfg);
        JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (flink.completedCheckpoints(job) < 1 || flink.status(job) != JobStatus.RUNNING) {
                assertThat(System.nanoTime())
                        .as("job running with a checkpoint")
                        .isLessThan(deadline);
                LockSupport.parkNanos(50_000_000L);
            }
            Map<String, Long> uncommitted = new ConcurrentHashMap<>();
            Map<String, Long> committed = new ConcurrentHashMap<>();
            CompletableFuture<Void> r1 = follow(bootstrap, cfg.topics().alerts(), false, uncommitted);
            CompletableFuture<Void> r2 = follow(bootstrap, cfg.topics().alerts(), true, committed);

            long now = System.currentTimeMillis();
            TopicIo.produce(
                    bootstrap,
                    List.of(
                            Out.json(
                                    cfg.topics().deals(),
                                    "acct-live",
                                    "{\"eventId\":\"deal-1\",\"occurredAt\":" + now
                                            + ",\"source\":\"salesforce\",\"dealId\":\"d-live\",\"accountId\":\"acct-live\",\"type\":\"CREATED\",\"stage\":\"Prospecting\",\"amount\":1000}"),
                            Out.json(
                                    cfg.topics().touchpoints(),
                                    "acct-lead",
                                    "{\"eventId\":\"mql-1\",\"occurredAt\":" + now
                                            + ",\"source\":\"hubspot\",\"accountId\":\"acct-lead\",\"type\":\"lifecyclestage_marketingqualifiedlead\"}")));
            r1.get(30, TimeUnit.SECONDS);
            r2.get(30, TimeUnit.SECONDS);

            Map<String, Long> deadlines = Map.of("STALLED_DEAL", now + STALL_SLA, "LEAD_SLA_BREACH", now + LEAD_SLA);
            for (String type : deadlines.keySet()) {
                long late = uncommitted.get(type) - deadlines.get(type);
                long lateCommitted = committed.get(type) - deadlines.get(type);
                System.out.printf(
                        "%s: seen %d ms after its deadline (uncommitted), %d ms (read committed)%n",
                        type, late, lateCommitted);
                assertThat(late).as("%s uncommitted", type).isBetween(0L, 3_000L);
                assertThat(lateCommitted).as("%s committed", type).isBetween(0L, 3_000L + CHECKPOINT);
            }
        } finally {
            flink.cancel(job);
        }
    }

    /** Reads the alerts topic until both alert types are seen, recording when each arrived. */
    private static CompletableFuture<Void> follow(
            String bootstrap, String topic, boolean committedOnly, Map<String, Long> seen) {
        KafkaConsumer<byte[], byte[]> c = TopicIo.consumer(bootstrap, committedOnly);
        List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        c.position(parts.get(0)); // resolve positions before anything is produced
        return CompletableFuture.runAsync(() -> {
            try (c) {
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.size() < 2 && System.nanoTime() < until) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                        long at = System.currentTimeMillis();
                        try {
                            JsonNode n = JSON.readTree(r.value());
                            seen.putIfAbsent(n.get("type").asText(), at);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        });
    }
}
