package dev.revstream.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.ConfigException;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook collector: {@code POST /segment}, {@code /hubspot} and {@code /stripe} check the
 * vendor's signature against its secret, then write the body exactly as it came to the vendor's
 * topic with an idempotent producer, and answer 200 only once Kafka acknowledged it: a vendor that
 * gets no 2xx sends again, so nothing a vendor sent is lost (a repeat is a duplicate the job's
 * de-duplication removes by the vendor's event id). 401 for a bad or missing signature, 413 for a
 * body over {@code collect.max-body}, 503 when Kafka does not acknowledge within
 * {@code collect.ack-timeout}; each counted on {@code GET /metrics}. An endpoint whose secret is
 * not set is off (404). {@code GET /health} answers 200.
 */
public final class WebhookCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCollector.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Active(String topic, byte[] secret) {}

    private final RevstreamConfig.Collect cfg;
    private final Map<Vendor, Active> active = new EnumMap<>(Vendor.class);
    private final Map<Vendor, String> off = new EnumMap<>(Vendor.class);
    private final Producer<byte[], byte[]> producer;
    private final CollectorCounts counts = new CollectorCounts();
    private final Javalin app;

    /**
     * @param env where the secrets are ({@code collect.<vendor>.secret-env} names the variable)
     * @throws ConfigException when no endpoint has its secret
     */
    public WebhookCollector(RevstreamConfig config, Map<String, String> env) {
        this.cfg = config.collect();
        for (Vendor v : Vendor.values()) {
            RevstreamConfig.Collect.Endpoint e = cfg.endpoints().get(v.path());
            String secret = env.get(e.secretEnv());
            if (secret == null || secret.isBlank()) {
                off.put(v, "/" + v.path() + " is off: set the environment variable " + e.secretEnv());
            } else {
                active.put(v, new Active(e.topic(), secret.trim().getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (active.isEmpty()) {
            throw new ConfigException("collect: no endpoint has its secret; set at least one of "
                    + String.join(
                            ", ",
                            cfg.endpoints().values().stream()
                                    .map(RevstreamConfig.Collect.Endpoint::secretEnv)
                                    .toList()));
        }
        Properties p = KafkaTopics.clientProperties(config);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        // a broker that cannot be reached must not hold a request past its answer (send() waits for metadata)
        p.put("max.block.ms", Long.toString(cfg.ackTimeout().toMillis()));
        p.put("delivery.timeout.ms", Long.toString(Math.max(cfg.ackTimeout().toMillis(), 1_000) + 30_000));
        p.put("max.request.size", Integer.toString(Math.max(cfg.maxBody() + 64 * 1024, 1024 * 1024)));
        p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        this.producer = new KafkaProducer<>(p);
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = cfg.maxBody();
        });
        for (Vendor v : Vendor.values()) {
            app.post("/" + v.path(), ctx -> collect(ctx, v));
        }
        app.get("/health", ctx -> ctx.result("ok"));
        app.get("/metrics", ctx -> ctx.json(counts.snapshot()));
    }

    /** Starts listening on {@code collect.bind-address}:{@code collect.port} (port 0: any free one). */
    public WebhookCollector start(int port) {
        app.start(cfg.bindAddress(), port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public CollectorCounts counts() {
        return counts;
    }

    /** The topics of the endpoints that are on. */
    public Set<String> topics() {
        Set<String> out = new TreeSet<>();
        active.values().forEach(a -> out.add(a.topic()));
        return out;
    }

    /** One line per endpoint: on and where it writes, or off and why. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Vendor v : Vendor.values()) {
            Active a = active.get(v);
            lines.add(a != null ? "/" + v.path() + " -> " + a.topic() : off.get(v));
        }
        return lines;
    }

    private void collect(Context ctx, Vendor vendor) {
        Active a = active.get(vendor);
        if (a == null) {
            ctx.status(404).result(off.get(vendor));
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        byte[] body;
        try {
            body = declared > cfg.maxBody() ? null : read(ctx.req().getInputStream(), cfg.maxBody());
        } catch (IOException e) {
            ctx.status(400).result("the body could not be read: " + e.getMessage());
            return;
        }
        if (body == null) {
            counts.inc(vendor, CollectorCounts.Outcome.TOO_LARGE);
            ctx.status(413).result("the body is larger than " + cfg.maxBody() + " bytes");
            return;
        }
        SignedRequest request =
                new SignedRequest(ctx.method().name(), url(ctx), ctx::header, body, System.currentTimeMillis());
        String refused = vendor.signature()
                .refuse(request, a.secret(), cfg.signatureTolerance().toMillis());
        if (refused != null) {
            counts.inc(vendor, CollectorCounts.Outcome.BAD_SIGNATURE);
            LOG.warn("refused a {} request from {}: {}", vendor.path(), ctx.ip(), refused);
            ctx.status(401).result("the signature does not check: " + refused);
            return;
        }
        String key = key(vendor, body);
        try {
            producer.send(new ProducerRecord<>(
                            a.topic(), key == null ? null : key.getBytes(StandardCharsets.UTF_8), body))
                    .get(cfg.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            counts.inc(vendor, CollectorCounts.Outcome.NOT_WRITTEN);
            LOG.warn("a {} body was not acknowledged by Kafka; answered 503 for the vendor to retry", vendor.path(), e);
            ctx.status(503).result("not written to Kafka yet; send it again");
            return;
        }
        counts.inc(vendor, CollectorCounts.Outcome.WRITTEN);
        ctx.status(200).json(Map.of("written", true));
    }

    /** The URL the vendor called: {@code collect.public-url} (behind a proxy) or this request's own. */
    private String url(Context ctx) {
        String query = ctx.queryString();
        String path = ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
        String base = cfg.publicUrl();
        if (base == null || base.isBlank()) {
            return ctx.scheme() + "://" + ctx.host() + path;
        }
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private static String key(Vendor vendor, byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            return tree == null ? null : vendor.key(tree);
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: written as it is, the job makes it a dead letter that says so
        }
    }

    /** The body, or null when it has more than {@code max} bytes (a chunked body declares no length). */
    private static byte[] read(InputStream in, int max) throws IOException {
        byte[] b = in.readNBytes(max + 1);
        return b.length > max ? null : b;
    }

    @Override
    public void close() {
        app.stop();
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
