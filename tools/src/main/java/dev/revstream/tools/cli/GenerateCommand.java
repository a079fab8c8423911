package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.DurationConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.tools.generator.GeneratorRunner;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the synthetic funnel generator into a running Kafka. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Write a synthetic B2B funnel into the input topics of a running Kafka.")
public class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "records per second at most; 0 for no limit (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "stop after this long, e.g. 60s (default: until done)")
    Duration duration;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "random seed; the same seed writes the same records (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--accounts", description = "accounts to simulate (default: generator.accounts)")
    Integer accounts;

    @Override
    public Integer call() throws Exception {
        RevstreamConfig cfg = common.loadForKafka();
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        GeneratorRunner runner = new GeneratorRunner(
                cfg, seed, accounts == null ? cfg.generator().accounts() : accounts, rate);
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        runner.run(duration, stop::get);
                    } catch (RuntimeException e) {
                        failed.set(e);
                    }
                },
                "revstream-generator");
        writer.start();
        long started = System.nanoTime();
        long next = started + PROGRESS_EVERY.toNanos();
        while (writer.isAlive()) {
            if (System.nanoTime() >= next) {
                progress(runner.stats(), Duration.ofNanos(System.nanoTime() - started));
                next += PROGRESS_EVERY.toNanos();
            }
            writer.join(100); // the progress cadence, not a wait for anything else
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        GeneratorRunner.Stats s = runner.stats();
        System.out.printf(
                "wrote %d records: %d valid, %d malformed, %d duplicates, %d heartbeats%n",
                s.total(), s.valid.get(), s.malformed.get(), s.duplicates.get(), s.heartbeats.get());
        return 0;
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private static void progress(GeneratorRunner.Stats s, Duration elapsed) {
        System.out.printf(
                "[%3ds] business %s | written %d (%d valid, %d malformed, %d duplicates, %d heartbeats)%n",
                elapsed.toSeconds(),
                s.businessTime.get() == 0
                        ? "-"
                        : java.time.Instant.ofEpochMilli(s.businessTime.get())
                                .toString()
                                .substring(0, 16),
                s.total(),
                s.valid.get(),
                s.malformed.get(),
                s.duplicates.get(),
                s.heartbeats.get());
    }
}
