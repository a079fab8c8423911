package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.DurationConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.tools.generator.GeneratorRunner;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
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
    public Integer call() {
        RevstreamConfig cfg = common.loadForKafka();
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        GeneratorRunner runner = new GeneratorRunner(
                cfg, seed, accounts == null ? cfg.generator().accounts() : accounts, rate);
        GeneratorRunner.Stats s = runner.run(duration, stop::get);
        System.out.printf(
                "wrote %d records: %d valid, %d malformed, %d duplicates, %d heartbeats%n",
                s.total(), s.valid.get(), s.malformed.get(), s.duplicates.get(), s.heartbeats.get());
        return 0;
    }
}
