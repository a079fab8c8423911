package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.InstantConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.job.RunSummary;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the job on the embedded Flink against the configured Kafka. Live, it prints a status line every
 * few seconds (what the job accepted and rejected, what the output topics hold, read committed, new
 * alerts and recommendations; {@code --quiet} silences it); a bounded run ends with a summary of what
 * it applied, corrected, dead-lettered and left late, and where each went.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the revstream job in an embedded Flink (RocksDB, checkpoints) against the configured Kafka.")
public class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bounded", description = "read the input topics up to their current end, then finish (a replay)")
    boolean bounded;

    @Option(
            names = "--as-of",
            converter = InstantConverter.class,
            description = "with --bounded: the as-of time (default: the latest occurredAt of the accepted input)")
    Instant asOf;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "start from this savepoint or retained checkpoint")
    String fromSavepoint;

    @Option(names = "--quiet", description = "live: no status line")
    boolean quiet;

    @Option(
            names = "--status-every",
            converter = dev.revstream.cli.DurationConverter.class,
            defaultValue = "5s",
            description = "live: how often the status line is printed (default: ${DEFAULT-VALUE})")
    Duration statusEvery;

    @Option(
            names = "--duration",
            converter = dev.revstream.cli.DurationConverter.class,
            description = "live: stop after this long (default: until Ctrl-C)")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        if (asOf != null && !bounded) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--as-of needs --bounded");
        }
        RevstreamConfig cfg = common.loadForKafka();
        // a topic that would break the job (record size, compaction) stops it here, named, before anything starts
        for (String advice : KafkaTopics.requireUsable(cfg)) {
            spec.commandLine().getErr().println("revstream: topic advice: " + advice);
        }
        Path state = Path.of(cfg.job().stateDir()).toAbsolutePath();
        try (LocalFlink flink = LocalFlink.start(
                state,
                1,
                cfg.job().parallelism(),
                cfg.job().restPort(),
                cfg.job().stateMemoryBytes())) {
            System.out.println("Flink REST API: " + flink.restAddress());
            if (bounded) {
                return runBounded(cfg, flink);
            }
            JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null, null, fromSavepoint);
            System.out.println("revstream is running (job " + job + "); Ctrl-C stops it.");
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                try {
                    flink.cancel(job);
                    done.await(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // stopping anyway
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            boolean stoppedByDuration = follow(cfg, flink, job);
            JobResult result = flink.awaitResult(job, Duration.ofDays(3650));
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is what stopped the job
            }
            if (result.isSuccess() || stoppedByDuration) {
                return 0;
            }
            spec.commandLine().getErr().println("revstream: the job failed: " + causes(result));
            return 1;
        }
    }

    /**
     * Until the job ends (or {@code --duration} is over: then cancels it and returns true), prints the
     * status line unless {@code --quiet}.
     */
    private boolean follow(RevstreamConfig cfg, LocalFlink flink, JobID job) throws Exception {
        long started = System.nanoTime();
        long next = started + statusEvery.toNanos();
        try (StatusBoard board = quiet ? null : new StatusBoard(cfg)) {
            while (!flink.status(job).isGloballyTerminalState()) {
                long now = System.nanoTime();
                if (duration != null && now - started >= duration.toNanos()) {
                    if (board != null) {
                        print(board, flink, job, now - started);
                    }
                    flink.cancel(job);
                    return true;
                }
                if (board != null && now >= next) {
                    print(board, flink, job, now - started);
                    next += statusEvery.toNanos();
                }
                LockSupport.parkNanos(100_000_000L); // the status cadence, not a wait for anything
            }
        }
        return false;
    }

    private static void print(StatusBoard board, LocalFlink flink, JobID job, long elapsedNanos) throws Exception {
        System.out.printf(
                "[%3ds] %s | checkpoints %d | job %s%n",
                Duration.ofNanos(elapsedNanos).toSeconds(),
                board.counts(flink.accumulators(job)),
                flink.completedCheckpoints(job),
                flink.status(job).name());
        board.printNews(System.out);
    }

    private int runBounded(RevstreamConfig cfg, LocalFlink flink) throws Exception {
        AsOfScanner.Span span = AsOfScanner.scan(cfg);
        Long at = asOf != null ? Long.valueOf(asOf.toEpochMilli()) : span.latest();
        System.out.printf(
                "pre-scan: %d accepted, %d rejected, %d duplicates; events from %s to %s; as-of %s; disorder %s%n",
                span.accepted(),
                span.rejected(),
                span.duplicates(),
                time(span.earliest()),
                time(span.latest()),
                time(at),
                java.time.Duration.ofMillis(span.disorderMillis()));
        JobID job = LocalRunner.submitBounded(flink, cfg, span, at, fromSavepoint);
        JobResult result = flink.awaitResult(job, Duration.ofDays(3650));
        if (!result.isSuccess()) {
            spec.commandLine().getErr().println("revstream: the bounded run failed: " + causes(result));
            return 1;
        }
        System.out.println(
                "bounded run finished: " + RunSummary.sentence(RunSummary.counts(result)) + "; outputs are committed.");
        System.out.printf(
                "  where to look: normalized events in %s, rejected input (with its error) in %s, events older than"
                        + " the correction horizon in %s, per-source counts in %s%n",
                cfg.topics().events(),
                cfg.topics().deadletter(),
                cfg.topics().late(),
                cfg.topics().dataquality());
        return 0;
    }

    /**
     * Why a job failed: the innermost cause's message (what went wrong, in revstream's words where it
     * was revstream's check), then every cause's class and message, outermost first.
     */
    static String causes(JobResult result) {
        Throwable t = result.getSerializedThrowable()
                .map(s -> s.deserializeError(RunCommand.class.getClassLoader()))
                .orElse(null);
        if (t == null) {
            return "unknown cause";
        }
        Throwable root = t;
        StringBuilder chain = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            chain.append(System.lineSeparator()).append("  ").append(c);
            root = c;
        }
        return (root.getMessage() == null ? root.toString() : root.getMessage()) + System.lineSeparator()
                + "causes, outermost first:" + chain;
    }

    private static String time(Long millis) {
        return millis == null ? "-" : Instant.ofEpochMilli(millis).toString();
    }
}
