package dev.revstream.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert router as users run it (its own process, `revstream alert-router`) against a real
 * broker and a real HTTP server that fails every first attempt, is slower than the timeout on
 * some second attempts, and has one channel that always fails. A graceful restart in the middle
 * re-sends nothing; a kill -9 re-sends only what was in flight, under the same idempotency key;
 * old alerts are skipped; the failing channel fills the alerts dead-letter topic.
 */
class AlertRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TYPES = {"STALLED_DEAL", "LEAD_SLA_BREACH", "DEAL_SLIPPAGE", "CHURN_RISK"};
    private static final String[] SEVERITIES = {"info", "warning", "critical"};
    private static final int IN_FLIGHT = 10;

    private HttpServer server;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** channel path -> alertIds answered 2xx, in order (a repeat is a re-send). */
    private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();

    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final List<String> keyMismatches = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (server != null) {
            server.stop(0);
        }
    }

    private void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        for (String path : List.of("/slack", "/ops", "/broken", "/slow")) {
            server.createContext(path, exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode n = JSON.readTree(body);
                String key = n.path("idempotencyKey").asText();
                String header = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                if (!Webhooks.printable(key).equals(header)) {
                    keyMismatches.add(path + " " + header + " " + key);
                }
                if (exchange.getRequestHeaders().containsKey("X-injected")) {
                    keyMismatches.add(path + " a header injected through an id: " + key);
                }
                if (path.equals("/slow")) {
                    sleep(700); // longer than the router's request timeout (500 ms), every time: never delivered
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                    return;
                }
                int attempt = attempts.computeIfAbsent(path + key, k -> new AtomicInteger())
                        .incrementAndGet();
                int status;
                if (path.equals("/broken") || attempt == 1) {
                    status = 503;
                } else if (attempt == 2 && Math.floorMod(key.hashCode(), 4) == 0) {
                    // slower than the router's 500 ms timeout: the router has given up on this answer and tries again
                    sleep(900);
                    timedOut.incrementAndGet();
                    status = 200;
                } else {
                    status = 200;
                    bodies.put(path + " " + key, new String(body, StandardCharsets.UTF_8));
                    delivered
                            .computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>()))
                            .add(key);
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
        }
        server.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // the slow webhook itself, not test synchronization
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process router(RevstreamConfig cfg, Path stateDir, Path out, String... extra) throws IOException {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.revstream.tools.cli.Revstream",
                "alert-router",
                "--config",
                Infra.projectConfig().toString()));
        for (String set : List.of(
                "kafka.bootstrap-servers=" + cfg.kafka().bootstrapServers(),
                "topics.alerts=" + cfg.topics().alerts(),
                "topics.alerts-deadletter=" + cfg.topics().alertsDeadletter(),
                "router.group-id=" + cfg.kafka().groupId() + "-router",
                "router.state-dir=" + stateDir,
                "router.attempts=3",
                "router.initial-backoff=50ms",
                "router.max-backoff=200ms",
                "router.request-timeout=500ms",
                "router.in-flight=" + IN_FLIGHT,
                "router.max-alert-age=10m",
                "router.channels.slack.url-file=" + writeSecret(stateDir.getParent(), base + "/slack"),
                "router.channels.slack.format=slack",
                "router.channels.slack.types=STALLED_DEAL, CHURN_RISK",
                "router.channels.ops.url-env=OPS_WEBHOOK",
                "router.channels.ops.format=json",
                "router.channels.broken.url=" + base + "/broken",
                "router.channels.broken.min-severity=critical")) {
            cmd.add("--set");
            cmd.add(set);
        }
        for (String set : extra) {
            cmd.add("--set");
            cmd.add(set);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.environment().put("OPS_WEBHOOK", base + "/ops");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static Path writeSecret(Path dir, String url) throws IOException {
        Path f = dir.resolve("slack-url.secret");
        Files.writeString(f, url + "\n");
        return f;
    }

    private static List<String> alerts(String prefix, int n) {
        return alerts(prefix, n, Instant.now());
    }

    private static List<String> alerts(String prefix, int n, Instant triggeredAt) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"alertId\":\"" + prefix + "-" + i + "\",\"type\":\"" + TYPES[i % 4] + "\",\"severity\":\""
                    + SEVERITIES[i % 3]
                    + "\",\"accountId\":\"acct-" + i + "\",\"ownerId\":\"rep-" + (i % 2)
                    + "\",\"triggeredAt\":\"" + triggeredAt + "\","
                    + "\"reason\":\"alert " + i + "\",\"segment\":\"smb\"}");
        }
        return out;
    }

    private static void produce(String bootstrap, String topic, List<String> values, long timestamp) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = TopicIo.producer(bootstrap)) {
            for (String v : values) {
                p.send(new ProducerRecord<>(topic, null, timestamp, null, v.getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The (channel, alertId) pairs the routing rules send somewhere that can succeed. */
    private static Set<String> routed(List<String> values) throws IOException {
        Set<String> pairs = new HashSet<>();
        for (String v : values) {
            JsonNode a = JSON.readTree(v);
            String id = a.get("alertId").asText();
            pairs.add("/ops " + id);
            if (a.get("type").asText().equals("STALLED_DEAL")
                    || a.get("type").asText().equals("CHURN_RISK")) {
                pairs.add("/slack " + id);
            }
        }
        return pairs;
    }

    private Set<String> deliveredPairs() {
        Set<String> pairs = new HashSet<>();
        delivered.forEach((path, ids) -> {
            synchronized (ids) {
                ids.forEach(id -> pairs.add(path + " " + id));
            }
        });
        return pairs;
    }

    private int deliveries() {
        return delivered.values().stream().mapToInt(List::size).sum();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L); // polling a condition, bounded above
        }
    }

    @Test
    void deliversEveryAlertOnceAcrossAGracefulRestartAndOnlyInFlightOnesAgainAfterAKill(@TempDir Path dir)
            throws Exception {
        startServer();
        RevstreamConfig cfg = Infra.config("router");
        KafkaTopics.ensure(cfg);
        String bootstrap = cfg.kafka().bootstrapServers();
        Path state = dir.resolve("state");
        Path out = dir.resolve("router.log");

        // old alerts first (triggered two hours ago, written now: as a replay of old history writes them), then
        // fresh ones
        List<String> old = alerts("old", 4, Instant.now().minus(Duration.ofHours(2)));
        produce(bootstrap, cfg.topics().alerts(), old, System.currentTimeMillis());
        List<String> first = alerts("a", 60);
        produce(bootstrap, cfg.topics().alerts(), first, System.currentTimeMillis());
        Set<String> expected = routed(first);

        // 1. a graceful restart (SIGTERM) in the middle re-sends nothing
        Process p1 = router(cfg, state, out);
        await("some deliveries", Duration.ofSeconds(60), () -> deliveries() >= 20);
        p1.destroy();
        assertThat(p1.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int beforeRestart = deliveries();
        assertThat(beforeRestart).isLessThan(expected.size());
        Process p2 = router(cfg, state, out);
        await(
                "every routed alert",
                Duration.ofSeconds(90),
                () -> deliveredPairs().containsAll(expected));
        assertThat(deliveries()).as("a graceful restart re-sends nothing").isEqualTo(expected.size());
        assertThat(deliveredPairs()).isEqualTo(expected); // nothing old, nothing unrouted

        // 2. kill -9 in the middle: only what was in flight goes again, with its key
        List<String> second = alerts("b", 60);
        produce(bootstrap, cfg.topics().alerts(), second, System.currentTimeMillis());
        Set<String> all = new HashSet<>(expected);
        all.addAll(routed(second));
        await("some of the second batch", Duration.ofSeconds(60), () -> deliveries() >= expected.size() + 15);
        p2.destroyForcibly();
        assertThat(p2.waitFor(30, TimeUnit.SECONDS)).isTrue();
        router(cfg, state, out);
        await(
                "every routed alert of both",
                Duration.ofSeconds(90),
                () -> deliveredPairs().containsAll(all));
        int resent = deliveries() - all.size();
        assertThat(resent).as("re-sent after kill -9").isBetween(0, IN_FLIGHT * 2);
        assertThat(deliveredPairs()).isEqualTo(all);
        assertThat(keyMismatches).as("header and body carry the same key").isEmpty();
        assertThat(timedOut.get()).as("slow answers the router gave up on").isGreaterThan(0);

        // 3. the channel that always fails: every critical alert is in the dead-letter topic with the last error
        Set<String> critical = new HashSet<>();
        for (String v : first) {
            if (JSON.readTree(v).get("severity").asText().equals("critical")) {
                critical.add(JSON.readTree(v).get("alertId").asText());
            }
        }
        for (String v : second) {
            if (JSON.readTree(v).get("severity").asText().equals("critical")) {
                critical.add(JSON.readTree(v).get("alertId").asText());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> dead = TopicIo.readUntil(
                bootstrap,
                cfg.topics().alertsDeadletter(),
                false,
                Duration.ofSeconds(60),
                rs -> ids(rs).containsAll(critical));
        assertThat(ids(dead)).isEqualTo(critical);
        JsonNode d = JSON.readTree(dead.get(0).value());
        assertThat(d.get("channel").asText()).isEqualTo("broken");
        assertThat(d.get("error").asText()).isEqualTo("HTTP 503 after 3 attempts");
        assertThat(d.get("alert").get("alertId").asText())
                .isEqualTo(d.get("alertId").asText());

        // 4. old alerts skipped and said so; the secret URLs never printed
        String log = Files.readString(out);
        for (int i = 0; i < old.size(); i++) {
            assertThat(log).contains("skipped alert old-" + i);
        }
        assertThat(log).doesNotContain("/slack").doesNotContain("/ops").doesNotContain("/broken");
        Map<String, Integer> perPath = new HashMap<>();
        delivered.forEach((k, v) -> perPath.put(k, v.size()));
        assertThat(perPath).doesNotContainKey("/broken");
    }

    /**
     * A withdrawal (a late event showed the alert no longer holds) goes after its alert, in the same
     * batch too, to the channels that got the alert and nowhere else; one of an alert no channel got
     * goes nowhere.
     */
    @Test
    void followsUpAWithdrawalWhereTheAlertWentAndNowhereElse(@TempDir Path dir) throws Exception {
        startServer();
        RevstreamConfig cfg = Infra.config("router-withdrawn");
        KafkaTopics.ensure(cfg);
        String bootstrap = cfg.kafka().bootstrapServers();
        List<String> fired = alerts("w", 2); // w-0 STALLED_DEAL (slack and ops), w-1 LEAD_SLA_BREACH (ops)
        List<String> records = new ArrayList<>(fired);
        for (String v : fired) {
            records.add(withdrawn(v));
        }
        records.add(withdrawn(alerts("never-fired", 1).get(0)));
        // what sources wrote reaches the alert's ids and reason: no header, mention or link may come through
        String hostileId = "h-0\r\nX-Injected: 1";
        ObjectNode hostile = (ObjectNode) JSON.readTree(alerts("h", 1).get(0)); // STALLED_DEAL: slack and ops
        hostile.put("alertId", hostileId);
        hostile.put("accountId", "<!channel>");
        hostile.put("reason", "see <https://evil.example|the deal> & act");
        records.add(hostile.toString());
        // a webhook slower than the request timeout, so that a batch outlasts max.poll.interval.ms (1 s here)
        records.add(alerts("slow", 3).get(2)); // slow-2 is a DEAL_SLIPPAGE: ops and the slow channel
        produce(bootstrap, cfg.topics().alerts(), records, System.currentTimeMillis());

        Process router = router(
                cfg,
                dir.resolve("state"),
                dir.resolve("router.log"),
                "router.channels.slow.url=http://127.0.0.1:"
                        + server.getAddress().getPort() + "/slow",
                "router.channels.slow.types=DEAL_SLIPPAGE",
                "kafka.properties.max.poll.interval.ms=1000");
        Set<String> expected = Set.of(
                "/slack w-0",
                "/slack w-0/withdrawn",
                "/ops w-0",
                "/ops w-0/withdrawn",
                "/ops w-1",
                "/ops w-1/withdrawn",
                "/slack " + hostileId,
                "/ops " + hostileId,
                "/ops slow-2");
        await(
                "the alerts and their withdrawals",
                Duration.ofSeconds(60),
                () -> deliveredPairs().containsAll(expected));
        assertThat(deliveredPairs()).isEqualTo(expected);
        List<String> ops = delivered.get("/ops");
        assertThat(ops.indexOf("w-0")).isLessThan(ops.indexOf("w-0/withdrawn"));
        assertThat(ops.indexOf("w-1")).isLessThan(ops.indexOf("w-1/withdrawn"));
        assertThat(bodies.get("/slack w-0/withdrawn"))
                .contains("Withdrawn: STALLED_DEAL acct-0")
                .contains("a late STAGE_CHANGED")
                .contains("\"followUpTo\":\"w-0\"");
        assertThat(bodies.get("/ops w-1/withdrawn")).contains("\"followUpTo\":\"w-1\"", "\"status\":\"WITHDRAWN\"");

        // the hostile alert: escaped for Slack, its id whole in the body and printable in the header
        assertThat(bodies.get("/slack " + hostileId))
                .contains("&lt;!channel&gt;", "&lt;https://evil.example|the deal&gt; &amp; act")
                .doesNotContain("<!channel>", "<https://evil");
        assertThat(keyMismatches).isEmpty();
        // the slow channel: every attempt timed out, one dead letter, and the router kept its group membership
        // slow-2 is critical: the always-failing channel gets it too
        List<String> expectedDeadLetters = List.of(
                "slow-2 broken: HTTP 503 after 3 attempts", "slow-2 slow: HttpTimeoutException after 3 attempts");
        await(
                "the slow channel's dead letter",
                Duration.ofSeconds(60),
                () -> TopicIo.readAll(bootstrap, cfg.topics().alertsDeadletter(), false)
                                .size()
                        >= expectedDeadLetters.size());
        List<String> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicIo.readAll(bootstrap, cfg.topics().alertsDeadletter(), false)) {
            JsonNode d = JSON.readTree(r.value());
            deadLetters.add(d.get("alertId").asText() + " " + d.get("channel").asText() + ": "
                    + d.get("error").asText());
        }
        assertThat(deadLetters)
                .as("the router's log:%n%s", Files.readString(dir.resolve("router.log")))
                .containsExactlyInAnyOrderElementsOf(expectedDeadLetters);
        assertThat(router.isAlive()).as("the router runs on").isTrue();
        assertThat(Files.readString(dir.resolve("router.log"))).doesNotContain("CommitFailed");
        assertThat(delivered.get("/ops")).doesNotHaveDuplicates();
    }

    private static String withdrawn(String alert) throws IOException {
        var o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(alert);
        o.put("status", "WITHDRAWN");
        o.put("withdrawnAt", "2026-11-22T11:00:00Z");
        o.put(
                "withdrawnBecause",
                "a late STAGE_CHANGED (crm/e-1, occurred 2026-11-21T10:00:00Z) changed the" + " account's history");
        return o.toString();
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                ids.add(JSON.readTree(r.value()).get("alertId").asText());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }
}
