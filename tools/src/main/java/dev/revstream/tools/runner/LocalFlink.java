package dev.revstream.tools.runner;

import dev.revstream.job.RunSummary;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded Flink: a MiniCluster in this JVM with the RocksDB state backend and file
 * checkpoints under a work directory. The same job graph runs here as on a cluster; this is just
 * the default place to run it. Tests share one per JVM.
 */
public final class LocalFlink implements AutoCloseable {
    private final MiniCluster cluster;
    private final Configuration config;

    private LocalFlink(MiniCluster cluster, Configuration config) {
        this.cluster = cluster;
        this.config = config;
    }

    /**
     * @param workDir checkpoints and temporary files go below it
     * @param restPort the REST API / web UI port, 0 for any free one
     */
    public static LocalFlink start(Path workDir, int taskManagers, int slotsPerTaskManager, int restPort) {
        return start(workDir, taskManagers, slotsPerTaskManager, restPort, new Configuration());
    }

    /**
     * @param stateMemoryBytes managed memory of each TaskManager: RocksDB's block cache and write buffers
     *     ({@code job.state-memory})
     */
    public static LocalFlink start(
            Path workDir, int taskManagers, int slotsPerTaskManager, int restPort, long stateMemoryBytes) {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, new MemorySize(stateMemoryBytes));
        return start(workDir, taskManagers, slotsPerTaskManager, restPort, c);
    }

    /** @param extra options over the defaults (the benchmark's metric reporter, the state memory) */
    public static LocalFlink start(
            Path workDir, int taskManagers, int slotsPerTaskManager, int restPort, Configuration extra) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                workDir.resolve("checkpoints").toUri().toString());
        c.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                workDir.resolve("savepoints").toUri().toString());
        c.set(CoreOptions.TMP_DIRS, workDir.resolve("tmp").toString());
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.PORT, restPort);
        // TaskManagers report accumulators with their heartbeat: every 2 s keeps the status line's counts fresh
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofMillis(200));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(10));
        c.addAll(extra);
        MiniClusterConfiguration mc = new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slotsPerTaskManager)
                .build();
        MiniCluster cluster = new MiniCluster(mc);
        try {
            cluster.start();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Flink did not start: " + e.getMessage(), e);
        }
        return new LocalFlink(cluster, c);
    }

    /** A fresh environment whose jobs run on this cluster when passed to {@link #submit}. */
    public StreamExecutionEnvironment environment() {
        return new StreamExecutionEnvironment(new Configuration(config));
    }

    /** Submits what was wired onto {@code env}. */
    public JobID submit(StreamExecutionEnvironment env, String jobName) {
        try {
            var graph = env.getStreamGraph();
            graph.setJobName(jobName);
            return cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
        } catch (Exception e) {
            throw new IllegalStateException("job submission failed: " + rootMessage(e), e);
        }
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /** Checkpoints the job completed so far (0 when none or unknown). */
    public long completedCheckpoints(JobID job) {
        try {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
            CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
            return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * The running job's accumulators ({@link RunSummary}'s counts), as its TaskManagers last reported
     * them with their heartbeat; empty when unknown.
     */
    public Map<String, Object> accumulators(JobID job) {
        try {
            return RunSummary.counts(
                    cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getAccumulatorsSerialized());
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Waits for the job to end and returns how it ended. */
    public JobResult awaitResult(JobID job, Duration timeout) throws Exception {
        return cluster.requestJobResult(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
    }

    public URI restAddress() throws Exception {
        return cluster.getRestAddress().get(30, TimeUnit.SECONDS);
    }

    /** The underlying MiniCluster, for failure injection in tests. */
    public MiniCluster miniCluster() {
        return cluster;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
