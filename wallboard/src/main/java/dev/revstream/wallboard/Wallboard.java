package dev.revstream.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live wallboard: a small read-only web server (Javalin) with one Kafka consumer for all
 * browsers. It reads {@code revops.kpis}, {@code revops.alerts} and {@code revops.journey} read
 * committed from the beginning (the picture at start-up), then follows them, pushing every change
 * to the browsers over Server-Sent Events. A browser that connects gets the whole current picture
 * as its first event. Every asset is served from the jar; nothing comes from a CDN. A heartbeat
 * every few seconds tells the page that the stream is alive and how old the latest record is.
 */
public final class Wallboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wallboard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration HEARTBEAT = Duration.ofSeconds(3);

    private final RevstreamConfig cfg;
    private final Picture picture = new Picture();
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread follower;
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wallboard-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Javalin app;

    public Wallboard(RevstreamConfig cfg, String host, int port) {
        this.cfg = cfg;
        this.consumer = new KafkaConsumer<>(KafkaTopics.committedConsumerProperties(cfg));
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/wallboard";
                sf.location = Location.CLASSPATH;
            });
        });
        app.get("/api/state", ctx -> ctx.contentType("application/json").result(picture.toJson()));
        app.sse("/api/stream", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            client.sendEvent("state", picture.toJson());
            clients.add(client);
        });
        this.follower = new Thread(this::follow, "wallboard-kafka");
        this.follower.setDaemon(true);
        app.start(host, port);
        follower.start();
        beats.scheduleAtFixedRate(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("wallboard on http://{}:{}/", host, port());
    }

    public int port() {
        return app.port();
    }

    private void follow() {
        try {
            KafkaTopics.assignFromBeginning(
                    consumer,
                    List.of(
                            cfg.topics().kpis(),
                            cfg.topics().alerts(),
                            cfg.topics().journey()));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("wallboard: stopped following the topics", e);
            broadcast("disconnected", "{\"reason\":\"the server lost its Kafka consumer\"}");
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        JsonNode n;
        try {
            n = JSON.readTree(r.value());
        } catch (IOException | RuntimeException e) {
            LOG.warn("wallboard: unreadable record at {}-{}@{}", r.topic(), r.partition(), r.offset());
            return;
        }
        if (n == null || !n.isObject()) {
            return;
        }
        long now = System.currentTimeMillis();
        String t = r.topic();
        if (t.equals(cfg.topics().kpis())) {
            picture.kpi(n, now);
            broadcast("kpi", n.toString());
        } else if (t.equals(cfg.topics().alerts())) {
            if (picture.alert(n, now)) {
                broadcast("alert", n.toString());
            }
        } else {
            picture.change(n, now);
            broadcast("change", n.toString());
        }
    }

    private void heartbeat() {
        broadcast(
                "heartbeat",
                "{\"serverTime\":" + System.currentTimeMillis() + ",\"lastRecordAt\":" + picture.lastRecordAt() + "}");
    }

    private void broadcast(String event, String data) {
        for (SseClient c : clients) {
            try {
                c.sendEvent(event, data);
            } catch (RuntimeException e) {
                clients.remove(c);
            }
        }
    }

    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return; // closed already
        }
        consumer.wakeup();
        beats.shutdownNow();
        try {
            follower.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        app.stop();
    }
}
