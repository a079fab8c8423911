package dev.revstream.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * as its first event; each browser has its own bounded queue ({@link BoardClient}), so one that stops
 * reading stalls no other. Every asset is served from the jar; nothing comes from a CDN. A heartbeat
 * every few seconds tells the page that the stream is alive, the newest event time the board has seen
 * (the badge says "live" only while that is recent) and how many records were skipped (unreadable, or
 * not what the board expects: one record cannot stop the board). Requests whose {@code Host} header
 * names another host are refused (421) when bound to loopback; with an access token, requests without
 * it are refused (401).
 */
public final class Wallboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wallboard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration HEARTBEAT = Duration.ofSeconds(3);
    /** The most browsers served at once: each has a thread and a queue. */
    static final int MAX_CLIENTS = 64;
    /** The cookie a browser keeps the access token in after opening the board with {@code ?token=}. */
    static final String TOKEN_COOKIE = "revstream_token";

    /**
     * Who may read the board.
     *
     * @param allowedHosts host names (without port) requests may name in their {@code Host} header besides the
     *     loopback ones; bound to loopback, any other is refused (a page elsewhere cannot read the board through
     *     a name that resolves to this machine); bound to the network with none given, any
     * @param token a secret every request must carry (header {@code Authorization: Bearer}, the query parameter
     *     {@code token} once, then its cookie), or null for none
     * @param liveWithin the badge says live while the newest event time seen is at most this old
     */
    public record Access(List<String> allowedHosts, String token, Duration liveWithin) {
        public static Access loopback() {
            return new Access(List.of(), null, Duration.ofMinutes(5));
        }
    }

    private final RevstreamConfig cfg;
    private final Picture picture;
    private final List<BoardClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread follower;
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wallboard-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Javalin app;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong refusedHosts = new AtomicLong();
    private final AtomicLong refusedTokens = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final long liveWithinMillis;

    public Wallboard(RevstreamConfig cfg, String host, int port) {
        this(cfg, host, port, Access.loopback());
    }

    public Wallboard(RevstreamConfig cfg, String host, int port, Access access) {
        this.cfg = cfg;
        this.consumer = new KafkaConsumer<>(KafkaTopics.committedConsumerProperties(cfg));
        this.picture = new Picture(
                cfg.ingest().reportingCurrency(),
                cfg.time().zone() == null ? "UTC" : cfg.time().zone().getId());
        this.liveWithinMillis = access.liveWithin().toMillis();
        Set<String> allowed = new HashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
        access.allowedHosts().forEach(h -> allowed.add(h.toLowerCase(Locale.ROOT)));
        boolean anyHost = access.allowedHosts().isEmpty() && !isLoopback(host);
        byte[] token = access.token() == null ? null : access.token().getBytes(StandardCharsets.UTF_8);
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/wallboard";
                sf.location = Location.CLASSPATH;
            });
        });
        app.before(ctx -> {
            String name = hostName(ctx.header("Host"));
            if (!anyHost && (name == null || !allowed.contains(name))) {
                refusedHosts.incrementAndGet();
                throw new HttpResponseException(421, "this wallboard does not answer to that host name");
            }
            if (token != null) {
                String query = ctx.queryParam("token");
                if (query != null && matches(token, query)) {
                    // kept in a cookie: the page's own requests (the event stream) carry it without the URL
                    if (!ctx.res().containsHeader("Set-Cookie")) { // once: "/" comes here again as index.html
                        ctx.res()
                                .addHeader(
                                        "Set-Cookie",
                                        TOKEN_COOKIE + "=" + query + "; Path=/; HttpOnly; SameSite=Strict");
                    }
                } else if (!matches(token, bearer(ctx.header("Authorization")))
                        && !matches(token, ctx.cookie(TOKEN_COOKIE))) {
                    refusedTokens.incrementAndGet();
                    throw new HttpResponseException(
                            401, "this wallboard needs its access token: open it with ?token=<token>");
                }
            }
        });
        app.get("/api/state", ctx -> ctx.contentType("application/json").result(picture.toJson()));
        app.sse("/api/stream", client -> {
            if (clients.size() >= MAX_CLIENTS) {
                client.sendEvent("disconnected", "{\"reason\":\"too many browsers on this board\"}");
                client.close();
                return;
            }
            client.keepAlive();
            BoardClient board = new BoardClient(client, picture::toJson, droppedEvents);
            client.onClose(() -> {
                clients.remove(board);
                board.close();
            });
            synchronized (picture) {
                // the picture and then every change after it, in order
                board.offer("state", picture.toJson());
                clients.add(board);
            }
            board.start("wallboard-client");
        });
        this.follower = new Thread(this::follow, "wallboard-kafka");
        this.follower.setDaemon(true);
        app.start(host, port);
        follower.start();
        beats.scheduleAtFixedRate(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("wallboard on http://{}:{}/", host, port());
    }

    private static boolean matches(byte[] token, String given) {
        // constant time: the comparison does not tell how much of a guess was right
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
    }

    public int port() {
        return app.port();
    }

    /** Records on the topics that could not be shown (unreadable, or not what the board expects): skipped. */
    public long skippedRecords() {
        return skipped.get();
    }

    /** Requests refused for a missing or wrong access token. */
    public long refusedTokens() {
        return refusedTokens.get();
    }

    /** Events not sent to a browser that fell {@value BoardClient#QUEUE} behind (it got the whole picture again). */
    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** Browsers on the event stream now. */
    public int browsers() {
        return clients.size();
    }

    /** Requests refused for a foreign {@code Host} header. */
    public long refusedHosts() {
        return refusedHosts.get();
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    /** The host name of a {@code Host} header, lower case and without its port. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private void follow() {
        try {
            KafkaTopics.assignFromBeginning(
                    consumer,
                    List.of(
                            cfg.topics().kpis(),
                            cfg.topics().forecasts(),
                            cfg.topics().alerts(),
                            cfg.topics().journey()));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        apply(r);
                    } catch (RuntimeException e) {
                        // JSON, but not what the board expects: one record must not stop the board
                        skipped.incrementAndGet();
                        LOG.warn(
                                "wallboard: skipped a record at {}-{}@{}: {}",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                e.toString());
                    }
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
            skipped.incrementAndGet();
            LOG.warn("wallboard: unreadable record at {}-{}@{}", r.topic(), r.partition(), r.offset());
            return;
        }
        if (n == null || !n.isObject()) {
            skipped.incrementAndGet();
            return;
        }
        long now = System.currentTimeMillis();
        String t = r.topic();
        synchronized (picture) {
            show(t, n, now);
        }
    }

    /** Into the picture and to every browser, under the picture's lock: a browser joining gets one or the other. */
    private void show(String t, JsonNode n, long now) {
        if (t.equals(cfg.topics().kpis())) {
            picture.kpi(n, now);
            broadcast("kpi", n.toString());
        } else if (t.equals(cfg.topics().forecasts())) {
            picture.forecast(n, now);
            broadcast("forecast", n.toString());
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
                "{\"serverTime\":" + System.currentTimeMillis() + ",\"lastRecordAt\":" + picture.lastRecordAt()
                        + ",\"dataTime\":" + picture.dataTime() + ",\"liveWithinMs\":" + liveWithinMillis
                        + ",\"skippedRecords\":" + skipped.get() + ",\"droppedEvents\":" + droppedEvents.get()
                        + ",\"alertTotals\":" + picture.alertTotals() + "}");
    }

    /** To every browser's queue; never blocks on a browser. */
    private void broadcast(String event, String data) {
        for (BoardClient c : clients) {
            c.offer(event, data);
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
        clients.forEach(BoardClient::close);
        app.stop();
    }
}
