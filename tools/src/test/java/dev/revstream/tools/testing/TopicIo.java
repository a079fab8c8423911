package dev.revstream.tools.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for tests: produce with every send checked, read a topic from the start. */
public final class TopicIo {
    private TopicIo() {}

    /** A record to produce: key and value as bytes, an explicit partition or null. */
    public record Out(String topic, Integer partition, byte[] key, byte[] value) {
        public static Out json(String topic, String key, String value) {
            return new Out(
                    topic,
                    null,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                // the in-process broker and an idempotent producer lose records under load (STACK.md)
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                16 * 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    /** Produces every record and waits for each acknowledgement. */
    public static void produce(String bootstrap, List<Out> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            produce(p, records);
        }
    }

    public static void produce(KafkaProducer<byte[], byte[]> p, List<Out> records) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Out r : records) {
            acks.add(p.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value())));
        }
        p.flush();
        for (Future<RecordMetadata> a : acks) {
            a.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code done} holds for what was read, or the
     * timeout passes; returns what was read either way (the caller asserts).
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(
            String bootstrap,
            String topic,
            boolean committedOnly,
            Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, committedOnly)) {
            List<TopicPartition> parts = fromStart(c, topic);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Reads everything a finished job committed: waits (bounded) until no transaction is pending on
     * the topic, i.e. the last stable offset has reached the log end. A commit returns before the
     * broker has written its markers, so reading right after a job ends could see too little.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> committed = consumer(bootstrap, true);
                KafkaConsumer<byte[], byte[]> all = consumer(bootstrap, false)) {
            List<TopicPartition> parts = committed.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition()))
                    .collect(Collectors.toList());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!committed.endOffsets(parts).equals(all.endOffsets(parts)) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000_000L); // polling the broker, bounded above
            }
        }
        return readAll(bootstrap, topic, true);
    }

    /** Reads everything up to the current end offsets (a fixed point in the log). */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, boolean committedOnly) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, committedOnly)) {
            List<TopicPartition> parts = fromStart(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static List<TopicPartition> fromStart(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(pi -> new TopicPartition(topic, pi.partition()))
                .collect(Collectors.toList());
        c.assign(parts);
        c.seekToBeginning(parts);
        return parts;
    }

    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, boolean committedOnly) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committedOnly ? "read_committed" : "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                8 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    }
}
