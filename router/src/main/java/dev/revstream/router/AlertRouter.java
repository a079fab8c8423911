package dev.revstream.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.revstream.config.ConfigException;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.config.RevstreamConfig.Channel;
import dev.revstream.kafka.KafkaTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code revops.alerts} to webhooks, at least once, with the {@code alertId} as the
 * idempotency key (header {@code Idempotency-Key} and body field {@code idempotencyKey}).
 *
 * <p>One consumer (read committed) polls a batch, delivers every (alert, channel) pair of it
 * concurrently, each with retries and exponential backoff, then commits the batch's offsets: a
 * crash re-reads at most the batch in flight; while a batch is out, the consumer polls with its partitions
 * paused, so a slow webhook cannot cost it its group membership. Pairs already done are in the {@link DeliveredLog}
 * and are not sent again, so a restart re-sends nothing that was delivered, and after a kill only
 * the pairs in flight go again. Alerts triggered longer ago than {@code router.max-alert-age} (their
 * {@code triggeredAt}: a replay of old history does not page anyone) are skipped, counted and
 * logged; withdrawals are not (they follow their alert). A pair that fails every attempt, or gets a client error, goes to the alerts
 * dead-letter topic with the last error. Webhook URLs are secrets: read from the environment or a
 * file at start, never logged.
 *
 * <p>A withdrawn alert ({@code status: WITHDRAWN}, a late event showed it no longer holds) goes as a
 * follow-up to the channels that got the alert, and nowhere else, with the idempotency key
 * {@code <alertId>/withdrawn}. Withdrawals of a batch go after its alerts are delivered, so one that
 * arrives right behind its alert still finds where the alert went.
 */
public final class AlertRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the router has done since it started. */
    public static final class Stats {
        public final AtomicLong delivered = new AtomicLong();
        public final AtomicLong retries = new AtomicLong();
        public final AtomicLong deadLettered = new AtomicLong();
        public final AtomicLong skippedOld = new AtomicLong();
        public final AtomicLong alreadyDone = new AtomicLong();
    }

    private final RevstreamConfig cfg;
    private final Map<Channel, URI> channels = new LinkedHashMap<>();
    private final HttpClient http;
    private final ExecutorService pool;
    private final DeliveredLog log;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Stats stats = new Stats();

    public AlertRouter(RevstreamConfig cfg, Map<String, String> env) {
        this.cfg = cfg;
        RevstreamConfig.Router r = cfg.router();
        if (r.channels().isEmpty()) {
            throw new ConfigException(
                    "router.channels: no channel configured; add router.channels.<name>.url-env (see config/revstream.yaml)");
        }
        for (Channel c : r.channels()) {
            channels.put(c, url(c, env));
        }
        this.http = HttpClient.newBuilder().connectTimeout(r.requestTimeout()).build();
        this.pool = Executors.newFixedThreadPool(Math.min(r.inFlight(), 32), runnable -> {
            Thread t = new Thread(runnable, "alert-delivery");
            t.setDaemon(true);
            return t;
        });
        Duration keep = r.maxAlertAge().isZero()
                ? Duration.ofDays(30)
                : r.maxAlertAge().multipliedBy(2).plusDays(1);
        this.log = new DeliveredLog(Path.of(r.stateDir()), keep, System.currentTimeMillis());
        Properties p = KafkaTopics.committedConsumerProperties(cfg);
        p.put("group.id", r.groupId());
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", Integer.toString(r.inFlight()));
        // the router keeps polling (paused) while a batch is delivered, so a slow webhook does not cost the group
        // membership whatever this is; kafka.properties may set it
        p.putIfAbsent(
                "max.poll.interval.ms",
                Long.toString(Math.max(300_000L, r.maxBackoff().toMillis() * r.attempts() * 2)));
        // after a crash the restarted router waits this long for its old self's partitions (kafka.properties can
        // override)
        p.putIfAbsent("session.timeout.ms", "10000");
        this.consumer = new KafkaConsumer<>(p);
        this.deadLetters = new KafkaProducer<>(KafkaTopics.producerProperties(cfg));
    }

    /** Reads the channel's URL from where the configuration says; the value itself is never logged. */
    private static URI url(Channel c, Map<String, String> env) {
        String where = "router.channels." + c.name();
        String value;
        if (c.urlEnv() != null) {
            value = env.get(c.urlEnv());
            if (value == null || value.isBlank()) {
                throw new ConfigException(where + ".url-env: the environment variable " + c.urlEnv() + " is not set");
            }
        } else if (c.urlFile() != null) {
            try {
                value = Files.readString(Path.of(c.urlFile()), StandardCharsets.UTF_8)
                        .trim();
            } catch (IOException e) {
                throw new ConfigException(where + ".url-file: cannot read " + c.urlFile() + ": "
                        + e.getClass().getSimpleName());
            }
        } else {
            value = c.url();
        }
        try {
            URI uri = URI.create(value.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("not http(s)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    where + ": the URL is not an http(s) URL (its value is not shown: it is a secret)");
        }
    }

    public Stats stats() {
        return stats;
    }

    /** Polls, delivers and commits until {@link #stop()}. */
    public void run() {
        consumer.subscribe(List.of(cfg.topics().alerts()));
        LOG.info(
                "alert router: {} channel(s) {}, reading {} as group {}",
                channels.size(),
                channels.keySet().stream().map(Channel::name).toList(),
                cfg.topics().alerts(),
                cfg.router().groupId());
        try {
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<Future<?>> inFlight = new ArrayList<>();
                List<ConsumerRecord<byte[], byte[]>> withdrawals = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    route(record, inFlight, withdrawals);
                }
                await(inFlight);
                inFlight.clear();
                for (ConsumerRecord<byte[], byte[]> record : withdrawals) {
                    route(record, inFlight, null);
                }
                await(inFlight);
                commit();
            }
        } catch (WakeupException e) {
            // stop() during a poll: the batch in hand was committed already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("alert delivery failed unexpectedly", e.getCause());
        } finally {
            LOG.info(
                    "alert router stopped: delivered {}, retries {}, dead-lettered {}, skipped as too old {}, already delivered {}",
                    stats.delivered,
                    stats.retries,
                    stats.deadLettered,
                    stats.skippedOld,
                    stats.alreadyDone);
        }
    }

    /** Commits the batch delivered; a stop asked meanwhile waits for it. */
    private void commit() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.commitSync();
                return;
            } catch (WakeupException e) {
                // stop() while the batch was out: its wake-up is spent here, the commit goes again
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // the group moved partitions meanwhile: their new owner re-reads the batch (the delivered log
                // keeps this router from sending twice what it delivered)
                LOG.warn(
                        "alert router: the batch's offsets were not committed ({}); it will be read again",
                        e.getClass().getSimpleName());
                return;
            }
        }
    }

    /**
     * Waits for the batch's deliveries while polling with every partition paused: the consumer stays in its
     * group however long a slow webhook takes (Kafka's max.poll.interval.ms counts from the last poll). A
     * partition assigned meanwhile is not paused yet: what its poll returns is rewound, to come again after.
     */
    private void await(List<Future<?>> inFlight) throws InterruptedException, ExecutionException {
        boolean stopping = false;
        for (Future<?> f : inFlight) {
            while (!stopping && !f.isDone()) {
                try {
                    consumer.pause(consumer.assignment());
                    var early = consumer.poll(Duration.ofMillis(100));
                    for (var tp : early.partitions()) {
                        consumer.seek(tp, early.records(tp).get(0).offset());
                    }
                } catch (WakeupException e) {
                    stopping = true; // stop(): the batch is finished and committed first, as before
                }
            }
            f.get();
        }
        consumer.resume(consumer.paused());
    }

    /** @param withdrawals where to set withdrawals aside until the batch's alerts are out, or null to route them */
    private void route(
            ConsumerRecord<byte[], byte[]> record,
            List<Future<?>> inFlight,
            List<ConsumerRecord<byte[], byte[]>> withdrawals) {
        JsonNode alert;
        try {
            alert = JSON.readTree(record.value());
        } catch (IOException | RuntimeException e) {
            alert = null;
        }
        if (alert == null || !alert.hasNonNull("alertId")) {
            deadLetter(null, null, record, "not an alert: unreadable JSON or no alertId");
            return;
        }
        boolean withdrawal = Webhooks.isWithdrawal(alert);
        if (withdrawal && withdrawals != null) {
            withdrawals.add(record);
            return;
        }
        // an alert's age is that of what it reports (its trigger time): a replay of old history writes old alerts
        // now, and must not page anyone; a withdrawal follows its alert wherever that went, however old
        long age = System.currentTimeMillis() - triggeredAt(alert, record);
        Duration maxAge = cfg.router().maxAlertAge();
        if (!withdrawal && !maxAge.isZero() && age > maxAge.toMillis()) {
            stats.skippedOld.incrementAndGet();
            LOG.warn(
                    "skipped alert {} ({}): triggered {} ago, more than router.max-alert-age {}",
                    Webhooks.printable(alert.get("alertId").asText()),
                    Webhooks.printable(alert.path("type").asText()),
                    Duration.ofMillis(age).withNanos(0),
                    maxAge);
            return;
        }
        for (Map.Entry<Channel, URI> c : channels.entrySet()) {
            if (!Webhooks.routes(c.getKey(), alert)) {
                continue;
            }
            String alertId = alert.get("alertId").asText();
            if (withdrawal && !log.delivered(alertId, c.getKey().name())) {
                continue; // the channel never got the alert: nothing to take back there
            }
            if (log.contains(Webhooks.deliveryKey(alert), c.getKey().name())) {
                stats.alreadyDone.incrementAndGet();
                continue;
            }
            JsonNode a = alert;
            inFlight.add(pool.submit(() -> deliver(a, c.getKey(), c.getValue(), record)));
        }
    }

    /** The alert's {@code triggeredAt}, or when it was written if it has none that reads. */
    private static long triggeredAt(JsonNode alert, ConsumerRecord<byte[], byte[]> record) {
        try {
            return Instant.parse(alert.path("triggeredAt").asText()).toEpochMilli();
        } catch (RuntimeException e) {
            return record.timestamp();
        }
    }

    /** One (alert, channel): retried with backoff on I/O errors, timeouts, 408, 429 and 5xx. */
    private void deliver(JsonNode alert, Channel channel, URI uri, ConsumerRecord<byte[], byte[]> record) {
        try {
            deliverOnce(alert, channel, uri, record);
        } catch (RuntimeException e) {
            // one alert that cannot even become a request (or a bug) must not stop the router
            String id = Webhooks.deliveryKey(alert);
            deadLetter(
                    alert,
                    channel,
                    record,
                    "cannot be delivered: " + e.getClass().getSimpleName());
            log.add(id, channel.name(), "deadlettered", System.currentTimeMillis());
        }
    }

    private void deliverOnce(JsonNode alert, Channel channel, URI uri, ConsumerRecord<byte[], byte[]> record) {
        String id = Webhooks.deliveryKey(alert);
        RevstreamConfig.Router r = cfg.router();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(r.requestTimeout())
                .header("Content-Type", "application/json")
                // a header cannot carry line breaks: an id with them must not break (or split) the request
                .header("Idempotency-Key", Webhooks.printable(id))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Webhooks.body(channel, alert)))
                .build();
        RetryPolicy<HttpResponse<String>> retry = RetryPolicy.<HttpResponse<String>>builder()
                .handle(IOException.class)
                .handleResultIf(
                        resp -> resp.statusCode() >= 500 || resp.statusCode() == 429 || resp.statusCode() == 408)
                .withBackoff(
                        r.initialBackoff(),
                        r.maxBackoff().compareTo(r.initialBackoff()) < 0 ? r.initialBackoff() : r.maxBackoff())
                .withMaxAttempts(r.attempts())
                .onRetry(e -> stats.retries.incrementAndGet())
                .build();
        String error;
        try {
            HttpResponse<String> resp =
                    Failsafe.with(retry).get(() -> http.send(request, HttpResponse.BodyHandlers.ofString()));
            if (resp.statusCode() / 100 == 2) {
                log.add(id, channel.name(), "delivered", System.currentTimeMillis());
                stats.delivered.incrementAndGet();
                return;
            }
            error = "HTTP " + resp.statusCode()
                    + (resp.statusCode() / 100 == 4 && resp.statusCode() != 408 && resp.statusCode() != 429
                            ? " (a client error: not retried)"
                            : " after " + r.attempts() + " attempts");
        } catch (dev.failsafe.FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // the exception's class, not its message: a message could carry the secret URL
            error = cause.getClass().getSimpleName() + " after " + r.attempts() + " attempts";
        }
        deadLetter(alert, channel, record, error);
        log.add(id, channel.name(), "deadlettered", System.currentTimeMillis());
    }

    private void deadLetter(JsonNode alert, Channel channel, ConsumerRecord<byte[], byte[]> record, String error) {
        ObjectNode o = JSON.createObjectNode();
        if (alert != null) {
            o.put("alertId", alert.get("alertId").asText());
            o.set("alert", alert);
        } else {
            o.put("payload", new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.UTF_8));
        }
        if (channel != null) {
            o.put("channel", channel.name());
        }
        o.put("error", error);
        o.put("failedAt", Instant.now().toString());
        o.put("topic", record.topic());
        o.put("partition", record.partition());
        o.put("offset", record.offset());
        try {
            deadLetters
                    .send(new ProducerRecord<>(
                            cfg.topics().alertsDeadletter(),
                            record.key(),
                            o.toString().getBytes(StandardCharsets.UTF_8)))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering an alert", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + cfg.topics().alertsDeadletter(), e.getCause());
        }
        stats.deadLettered.incrementAndGet();
        LOG.warn(
                "alert {} for channel {} dead-lettered: {}",
                alert == null ? "?" : Webhooks.printable(alert.get("alertId").asText()),
                channel == null ? "-" : channel.name(),
                error);
    }

    /** Stops after the batch in flight is delivered and committed. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        consumer.close(Duration.ofSeconds(5));
        deadLetters.close(Duration.ofSeconds(5));
        log.close();
    }
}
