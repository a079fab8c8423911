package dev.revstream.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.cluster.StandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The scale-out benchmark: the job jar on a Flink standalone cluster (a JobManager and TaskManagers of
 * two slots each, JVMs of their own) at each parallelism asked for, replaying the same pre-loaded
 * generator data bounded. For every vertex (an operator chain) it reads from the cluster's REST API
 * the records and bytes each subtask received and its busy time, and reports the busiest subtask
 * against the mean: on a 2-core machine more subtasks cannot run faster, but a key that sees every
 * event shows as one subtask receiving far more than the others, which is what would stop speed-up on
 * a cluster. Vertices behind a key ({@code HASH} in the job's plan) are the ones the target is about.
 */
public final class ScaleOut {
    /** The target: the busiest subtask of a keyed vertex receives at most this times the mean. */
    public static final double TARGET_SKEW = 1.25;

    /** What to run. {@code toolsTarget}: the tools module's target directory (flink-dist, lib). */
    public record Options(
            long events,
            int accounts,
            int dealsPerAccount,
            long seed,
            List<Integer> parallelisms,
            List<String> sets,
            Path workDir,
            Path jobJar,
            Path toolsTarget,
            Duration timeout,
            Consumer<String> progress) {}

    /**
     * One vertex at one parallelism: its records and bytes received, the busiest subtask's records and
     * busy time against the mean over its subtasks.
     */
    public record Vertex(
            String name,
            boolean keyed,
            int parallelism,
            long records,
            long bytes,
            long maxRecords,
            double recordsSkew,
            long busyMillis,
            long maxBusyMillis,
            double busySkew) {
        /** The target's test: only a keyed vertex that received records is held to it. */
        public boolean withinTarget() {
            return !keyed || records == 0 || recordsSkew <= TARGET_SKEW;
        }
    }

    /** One run: the job at {@code parallelism} on {@code taskManagers} TaskManagers. */
    public record Run(
            int parallelism,
            int taskManagers,
            long events,
            double seconds,
            double eventsPerSecond,
            List<Vertex> vertices) {}

    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELED");
    private static final Duration NOTE_EVERY = Duration.ofSeconds(30);

    private ScaleOut() {}

    public static List<Run> run(Options o) throws Exception {
        Files.createDirectories(o.workDir());
        List<Run> runs = new ArrayList<>();
        try (BrokerProcess broker =
                BrokerProcess.start(o.workDir().resolve("kafka"), o.workDir().resolve("broker.log"))) {
            List<String> sets = new ArrayList<>(
                    List.of("kafka.bootstrap-servers=" + broker.bootstrapServers(), "ingest.max-future=0"));
            sets.addAll(o.sets());
            RevstreamConfig cfg = ConfigLoader.load(null, sets);
            KafkaTopics.ensure(cfg);
            long written = Benchmark.preload(
                    cfg,
                    new Benchmark.Options(
                            o.events(), o.accounts(), o.dealsPerAccount(), o.seed(), sets, o.workDir(), o.progress()),
                    new BitSet(o.accounts()));
            o.progress().accept(String.format("pre-loaded %,d records", written));
            for (int p : o.parallelisms()) {
                runs.add(runAt(p, written, sets, o));
            }
        }
        return runs;
    }

    private static Run runAt(int parallelism, long events, List<String> sets, Options o) throws Exception {
        int taskManagers = (parallelism + 1) / 2;
        try (StandaloneCluster cluster = StandaloneCluster.ofBuild(
                o.workDir().resolve("flink-" + parallelism),
                o.toolsTarget(),
                Map.of("taskmanager.numberOfTaskSlots", "2", "parallelism.default", Integer.toString(parallelism)))) {
            cluster.startJobManager();
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager();
            }
            String name = "scale-" + parallelism + "-" + System.currentTimeMillis();
            List<String> args = new ArrayList<>(List.of("--bounded", "--no-create-topics"));
            for (String s : sets) {
                args.addAll(List.of("--set", s));
            }
            args.addAll(List.of(
                    "--set", "job.parallelism=" + parallelism,
                    "--set", "kafka.group-id=" + name,
                    "--set", "kafka.transactional-id-prefix=" + name));
            String job = cluster.submit(o.jobJar(), args, null);
            o.progress()
                    .accept(String.format(
                            "parallelism %d: job %s on %d TaskManager%s of 2 slots",
                            parallelism, job, taskManagers, taskManagers == 1 ? "" : "s"));
            long deadline = System.nanoTime() + o.timeout().toNanos();
            long note = System.nanoTime() + NOTE_EVERY.toNanos();
            while (!ENDED.contains(cluster.jobState(job))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the job at parallelism " + parallelism + " did not end within " + o.timeout());
                }
                if (System.nanoTime() >= note) {
                    o.progress().accept("parallelism " + parallelism + ": " + cluster.jobState(job));
                    note += NOTE_EVERY.toNanos();
                }
                LockSupport.parkNanos(500_000_000L); // polling the cluster's REST API, bounded above
            }
            String state = cluster.jobState(job);
            if (!state.equals("FINISHED")) {
                throw new IllegalStateException("the job at parallelism " + parallelism + " ended " + state
                        + "; logs in " + o.workDir().resolve("flink-" + parallelism));
            }
            JsonNode detail = cluster.get("/jobs/" + job);
            double seconds = detail.path("duration").asLong() / 1000.0;
            List<Vertex> vertices = vertices(cluster, job, detail);
            Run run = new Run(parallelism, taskManagers, events, seconds, events / seconds, vertices);
            o.progress().accept(describe(run));
            return run;
        }
    }

    /** Each vertex's received records, bytes and busy time per subtask, from the REST API of a finished job. */
    static List<Vertex> vertices(StandaloneCluster cluster, String job, JsonNode detail) {
        Set<String> keyed = new HashSet<>();
        for (JsonNode node : cluster.get("/jobs/" + job + "/plan").path("plan").path("nodes")) {
            for (JsonNode input : node.path("inputs")) {
                if ("HASH".equals(input.path("ship_strategy").asText())) {
                    keyed.add(node.path("id").asText());
                }
            }
        }
        List<Vertex> out = new ArrayList<>();
        for (JsonNode v : detail.path("vertices")) {
            String id = v.path("id").asText();
            JsonNode subtasks = cluster.get("/jobs/" + job + "/vertices/" + id).path("subtasks");
            long records = 0;
            long bytes = 0;
            long maxRecords = 0;
            long busy = 0;
            long maxBusy = 0;
            int n = 0;
            for (JsonNode s : subtasks) {
                JsonNode m = s.path("metrics");
                long r = m.path("read-records").asLong();
                long b = Math.max(0, m.path("accumulated-busy-time").asLong());
                records += r;
                bytes += m.path("read-bytes").asLong();
                maxRecords = Math.max(maxRecords, r);
                busy += b;
                maxBusy = Math.max(maxBusy, b);
                n++;
            }
            out.add(new Vertex(
                    v.path("name").asText(),
                    keyed.contains(id),
                    n,
                    records,
                    bytes,
                    maxRecords,
                    records == 0 ? 0 : maxRecords / ((double) records / n),
                    busy,
                    maxBusy,
                    busy == 0 ? 0 : maxBusy / ((double) busy / n)));
        }
        return out;
    }

    /** The run as lines: events/s, then every keyed vertex's skew. */
    public static String describe(Run r) {
        StringBuilder b = new StringBuilder(String.format(
                "parallelism %d (%d TaskManager%s): %,d events in %.1f s = %,.0f events/s; keyed vertices "
                        + "(records in, busiest subtask against the mean: records, busy time; bytes per record):",
                r.parallelism(),
                r.taskManagers(),
                r.taskManagers() == 1 ? "" : "s",
                r.events(),
                r.seconds(),
                r.eventsPerSecond()));
        for (Vertex v : r.vertices()) {
            if (!v.keyed()) {
                continue;
            }
            b.append(String.format(
                    "%n  %-4s %-40s %,12d  %5.2fx  %5.2fx  %5.0f B%s",
                    v.withinTarget() ? "ok" : "SKEW",
                    shortName(v.name()),
                    v.records(),
                    v.recordsSkew(),
                    v.busySkew(),
                    v.records() == 0 ? 0.0 : (double) v.bytes() / v.records(),
                    v.records() == 0 ? "  (no records)" : ""));
        }
        return b.toString();
    }

    /** A chain's name without what is chained after its head, at most 40 characters. */
    static String shortName(String chain) {
        String head = chain.split(" -> ", 2)[0];
        return head.length() <= 40 ? head : head.substring(0, 39) + "…";
    }
}
