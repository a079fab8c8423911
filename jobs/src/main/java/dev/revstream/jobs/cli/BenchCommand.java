package dev.revstream.jobs.cli;

import dev.revstream.jobs.bench.Benchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The reproducible benchmark: ceiling (read + parse) against the full job on the same data. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the job: pre-load generator data, then measure the read-and-parse ceiling and the full job.")
public class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--events", defaultValue = "300000", description = "records to pre-load (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--accounts", defaultValue = "10000", description = "accounts the generator simulates (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--seed", defaultValue = "42", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (common.config != null || common.bootstrap != null) {
            System.err.println("revstream: bench starts its own broker; --config and --bootstrap are ignored (use --set)");
        }
        Path work = Files.createTempDirectory("revstream-bench-");
        try {
            Benchmark.Result r = Benchmark.run(new Benchmark.Options(events, accounts, seed, common.sets, work, System.out::println));
            System.out.printf("ceiling %,.0f events/s | full %,.0f events/s | full/ceiling %.2f%n", r.ceiling().eventsPerSecond(),
                    r.full().eventsPerSecond(), r.full().eventsPerSecond() / r.ceiling().eventsPerSecond());
            if (json != null) {
                Files.writeString(json, r.json().toPrettyString());
                System.out.println("wrote " + json);
            }
            return 0;
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
