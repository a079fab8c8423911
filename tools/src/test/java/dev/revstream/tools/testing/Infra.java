package dev.revstream.tools.testing;

import dev.revstream.config.ConfigLoader;
import dev.revstream.config.ProjectConfig;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.tools.kafka.EmbeddedKafka;
import dev.revstream.tools.runner.LocalFlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Kafka broker and one embedded Flink per test JVM, started on first use and stopped
 * when the JVM exits. Each test gets its own topic names, consumer group and transactional ids
 * through {@link #config(String, String...)}, so tests never see each other's records.
 */
public final class Infra {
    private static final Path WORK = Path.of("target", "test-work").toAbsolutePath();
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static EmbeddedKafka kafka;
    private static LocalFlink flink;

    private Infra() {}

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            Path dir = WORK.resolve("kafka-" + ProcessHandle.current().pid());
            kafka = new EmbeddedKafka(dir, 0, Map.of()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.stop();
                deleteQuietly(dir);
            }));
        }
        return kafka;
    }

    public static synchronized LocalFlink flink() {
        if (flink == null) {
            Path dir = WORK.resolve("flink-" + ProcessHandle.current().pid());
            flink = LocalFlink.start(dir, 2, 2, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    flink.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
                deleteQuietly(dir);
            }));
        }
        return flink;
    }

    /** Indices (in the MiniCluster's list) of the TaskManagers that are alive: two at start. */
    private static final List<Integer> ALIVE = new ArrayList<>(List.of(0, 1));

    private static int started = 2;

    /**
     * A failure for every job running on the shared Flink: as many fresh TaskManagers start as are
     * alive, then every one that was alive is killed (a test before may have replaced them already).
     */
    public static synchronized void replaceTaskManagers() throws Exception {
        LocalFlink f = flink();
        List<Integer> old = new ArrayList<>(ALIVE);
        ALIVE.clear();
        for (int i = 0; i < old.size(); i++) {
            f.miniCluster().startTaskManager();
            ALIVE.add(started++);
        }
        for (int index : old) {
            f.miniCluster().terminateTaskManager(index).get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The project's default configuration pointed at the shared broker, with every topic, the
     * group id and the transactional-id prefix made unique for {@code name}, fast checkpoints, and
     * the given {@code key=value} overrides.
     */
    public static RevstreamConfig config(String name, String... sets) {
        String id = name + "-" + RUNS.incrementAndGet();
        List<String> all = new ArrayList<>(List.of(
                "kafka.bootstrap-servers=" + kafka().bootstrapServers(),
                "kafka.group-id=" + id,
                "kafka.transactional-id-prefix=" + id,
                "job.checkpoint-interval=300ms",
                "kafka.transaction-timeout=60s",
                "job.checkpoint-timeout=45s"));
        all.addAll(topicSets(id));
        all.addAll(Arrays.asList(sets));
        return ConfigLoader.load(projectConfig(), all, Map.of());
    }

    /** {@code topics.<topic>=<prefix>.<topic>} for every input and output topic: a test's own topic names. */
    public static List<String> topicSets(String prefix) {
        return RevstreamConfig.Topics.prefixedSets(prefix);
    }

    /** The project's {@code config/revstream.yaml}, found from the module or the root directory. */
    public static Path projectConfig() {
        return ProjectConfig.mainFile();
    }

    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temporary files of a finished test JVM
        }
    }
}
