package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.InstantConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.job.RunSummary;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the job on the embedded Flink against the configured Kafka. */
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

    @Override
    public Integer call() throws Exception {
        if (asOf != null && !bounded) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--as-of needs --bounded");
        }
        RevstreamConfig cfg = common.load();
        Path state = Path.of(cfg.job().stateDir()).toAbsolutePath();
        try (LocalFlink flink =
                LocalFlink.start(state, 1, cfg.job().parallelism(), cfg.job().restPort())) {
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
            JobResult result = flink.awaitResult(job, Duration.ofDays(3650));
            done.countDown();
            return result.isSuccess() ? 0 : 1;
        }
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
            System.err.println("the bounded run failed: "
                    + result.getSerializedThrowable()
                            .map(t -> t.getFullStringifiedStackTrace())
                            .orElse("unknown cause"));
            return 1;
        }
        System.out.println(
                "bounded run finished: " + RunSummary.sentence(RunSummary.counts(result)) + "; outputs are committed.");
        return 0;
    }

    private static String time(Long millis) {
        return millis == null ? "-" : Instant.ofEpochMilli(millis).toString();
    }
}
