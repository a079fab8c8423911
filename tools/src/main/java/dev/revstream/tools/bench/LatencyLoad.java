package dev.revstream.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.generator.FunnelGenerator;
import dev.revstream.tools.generator.GeneratedRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The latency benchmark's load: generator records written at a fixed rate with {@code occurredAt}
 * set to the moment each is sent, in a JVM of its own (so that the job's CPU is not the writer's).
 * It tells its parent ({@link LatencyBench}) on standard output, a line each: {@code M millis} when
 * counting starts (after the warm-up), {@code S key millis} for every event sent from then on (by
 * {@code source|eventId} and by {@code accountId|occurredAt}), {@code P seconds sent} every five
 * seconds, and {@code E sent seconds} at the end.
 *
 * <p>Arguments: rate, duration and warm-up in milliseconds, accounts, seed, then the configuration's
 * {@code key=value} settings (the broker and the topics).
 */
public final class LatencyLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LatencyLoad() {}

    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(args[0]);
        long durationNanos = Long.parseLong(args[1]) * 1_000_000L;
        long warmupMillis = Long.parseLong(args[2]);
        int accounts = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        List<String> sets = Arrays.asList(args).subList(5, args.length);
        RevstreamConfig cfg = ConfigLoader.load(null, sets);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Properties p = KafkaTopics.producerProperties(cfg);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long start = System.currentTimeMillis();
        long measuredFrom = start + warmupMillis;
        out.println("M " + measuredFrom);
        out.flush();
        FunnelGenerator gen = new FunnelGenerator(seed, accounts, start - 30L * 86_400_000L, 0, 0);
        long startNanos = System.nanoTime();
        AtomicReference<Exception> writeFailure = new AtomicReference<>();
        long nextProgress = 5_000_000_000L;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            while (gen.hasNext() && writeFailure.get() == null) {
                long elapsed = System.nanoTime() - startNanos;
                if (elapsed >= durationNanos) {
                    break;
                }
                if (elapsed >= nextProgress) {
                    out.println("P " + elapsed / 1_000_000_000L + " " + sent);
                    out.flush();
                    nextProgress += 5_000_000_000L;
                }
                if (sent >= (long) (elapsed / 1e9 * rate)) {
                    LockSupport.parkNanos(500_000L); // pacing to the rate, not synchronization
                    continue;
                }
                GeneratedRecord r = gen.next();
                ObjectNode n = (ObjectNode) JSON.readTree(r.value());
                long now = System.currentTimeMillis();
                n.put("occurredAt", Instant.ofEpochMilli(now).toString());
                if (now >= measuredFrom) {
                    out.println("S " + n.path("source").asText() + "|"
                            + n.path("eventId").asText() + " " + now);
                    if (n.hasNonNull("accountId")) {
                        out.println("S " + n.get("accountId").asText() + "|" + now + " " + now);
                    }
                }
                producer.send(
                        new ProducerRecord<>(
                                r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(),
                                null,
                                now,
                                r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                                JSON.writeValueAsBytes(n)),
                        (m, e) -> {
                            if (e != null) {
                                writeFailure.compareAndSet(null, e);
                            }
                        });
                sent++;
                if ((sent & 63) == 0) {
                    out.flush(); // the parent matches outputs to these lines as they come
                }
            }
            producer.flush();
        }
        out.flush();
        if (writeFailure.get() != null) {
            // on standard error and as a non-zero exit: the bench reports it with this process's log
            throw new IllegalStateException("a write to Kafka failed: " + writeFailure.get(), writeFailure.get());
        }
        out.println("E " + sent + " " + (System.nanoTime() - startNanos) / 1e9);
        out.flush();
    }
}
