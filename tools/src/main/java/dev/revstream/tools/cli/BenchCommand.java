package dev.revstream.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.DurationConverter;
import dev.revstream.tools.bench.Benchmark;
import dev.revstream.tools.bench.LatencyBench;
import dev.revstream.tools.bench.ScaleOut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The reproducible benchmark: ceiling (read + parse) against the full job on the same data. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark the job: pre-load generator data, then measure the read-and-parse ceiling and the full job.",
            "With --rate: write events at that rate to the live job and measure event-to-output latency instead."
        })
public class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(
            names = "--events",
            defaultValue = "300000",
            description = "records to pre-load (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--accounts",
            defaultValue = "10000",
            description = "accounts the generator simulates (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(
            names = "--deals-per-account",
            defaultValue = "1",
            description = "new-business deals each account that reaches SQL opens at once (default: ${DEFAULT-VALUE})")
    int dealsPerAccount;

    @Option(names = "--seed", defaultValue = "42", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;

    @Option(
            names = "--rate",
            paramLabel = "N",
            description = "latency mode: write N events/s to the live job and report the "
                    + "distribution of event-to-output delays instead of throughput")
    Double rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "latency mode: how long to write (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "15s",
            converter = DurationConverter.class,
            description =
                    "latency mode: the first part of the run not counted (start-up, JIT) (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(
            names = "--delivery",
            split = ",",
            defaultValue = "at-least-once,exactly-once",
            description = "latency mode: delivery modes to run in turn (default: ${DEFAULT-VALUE})")
    List<String> deliveries;

    @Option(
            names = "--scale-out",
            split = ",",
            paramLabel = "P",
            description = "scale-out mode: replay the data on a Flink standalone cluster (TaskManagers of two slots,"
                    + " processes of their own) at each parallelism P in turn, and report for every keyed operator the"
                    + " records its busiest subtask received against the mean (e.g. 1,2,4,8)")
    List<Integer> scaleOut;

    @Option(
            names = "--timeout",
            defaultValue = "60m",
            converter = DurationConverter.class,
            description = "scale-out mode: how long one run may take (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (common.config != null || common.bootstrap != null) {
            System.err.println(
                    "revstream: bench starts its own broker; --config and --bootstrap are ignored (use --set)");
        }
        Path work = Files.createTempDirectory("revstream-bench-");
        try {
            if (rate != null) {
                return latency(work);
            }
            if (scaleOut != null) {
                return scaleOut(work);
            }
            Benchmark.Result r = Benchmark.run(new Benchmark.Options(
                    events, accounts, dealsPerAccount, seed, common.sets, work, System.out::println));
            System.out.printf(
                    "ceiling %,.0f events/s | full %,.0f events/s | full/ceiling %.2f%n",
                    r.ceiling().eventsPerSecond(),
                    r.full().eventsPerSecond(),
                    r.full().eventsPerSecond() / r.ceiling().eventsPerSecond());
            if (json != null) {
                Files.writeString(json, r.json().toPrettyString());
                System.out.println("wrote " + json);
            }
            return 0;
        } finally {
            DemoCommand.deleteRecursively(work);
        }
    }

    private int scaleOut(Path work) throws Exception {
        if (scaleOut.isEmpty() || scaleOut.stream().anyMatch(p -> p < 1)) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--scale-out: parallelisms of 1 or more, e.g. 1,2,4,8");
        }
        Path home = Path.of(System.getProperty("revstream.home", "")).toAbsolutePath();
        Path jobJar = home.resolve("job/target/revstream-job.jar");
        Path toolsTarget = home.resolve("tools/target");
        if (!Files.isRegularFile(jobJar) || !Files.isDirectory(toolsTarget.resolve("flink-dist"))) {
            System.err.println("revstream: --scale-out needs the built job jar (" + jobJar + ") and Flink's"
                    + " class path (" + toolsTarget.resolve("flink-dist") + "): run mvn package first");
            return 2;
        }
        List<ScaleOut.Run> runs = ScaleOut.run(new ScaleOut.Options(
                events,
                accounts,
                dealsPerAccount,
                seed,
                scaleOut,
                common.sets,
                work,
                jobJar,
                toolsTarget,
                timeout,
                System.out::println));
        System.out.println();
        runs.forEach(r -> System.out.println(ScaleOut.describe(r)));
        writeRuns(runs, root -> {
            root.put("events", events);
            root.put("targetSkew", ScaleOut.TARGET_SKEW);
        });
        return 0;
    }

    private int latency(Path work) throws Exception {
        for (String d : deliveries) {
            if (!d.equals("at-least-once") && !d.equals("exactly-once")) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this),
                        "--delivery: '" + d + "' is neither at-least-once nor exactly-once");
            }
        }
        if (rate <= 0 || !warmup.minus(duration).isNegative()) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--rate must be positive and --warmup shorter than --duration");
        }
        var runs = LatencyBench.run(new LatencyBench.Options(
                rate, duration, warmup, accounts, seed, deliveries, common.sets, work, System.out::println));
        for (var r : runs) {
            System.out.printf(
                    "%s (out-of-orderness %s, watermarks every %s, checkpoints every %s): %,d events at %,.0f/s%n",
                    r.delivery(),
                    r.outOfOrderness(),
                    r.watermarkInterval(),
                    r.checkpointInterval(),
                    r.sent(),
                    r.achievedRate());
            r.latency()
                    .forEach((k, p) -> System.out.printf(
                            "  %-68s n=%,7d  p50 %,6d ms  p99 %,6d ms  p99.9 %,6d ms  max %,6d ms%n",
                            k, p.count(), p.p50(), p.p99(), p.p999(), p.max()));
            System.out.printf(
                    "  journey: %,d events in, %,d firings, %,d applied in order, %,d corrected (behind their account)%n",
                    r.journey().eventsIn(),
                    r.journey().firings(),
                    r.journey().applied(),
                    r.journey().corrected());
        }
        writeRuns(runs, root -> root.put("rate", rate));
        return 0;
    }

    /** With --json: the runs and what they ran on, with the mode's own fields. */
    private void writeRuns(List<?> runs, java.util.function.Consumer<ObjectNode> fields) throws java.io.IOException {
        if (json == null) {
            return;
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        fields.accept(root);
        root.put("accounts", accounts);
        root.put("seed", seed);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.set("runs", m.valueToTree(runs));
        Files.writeString(json, root.toPrettyString());
        System.out.println("wrote " + json);
    }
}
