package dev.revstream.kafka;

import dev.revstream.config.ConfigException;
import dev.revstream.config.RevstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
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
        return ensure(
                clientProperties(cfg),
                wanted(cfg),
                cfg.kafka().topicPartitions(),
                cfg.kafka().topicReplication());
    }

    /** Every topic revstream reads or writes, with the topic configuration it needs, by name. */
    public static Map<String, Map<String, String>> wanted(RevstreamConfig cfg) {
        Map<String, Map<String, String>> wanted = new TreeMap<>();
        String maxBytes = Integer.toString(cfg.kafka().maxRecordBytes());
        for (String t : cfg.inputTopics()) {
            wanted.put(t, Map.of("max.message.bytes", maxBytes));
        }
        for (String t : cfg.topics().outputs()) {
            wanted.put(t, Map.of("max.message.bytes", maxBytes));
        }
        // the KPI topic is a table of the latest snapshot per (window size, start, dimension, value)
        wanted.put(cfg.topics().kpis(), Map.of("max.message.bytes", maxBytes, "cleanup.policy", "compact"));
        // and the forecast topic one of the latest forecast per (window size, start, dimension, value)
        wanted.put(cfg.topics().forecasts(), Map.of("max.message.bytes", maxBytes, "cleanup.policy", "compact"));
        return wanted;
    }

    /**
     * One topic as it stands on the cluster against what revstream needs.
     *
     * @param partitions its partitions, or 0 when it does not exist
     * @param retention its {@code retention.ms} as the broker reports it, or null
     * @param problems what differs from what the job needs to run correctly (empty: fine; a missing topic has
     *     one); the job does not start while a topic has one
     * @param advice what works but limits the job: fewer partitions than its parallelism, a short retention
     */
    public record TopicState(
            String topic,
            int partitions,
            String cleanupPolicy,
            String retention,
            List<String> problems,
            List<String> advice) {
        public boolean exists() {
            return partitions > 0;
        }
    }

    /**
     * Creates the missing topics, then refuses to go on when an existing one would break the job: records
     * larger than it takes (every sink would fail on each restart), or a KPI topic that is not compacted
     * (readers take the latest snapshot per key). What only limits the job is returned as advice.
     *
     * @return the advice, one line per topic and point
     * @throws ConfigException naming every topic and what is wrong with it
     */
    public static List<String> requireUsable(RevstreamConfig cfg) {
        ensure(cfg);
        List<String> problems = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        for (TopicState s : check(cfg)) {
            s.problems().forEach(p -> problems.add(s.topic() + ": " + p));
            s.advice().forEach(a -> advice.add(s.topic() + ": " + a));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(
                    "topics on " + cfg.kafka().bootstrapServers() + " are not as the job needs them:\n  "
                            + String.join("\n  ", problems)
                            + "\nchange them (kafka-configs.sh --alter), or point topics.* at others; ./revstream topics lists"
                            + " every check");
        }
        return advice;
    }

    /** Describes every topic of {@link #wanted} on the cluster: partitions, clean-up policy, retention, problems. */
    public static List<TopicState> check(RevstreamConfig cfg) {
        Map<String, Map<String, String>> wanted = wanted(cfg);
        try (Admin admin = Admin.create(clientProperties(cfg))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> present =
                    wanted.keySet().stream().filter(existing::contains).toList();
            Map<String, TopicDescription> descriptions = present.isEmpty()
                    ? Map.of()
                    : admin.describeTopics(present).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = present.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                    .toList();
            Map<ConfigResource, Config> configs = resources.isEmpty()
                    ? Map.of()
                    : admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            List<TopicState> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> w : wanted.entrySet()) {
                String topic = w.getKey();
                if (!existing.contains(topic)) {
                    out.add(new TopicState(topic, 0, null, null, List.of("missing"), List.of()));
                    continue;
                }
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
                List<String> problems = new ArrayList<>();
                for (Map.Entry<String, String> want : w.getValue().entrySet()) {
                    ConfigEntry have = c == null ? null : c.get(want.getKey());
                    String value = have == null ? null : have.value();
                    boolean ok = want.getKey().equals("max.message.bytes")
                            ? value != null && Long.parseLong(value) >= Long.parseLong(want.getValue())
                            : want.getValue().equals(value);
                    if (!ok) {
                        problems.add(want.getKey() + " is " + value + ", revstream needs "
                                + (want.getKey().equals("max.message.bytes") ? "at least " : "") + want.getValue());
                    }
                }
                int partitions = descriptions.get(topic).partitions().size();
                List<String> advice = new ArrayList<>();
                if (cfg.inputTopics().contains(topic) && partitions < cfg.job().parallelism()) {
                    advice.add(partitions + " partitions for job.parallelism "
                            + cfg.job().parallelism() + ": only " + partitions + " source subtask(s) read it");
                } else if (partitions < cfg.kafka().topicPartitions()) {
                    advice.add(partitions + " partitions, kafka.topic-partitions asks for "
                            + cfg.kafka().topicPartitions() + " (more parallelism needs more)");
                }
                String retention = value(c, "retention.ms");
                Duration horizon = cfg.time().correctionHorizon();
                if (cfg.inputTopics().contains(topic)
                        && !"compact".equals(value(c, "cleanup.policy"))
                        && retention != null
                        && Long.parseLong(retention) >= 0
                        && horizon != null
                        && Long.parseLong(retention) < horizon.toMillis()) {
                    advice.add(
                            "retention.ms " + retention + " is shorter than time.correction-horizon ("
                                    + horizon.toDays() + "d): a job stopped longer than the retention loses what it"
                                    + " did not read, and a replay (the upgrade path) cannot reach back as far as corrections do");
                }
                out.add(new TopicState(topic, partitions, value(c, "cleanup.policy"), retention, problems, advice));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot describe topics on " + cfg.kafka().bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    private static String value(Config c, String name) {
        ConfigEntry e = c == null ? null : c.get(name);
        return e == null ? null : e.value();
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
