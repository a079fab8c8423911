package dev.revstream.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.tools.bench.BrokerProcess;
import dev.revstream.tools.generator.GeneratedRecord;
import dev.revstream.tools.testing.Histories;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.SettledOutputs;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real multi-process Flink cluster (a JobManager and TaskManagers as JVMs of their
 * own), submitted with Flink's CLI, at the default time settings (the wall clock followed, 30 s of
 * out-of-orderness, a 7-day correction horizon), through two faults in turn in one run: a TaskManager killed
 * with -9 (and a new one started), then the Kafka broker (a process of its own) killed with -9 and started
 * again 60 s later. The run's
 * outputs, read committed, settle on those of an undisturbed run of the same input: the same
 * normalized events and dead letters, none twice and none missing, and the same settled alerts,
 * journey updates, credits, KPI windows and recommendations ({@link SettledOutputs}) up to the test's start (later
 * deadlines and windows come due with the wall clock, at different moments in each run).
 *
 * <p>The input is 40 days of history that ends half a day ago. What is older than six days is read in
 * one go (event time moves with it); the last six days come in two parts after the partitions have
 * gone quiet and event time has followed the wall clock, so they arrive behind the watermark, as a
 * backlog does after an outage, and are corrected in place. The fault comes between the two parts.
 */
class ClusterFailureIT {
    /** How long the committed outputs must stay unchanged to count as settled. */
    private static final Duration QUIET = Duration.ofSeconds(6);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400_000L;
    private static final Path JOB_JAR = Path.of(System.getProperty("revstream.jobJar", "target/revstream-job.jar"))
            .toAbsolutePath();
    private static final Path WORK = Path.of("target", "cluster-it").toAbsolutePath();
    private static BrokerProcess kafka;
    private static int kafkaPort;
    private static StandaloneCluster cluster;
    /** The history older than six days, read in one go: event time moves with it. */
    private static final List<Out> early = new ArrayList<>();
    /** The last six days, which arrive after event time has followed the wall clock: corrected in place. */
    private static final List<Out> recent = new ArrayList<>();

    private static int earlyValid;
    private static Map<GeneratedRecord.Kind, Integer> kinds = new EnumMap<>(GeneratedRecord.Kind.class);
    private static Outputs baseline;
    /** Outputs up to here are settled in every run: the watermark passes it within the first minute. */
    private static long settledUpTo;

    @BeforeAll
    static void start() throws Exception {
        // a broker directory left by an earlier run would hold that run's topics, and its input twice
        Infra.deleteQuietly(WORK);
        Files.createDirectories(WORK);
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            kafkaPort = s.getLocalPort();
        }
        kafka = BrokerProcess.start(WORK.resolve("kafka"), kafkaPort, WORK.resolve("kafka.log"));
        cluster = StandaloneCluster.ofBuild(
                WORK.resolve("flink"),
                Path.of(System.getProperty("revstream.libDir", "target/lib"))
                        .toAbsolutePath()
                        .getParent(),
                Map.of());
        cluster.startJobManager();
        cluster.startTaskManager();
        cluster.startTaskManager();
        settledUpTo = System.currentTimeMillis();
        long recentFrom = settledUpTo - 6 * DAY;
        for (GeneratedRecord r : Histories.generate(5, 150, 40, settledUpTo - DAY / 2)) {
            Out out = new Out(
                    r.deal() ? "deals" : "touchpoints",
                    null,
                    r.key() == null ? null : r.key().getBytes(),
                    r.value());
            (r.businessTime() < recentFrom ? early : recent).add(out);
            kinds.merge(r.kind(), 1, Integer::sum);
            if (r.businessTime() < recentFrom && r.kind() == GeneratedRecord.Kind.VALID) {
                earlyValid++;
            }
        }
        baseline = run("baseline", null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The fault, applied between the two parts of the last six days. */
    interface Fault {
        /** @return the job id to follow after the fault */
        String apply(String job, List<String> args) throws Exception;
    }

    private static List<String> args(String name) {
        List<String> a = new ArrayList<>(List.of(
                "--bootstrap",
                kafka.bootstrapServers(),
                "--set",
                "kafka.group-id=" + name,
                "--set",
                "kafka.transactional-id-prefix=" + name,
                "--set",
                "kafka.transaction-timeout=60s",
                "--set",
                "job.checkpoint-timeout=45s",
                "--set",
                "job.checkpoint-interval=1s"));
        for (String set : Infra.topicSets(name)) {
            a.addAll(List.of("--set", set));
        }
        return a;
    }

    /** A run's normalized events and dead letters (sorted identities) and its settled outputs. */
    private record Outputs(List<String> events, List<String> deadLetters, SettledOutputs settled) {
        boolean complete() {
            return events.size() == kinds.get(GeneratedRecord.Kind.VALID)
                    && !settled.kpis().isEmpty();
        }

        String sizes() {
            return "events " + events.size() + ", dead letters " + deadLetters.size() + ", alerts "
                    + settled.alerts().size() + ", journey " + settled.journey().size() + ", credits "
                    + settled.credits().size() + ", KPI windows "
                    + settled.kpis().size() + ", recommendations "
                    + settled.actions().size();
        }
    }

    private static Outputs run(String name, Fault fault) throws Exception {
        List<String> args = args(name);
        String job = cluster.submit(JOB_JAR, args, null); // creates the topics
        StandaloneCluster.await(
                "the job running", Duration.ofSeconds(60), () -> "RUNNING".equals(cluster.jobState(job)));
        TopicIo.produce(kafka.bootstrapServers(), mine(name, early));
        TopicIo.readUntil(
                kafka.bootstrapServers(), name + ".events", true, Duration.ofSeconds(120), r -> r.size() >= earlyValid);
        // the input pauses for longer than the idle timeout (10 s): event time follows the wall clock
        long paused = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        StandaloneCluster.await("a pause", Duration.ofSeconds(20), () -> System.nanoTime() >= paused);
        List<Out> last = mine(name, recent);
        TopicIo.produce(kafka.bootstrapServers(), last.subList(0, last.size() / 2));
        String following = fault == null ? job : fault.apply(job, args);
        TopicIo.produce(kafka.bootstrapServers(), last.subList(last.size() / 2, last.size()));
        // settled: every valid input is out and nothing new settled for QUIET (several checkpoints: a stage
        // catching up on RocksDB or a source reconnecting after a fault can be quiet for a checkpoint or two); a run
        // with a fault that already equals the undisturbed run is settled too
        Outputs out = outputs(name);
        long changedAt = System.nanoTime();
        long deadline = changedAt + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            long c = cluster.completedCheckpoints(following);
            StandaloneCluster.await(
                    "two checkpoints", Duration.ofSeconds(60), () -> cluster.completedCheckpoints(following) >= c + 2);
            Outputs again = outputs(name);
            if (!again.equals(out)) {
                changedAt = System.nanoTime();
            }
            out = again;
            if ((fault != null && out.equals(baseline))
                    || (out.complete() && System.nanoTime() - changedAt >= QUIET.toNanos())) {
                break;
            }
        }
        assertThat(cluster.jobState(following)).isEqualTo("RUNNING");
        cluster.cancel(following);
        System.out.printf(
                "cluster %s: %s; %d late%n",
                name,
                out.sizes(),
                TopicIo.readAll(kafka.bootstrapServers(), name + ".late", true).size());
        return out;
    }

    private static List<Out> mine(String name, List<Out> records) {
        return records.stream()
                .map(o -> new Out(name + "." + o.topic(), o.partition(), o.key(), o.value()))
                .toList();
    }

    private static Outputs outputs(String name) throws Exception {
        return new Outputs(
                ids(
                        name + ".events",
                        n -> n.get("source").asText() + "/" + n.get("eventId").asText()),
                ids(
                        name + ".deadletter",
                        n -> n.get("errorCode").asText() + " "
                                + n.path("payloadSha256").asText()),
                SettledOutputs.read(
                        kafka.bootstrapServers(),
                        new SettledOutputs.Topics(
                                name + ".alerts",
                                name + ".journey",
                                name + ".attribution",
                                name + ".kpis",
                                name + ".actions"),
                        settledUpTo));
    }

    private static List<String> ids(String topic, Function<JsonNode, String> id) throws Exception {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readAll(kafka.bootstrapServers(), topic, true)) {
            ids.add(id.apply(JSON.readTree(r.value())));
        }
        return ids.stream().sorted().toList();
    }

    private static void assertSameAsBaseline(Outputs run) {
        // every input accounted for: each valid record normalized once, each malformed one a dead letter, copies
        // dropped
        assertThat(baseline.events())
                .hasSize(kinds.get(GeneratedRecord.Kind.VALID))
                .doesNotHaveDuplicates();
        assertThat(baseline.deadLetters()).hasSize(kinds.getOrDefault(GeneratedRecord.Kind.MALFORMED, 0));
        assertThat(kinds.get(GeneratedRecord.Kind.DUPLICATE)).isPositive();
        assertThat(baseline.settled().alerts()).isNotEmpty();
        assertThat(baseline.settled().kpis()).isNotEmpty();
        assertThat(baseline.settled().actions()).isNotEmpty();
        run.settled().printDifferences("undisturbed", baseline.settled(), "disturbed");
        assertThat(run.events()).as("events").doesNotHaveDuplicates().isEqualTo(baseline.events());
        assertThat(run.deadLetters()).as("dead letters").isEqualTo(baseline.deadLetters());
        assertThat(run.settled().alerts())
                .as("alerts")
                .isEqualTo(baseline.settled().alerts());
        assertThat(run.settled().journey())
                .as("journey updates")
                .isEqualTo(baseline.settled().journey());
        assertThat(run.settled().credits())
                .as("credits")
                .isEqualTo(baseline.settled().credits());
        assertThat(run.settled().kpis())
                .as("KPI windows")
                .isEqualTo(baseline.settled().kpis());
        assertThat(run.settled().actions())
                .as("recommendations")
                .isEqualTo(baseline.settled().actions());
    }

    /**
     * Both faults in one run, one after the other (one run less to wait for: the suite's time is bounded): a
     * TaskManager killed mid-stream (the job restarts from its checkpoint on the spare one), then, once the
     * restarted job has checkpointed, the broker killed for a minute.
     */
    @Test
    void aTaskManagerKilledThenTheBrokerKilledForAMinute() throws Exception {
        assertSameAsBaseline(run("faults", (job, args) -> {
            StandaloneCluster.await(
                    "a checkpoint", Duration.ofSeconds(60), () -> cluster.completedCheckpoints(job) >= 1);
            cluster.startTaskManager();
            cluster.killTaskManagerRunning(job);
            StandaloneCluster.await("the restart", Duration.ofSeconds(90), () -> cluster.restarts(job) > 0);
            long before = cluster.completedCheckpoints(job);
            StandaloneCluster.await(
                    "a checkpoint after the restart",
                    Duration.ofSeconds(90),
                    () -> cluster.completedCheckpoints(job) > before);
            kafka.kill();
            // a minute away: the job rides through it (its checkpoint waits for the broker, within the 5-minute
            // checkpoint timeout) or fails over while the sinks time out on metadata; either way its sources
            // reconnect and its open transactions commit once the broker is back
            long back = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            StandaloneCluster.await("a minute", Duration.ofSeconds(70), () -> System.nanoTime() >= back);
            kafka = BrokerProcess.start(WORK.resolve("kafka"), kafkaPort, WORK.resolve("kafka.log"));
            return job;
        }));
    }
}
