package dev.revstream.kafka;

import dev.revstream.config.RevstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates revstream's topics when they are missing; existing topics are left as they are. */
public final class KafkaTopics {
    private KafkaTopics() {}

    /** Client properties for revstream's own admin, producer and consumer clients. */
    public static Properties clientProperties(RevstreamConfig cfg) {
        Properties p = new Properties();
        p.putAll(cfg.kafka().properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafka().bootstrapServers());
        return p;
    }

    /**
     * Properties of revstream's own byte-array producers (generator, importer, benchmark): every write
     * acknowledged by the broker. Not idempotent: the in-process test broker and an idempotent
     * producer lose records under load (STACK.md); one request in flight keeps each partition in order.
     */
    public static Properties producerProperties(RevstreamConfig cfg) {
        Properties p = clientProperties(cfg);
        p.put("acks", "all");
        p.put("enable.idempotence", "false");
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return p;
    }

    /** New topics are usable once every partition has a leader; writing earlier only earns retries. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!topics.isEmpty() && System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // a topic created a moment ago may not be known to the metadata yet: ask again
            }
            LockSupport.parkNanos(50_000_000L); // polling the broker's metadata, bounded above
        }
    }

    /** Assigns {@code consumer} every partition of {@code topics}, from the beginning (consumers that read a whole topic). */
    public static void assignFromBeginning(Consumer<?, ?> consumer, List<String> topics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t, Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Properties of a byte-array consumer of revstream's topics that reads only committed records. */
    public static Properties committedConsumerProperties(RevstreamConfig cfg) {
        Properties p = clientProperties(cfg);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.partition.fetch.bytes", Integer.toString(cfg.kafka().maxRecordBytes()));
        p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return p;
    }

    /** Ensures the input and output topics exist; returns the ones it created. */
    public static List<String> ensure(RevstreamConfig cfg) {
        Map<String, Map<String, String>> wanted = new HashMap<>();
        String maxBytes = Integer.toString(cfg.kafka().maxRecordBytes());
        for (String t : cfg.topics().inputs()) {
            wanted.put(t, Map.of("max.message.bytes", maxBytes));
        }
        for (String t : cfg.topics().outputs()) {
            wanted.put(t, Map.of("max.message.bytes", maxBytes));
        }
        // the KPI topic is a table of the latest snapshot per (window size, start, dimension, value)
        wanted.put(cfg.topics().kpis(), Map.of("max.message.bytes", maxBytes, "cleanup.policy", "compact"));
        return ensure(
                clientProperties(cfg),
                wanted,
                cfg.kafka().topicPartitions(),
                cfg.kafka().topicReplication());
    }

    public static List<String> ensure(
            Properties client, Map<String, Map<String, String>> topics, int partitions, short replication) {
        try (Admin admin = Admin.create(client)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            topics.forEach((name, config) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, replication).configs(config));
                }
            });
            List<String> created = new ArrayList<>();
            for (Map.Entry<String, KafkaFuture<Void>> e :
                    admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
            awaitLeaders(admin, created);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot create topics on " + client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
