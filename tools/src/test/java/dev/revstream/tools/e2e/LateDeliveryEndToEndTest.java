package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.router.AlertRouter;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live job at the default time settings (30 s of out-of-orderness, the wall clock followed once
 * the input is quiet, a 7-day correction horizon) with events stamped now and delivered minutes
 * late, as a CRM sync or a retried webhook delivers them: nothing goes to {@code revops.late}, a
 * stage change delivered two minutes late withdraws the stall alert it disproves, and the alert
 * router follows the withdrawal up on the webhook that got the alert.
 */
class LateDeliveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eventsMinutesLateAreAppliedAndTheAlertTheyDisproveIsWithdrawnAndFollowedUp(@TempDir Path dir)
            throws Exception {
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> posted = Collections.synchronizedList(new ArrayList<>());
        hook.createContext("/hook", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            posted.add(body.path("idempotencyKey").asText());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        RevstreamConfig cfg = Infra.config(
                "late-delivery",
                "job.checkpoint-interval=500ms",
                "deals.stage.QUALIFICATION.stall-sla=60s",
                "alerts.lead-sla=30s",
                "router.state-dir=" + dir.resolve("router"),
                "router.channels.hook.url=http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "router.channels.hook.format=json");
        assertThat(cfg.time().outOfOrderness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cfg.time().followWallClock()).isTrue();
        assertThat(cfg.time().correctionHorizon()).isEqualTo(Duration.ofDays(7));
        String bootstrap = cfg.kafka().bootstrapServers();
        KafkaTopics.ensure(cfg);
        LocalFlink flink = Infra.flink();
        JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
        AlertRouter router = new AlertRouter(cfg, Map.of());
        Thread routing = new Thread(router::run, "alert-router");
        routing.start();
        try {
            awaitRunning(flink, job);
            long created = System.currentTimeMillis() - 150_000;
            TopicIo.produce(
                    bootstrap,
                    List.of(Out.json(
                            cfg.topics().deals(), "acct-late", deal("deal-1", created, "CREATED", "Prospecting"))));

            // the wall clock moves event time past the deal's 60 s stall SLA: the alert fires
            List<ConsumerRecord<byte[], byte[]>> alerts =
                    await(bootstrap, cfg.topics().alerts(), rs -> count(rs, "STALLED_DEAL", "FIRED") == 1);
            assertThat(count(alerts, "STALLED_DEAL", "FIRED")).isEqualTo(1);
            String alertId = field(alerts, "STALLED_DEAL", "FIRED", "alertId");
            awaitPosted(posted, alertId);

            // a stage change 30 s after the creation, delivered two minutes after it happened, and touches and an
            // MQL of another account 35 to 120 s late
            long now = System.currentTimeMillis();
            List<Out> late = new ArrayList<>();
            late.add(Out.json(
                    cfg.topics().deals(),
                    "acct-late",
                    deal("deal-2", created + 30_000, "STAGE_CHANGED", "Needs Analysis")));
            for (int i = 0; i < 10; i++) {
                late.add(Out.json(
                        cfg.topics().touchpoints(),
                        "acct-b",
                        "{\"eventId\":\"visit-" + i + "\",\"occurredAt\":" + (now - 35_000 - i * 9_000)
                                + ",\"source\":\"segment\",\"accountId\":\"acct-b\",\"type\":\"page\"}"));
            }
            late.add(
                    Out.json(
                            cfg.topics().touchpoints(),
                            "acct-b",
                            "{\"eventId\":\"mql-b\",\"occurredAt\":" + (now - 100_000)
                                    + ",\"source\":\"hubspot\",\"accountId\":\"acct-b\",\"type\":\"lifecyclestage_marketingqualifiedlead\"}"));
            TopicIo.produce(bootstrap, late);

            alerts = await(
                    bootstrap,
                    cfg.topics().alerts(),
                    rs -> count(rs, "STALLED_DEAL", "WITHDRAWN") == 1 && count(rs, "LEAD_SLA_BREACH", "FIRED") == 1);
            assertThat(count(alerts, "STALLED_DEAL", "WITHDRAWN")).isEqualTo(1);
            assertThat(field(alerts, "STALLED_DEAL", "WITHDRAWN", "alertId")).isEqualTo(alertId);
            assertThat(field(alerts, "STALLED_DEAL", "WITHDRAWN", "withdrawnBecause"))
                    .contains("deal-2", "STAGE_CHANGED");
            assertThat(count(alerts, "LEAD_SLA_BREACH", "FIRED")).isEqualTo(1);
            awaitPosted(posted, alertId + "/withdrawn");
            assertThat(posted.indexOf(alertId)).isLessThan(posted.indexOf(alertId + "/withdrawn"));

            List<ConsumerRecord<byte[], byte[]>> journey = await(
                    bootstrap,
                    cfg.topics().journey(),
                    rs -> values(rs).stream()
                            .anyMatch(n -> "DISCOVERY".equals(n.path("toStage").asText())));
            assertThat(values(journey))
                    .anyMatch(n -> "DISCOVERY".equals(n.path("toStage").asText()));
            List<ConsumerRecord<byte[], byte[]>> events =
                    await(bootstrap, cfg.topics().events(), rs -> rs.size() >= 13);
            assertThat(events).hasSize(13);
            assertThat(TopicIo.readAll(bootstrap, cfg.topics().late(), false))
                    .as("nothing within the horizon is late")
                    .isEmpty();
        } finally {
            router.stop();
            routing.join(10_000);
            router.close();
            flink.cancel(job);
            hook.stop(0);
        }
    }

    private static String deal(String eventId, long at, String type, String stage) {
        return "{\"eventId\":\"" + eventId + "\",\"occurredAt\":" + at
                + ",\"source\":\"salesforce\",\"dealId\":\"d-late\",\"accountId\":\"acct-late\",\"type\":\"" + type
                + "\",\"stage\":\"" + stage + "\",\"amount\":5000}";
    }

    private static void awaitRunning(LocalFlink flink, JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (flink.completedCheckpoints(job) < 1 || flink.status(job) != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job running with a checkpoint").isLessThan(deadline);
            LockSupport.parkNanos(50_000_000L); // polling the job's status, bounded above
        }
    }

    private static void awaitPosted(List<String> posted, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!posted.contains(key)) {
            assertThat(System.nanoTime()).as("webhook got " + key).isLessThan(deadline);
            LockSupport.parkNanos(50_000_000L); // polling what the webhook received, bounded above
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> await(
            String bootstrap, String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        return TopicIo.readUntil(bootstrap, topic, true, Duration.ofSeconds(90), done);
    }

    private static List<JsonNode> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                out.add(JSON.readTree(r.value()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static long count(List<ConsumerRecord<byte[], byte[]>> records, String type, String status) {
        return values(records).stream()
                .filter(n -> type.equals(n.path("type").asText())
                        && status.equals(n.path("status").asText()))
                .count();
    }

    private static String field(List<ConsumerRecord<byte[], byte[]>> records, String type, String status, String f) {
        return values(records).stream()
                .filter(n -> type.equals(n.path("type").asText())
                        && status.equals(n.path("status").asText()))
                .findFirst()
                .orElseThrow()
                .path(f)
                .asText();
    }
}
