package dev.revstream.tools.generator;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.ingest.SourceFormat;
import dev.revstream.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes the {@link FunnelGenerator}'s records into the input topics on a business clock that
 * runs {@code speedUp} times faster than the wall clock from {@code startAgo} in the past, never
 * ahead of now, at most {@code rate} records a second. The first {@code warmup} of business time is
 * written at once (not rate-limited), so a run starts with history. Every business hour it writes a
 * {@code HEARTBEAT} to each partition of every input topic, so event time moves on every partition.
 */
public final class GeneratorRunner {
    private static final long BUSINESS_HOUR = 3_600_000L;

    /** What was written so far; safe to read from another thread. */
    public static final class Stats {
        public final AtomicLong valid = new AtomicLong();
        public final AtomicLong malformed = new AtomicLong();
        public final AtomicLong duplicates = new AtomicLong();
        public final AtomicLong heartbeats = new AtomicLong();
        /** Records written in a vendor's own format (to a topic of {@code ingest.formats}). */
        public final AtomicLong vendorFormats = new AtomicLong();

        public final AtomicLong businessTime = new AtomicLong();

        public long total() {
            return valid.get() + malformed.get() + duplicates.get() + heartbeats.get();
        }
    }

    private final RevstreamConfig cfg;
    private final long seed;
    private final int accounts;
    private final double rate;
    private final Stats stats = new Stats();

    /** @param rate records per second at most; 0 for no limit */
    public GeneratorRunner(RevstreamConfig cfg, long seed, int accounts, double rate) {
        this.cfg = cfg;
        this.seed = seed;
        this.accounts = accounts;
        this.rate = rate;
    }

    public Stats stats() {
        return stats;
    }

    /** Runs until {@code duration} passes (null: until the generator has nothing left) or {@code stop} says so. */
    public Stats run(Duration duration, BooleanSupplier stop) {
        KafkaTopics.ensure(cfg);
        long wallStart = System.currentTimeMillis();
        long businessStart = wallStart - cfg.generator().startAgo().toMillis();
        double speedUp = cfg.generator().speedUp();
        // the warm-up's business days are written at once, so a demo starts with history
        long warmupEnd =
                Math.min(wallStart, businessStart + cfg.generator().warmup().toMillis());
        FunnelGenerator gen = new FunnelGenerator(
                seed,
                accounts,
                businessStart,
                cfg.generator().malformedShare(),
                cfg.generator().duplicateShare());
        // the vendors' formats the run reads, each to the first topic read in it
        Map<SourceFormat, String> vendorTopics = new EnumMap<>(SourceFormat.class);
        cfg.ingest().formats().forEach((topic, format) -> {
            if (format != SourceFormat.CANONICAL && format != SourceFormat.AUTO) {
                vendorTopics.putIfAbsent(format, topic);
            }
        });
        VendorSpeaker speaker = new VendorSpeaker(vendorTopics.keySet());
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // heartbeats on every partition of every topic the run reads, so that none holds event time (the
            // deals topic too: with the vendor topics on, it gets a few records only)
            List<TopicPartition> beats = new ArrayList<>();
            for (String topic : cfg.inputTopics()) {
                producer.partitionsFor(topic).forEach(p -> beats.add(new TopicPartition(topic, p.partition())));
            }
            long nextHeartbeat = businessStart + BUSINESS_HOUR;
            long paced = 0;
            long pacedSince = -1;
            while (!stop.getAsBoolean() && gen.hasNext()) {
                long wall = System.currentTimeMillis();
                if (duration != null && wall - wallStart >= duration.toMillis()) {
                    break;
                }
                if (failure.get() != null) {
                    throw new IllegalStateException(
                            "a write to Kafka failed: " + failure.get().getMessage(), failure.get());
                }
                long business = Math.min(wall, warmupEnd + (long) ((wall - wallStart) * speedUp));
                stats.businessTime.set(business);
                // a heartbeat at H only once every record up to H is written, or it would make them late
                while (nextHeartbeat <= business && nextHeartbeat < gen.peekTime()) {
                    for (TopicPartition tp : beats) {
                        String hb =
                                "{\"eventId\":\"hb-" + seed + "-" + nextHeartbeat + "-" + tp + "\",\"occurredAt\":\""
                                        + Instant.ofEpochMilli(nextHeartbeat)
                                        + "\",\"source\":\"revstream-generator\",\"type\":\"HEARTBEAT\"}";
                        producer.send(
                                new ProducerRecord<>(
                                        tp.topic(), tp.partition(), null, hb.getBytes(StandardCharsets.UTF_8)),
                                (m, e) -> record(failure, e));
                        stats.heartbeats.incrementAndGet();
                    }
                    nextHeartbeat += BUSINESS_HOUR;
                }
                boolean warm = gen.peekTime() > warmupEnd;
                if (warm && pacedSince < 0) {
                    pacedSince = wall;
                }
                boolean throttled = rate > 0 && warm && paced >= (wall - pacedSince) / 1000.0 * rate;
                if (throttled || gen.peekTime() > business) {
                    pause();
                    continue;
                }
                GeneratedRecord r = gen.next();
                VendorSpeaker.Spoken s = speaker.speak(r);
                if (s != null) {
                    producer.send(
                            new ProducerRecord<>(vendorTopics.get(s.format()), null, null, s.key(), s.value()),
                            (m, e) -> record(failure, e));
                    stats.vendorFormats.incrementAndGet();
                } else {
                    String topic =
                            r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints();
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    null,
                                    r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                                    r.value()),
                            (m, e) -> record(failure, e));
                }
                if (warm) {
                    paced++;
                }
                switch (r.kind()) {
                    case VALID -> stats.valid.incrementAndGet();
                    case MALFORMED -> stats.malformed.incrementAndGet();
                    case DUPLICATE -> stats.duplicates.incrementAndGet();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "a write to Kafka failed: " + failure.get().getMessage(), failure.get());
        }
        return stats;
    }

    private static void record(AtomicReference<Exception> failure, Exception e) {
        if (e != null) {
            failure.compareAndSet(null, e);
        }
    }

    private static void pause() {
        // pacing to the business clock and the rate limit, not synchronization: nothing else is waited for
        LockSupport.parkNanos(5_000_000L);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = KafkaTopics.producerProperties(cfg);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p);
    }
}
