package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.DurationConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.router.AlertRouter;
import dev.revstream.router.LocalWebhook;
import dev.revstream.tools.generator.GeneratorRunner;
import dev.revstream.tools.kafka.EmbeddedKafka;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.wallboard.Wallboard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The embedded default, end to end: a Kafka broker, the job on the embedded Flink, the funnel
 * generator, and a status line every few seconds. Everything lives in a temporary directory that
 * is removed at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Start Kafka, run revstream on an embedded Flink and feed it a synthetic funnel; print live status.")
public class DemoCommand implements Callable<Integer> {
    /**
     * The generator's business clock runs days per minute in the past, so event time must not
     * follow the wall clock and the future check must not judge it; windows are short so the
     * status moves.
     */
    static final String[] DEMO_DEFAULTS = {
        "time.follow-wall-clock=false",
        "ingest.max-future=0",
        "time.out-of-orderness=5m",
        // every partition gets a heartbeat each business hour (0.4 s); during the warm-up's burst a
        // partition the consumer does not fetch for 10 s would be idle and its records late when fetched
        "time.idle-timeout=60s",
        "dataquality.window=5s",
        "dataquality.grace=1s",
        "job.checkpoint-interval=2s",
        "job.rest-port=0",
        "generator.malformed-share=0.02",
        "generator.start-ago=75d",
        "generator.warmup=60d",
        // some of the funnel as its vendors send it (docs/sources.md): the generator speaks each format read
        "ingest.formats.revops.segment=segment",
        "ingest.formats.revops.hubspot=hubspot",
        "ingest.formats.revops.salesforce=salesforce-cdc",
        "ingest.formats.revops.stripe=stripe",
        "ingest.formats.revops.crm-cdc=debezium",
        // monthly windows too: the learned forecast (revops.forecasts), the waterfall and quota attainment
        "kpi.windows=1d,1M",
    };

    @Mixin
    CommonOptions common;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "stop after this long, e.g. 60s (default: until Ctrl-C)")
    Duration duration;

    @Option(
            names = "--rate",
            defaultValue = "500",
            description = "generated records per second at most (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--accounts",
            defaultValue = "5000",
            description = "accounts the generator simulates (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(
            names = "--wallboard-port",
            defaultValue = "8080",
            description = "wallboard port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int wallboardPort;

    @Option(
            names = "--status-every",
            converter = DurationConverter.class,
            defaultValue = "5s",
            description = "status interval (default: ${DEFAULT-VALUE})")
    Duration statusEvery;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("revstream-demo-");
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                cleanedUp.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka"), 0, Map.of()).start();
                LocalWebhook webhook = new LocalWebhook()) {
            List<String> defaults = new ArrayList<>(List.of(DEMO_DEFAULTS));
            defaults.add("kafka.bootstrap-servers=" + kafka.bootstrapServers());
            // the alert router posts warnings and worse to a local receiver, as it would to Slack
            defaults.add("router.channels.demo-slack.url=" + webhook.url());
            defaults.add("router.channels.demo-slack.format=slack");
            defaults.add("router.channels.demo-slack.min-severity=warning");
            defaults.add("router.state-dir=" + work.resolve("router"));
            defaults.add("kpi.quotas=" + DemoQuotas.write(work.resolve("quotas.yaml")));
            RevstreamConfig cfg = common.load(defaults.toArray(String[]::new));
            KafkaTopics.ensure(cfg);
            System.out.println("Kafka:  " + kafka.bootstrapServers() + "  (try: kcat -b " + kafka.bootstrapServers()
                    + " -C -t " + cfg.topics().events() + ")");
            try (LocalFlink flink = LocalFlink.start(
                            work.resolve("flink"),
                            1,
                            cfg.job().parallelism(),
                            cfg.job().restPort(),
                            cfg.job().stateMemoryBytes());
                    StatusBoard board = new StatusBoard(cfg)) {
                System.out.println("Flink:  " + flink.restAddress() + "  (REST API)");
                JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
                Wallboard wallboard = new Wallboard(cfg, "127.0.0.1", wallboardPort);
                System.out.println("Board:  http://127.0.0.1:" + wallboard.port() + "/  (the live wallboard)");
                AlertRouter router = new AlertRouter(cfg, Map.of());
                Thread routing = new Thread(router::run, "revstream-alert-router");
                routing.setDaemon(true);
                routing.start();
                GeneratorRunner generator = new GeneratorRunner(cfg, seed, accounts, rate);
                Thread gen = new Thread(() -> generator.run(null, stop::get), "revstream-generator");
                gen.setDaemon(true);
                gen.start();
                long started = System.nanoTime();
                long nextStatus = started;
                while (!stop.get()) {
                    long now = System.nanoTime();
                    if (duration != null && now - started >= duration.toNanos()) {
                        break;
                    }
                    if (now >= nextStatus) {
                        print(
                                Duration.ofNanos(now - started),
                                generator.stats(),
                                board,
                                flink.accumulators(job),
                                flink.completedCheckpoints(job),
                                flink.status(job).name(),
                                webhook);
                        nextStatus += statusEvery.toNanos();
                    }
                    LockSupport.parkNanos(100_000_000L); // the status cadence, not a wait for anything
                }
                stop.set(true);
                router.stop();
                routing.join(10_000);
                router.close();
                wallboard.close();
                gen.join(10_000);
                print(
                        Duration.ofNanos(System.nanoTime() - started),
                        generator.stats(),
                        board,
                        flink.accumulators(job),
                        flink.completedCheckpoints(job),
                        "STOPPING",
                        webhook);
                flink.cancel(job);
            }
        } finally {
            deleteRecursively(work);
            cleanedUp.countDown();
        }
        System.out.println("demo stopped.");
        return 0;
    }

    private static void print(
            Duration elapsed,
            GeneratorRunner.Stats gen,
            StatusBoard b,
            Map<String, Object> job,
            long checkpoints,
            String state,
            LocalWebhook webhook) {
        System.out.printf(
                "[%3ds] business %s | generated %d (%d malformed, %d duplicates) | %s | checkpoints %d | job %s%n",
                elapsed.toSeconds(),
                gen.businessTime.get() == 0
                        ? "-"
                        : Instant.ofEpochMilli(gen.businessTime.get())
                                .toString()
                                .substring(0, 16),
                gen.total(),
                gen.malformed.get(),
                gen.duplicates.get(),
                b.counts(job),
                checkpoints,
                state);
        b.printNews(System.out);
        if (webhook != null && webhook.received() > 0) {
            System.out.printf(
                    "  webhook (alert router -> local receiver): %d alerts delivered; latest: %s%n",
                    webhook.received(), webhook.latest());
        }
    }

    static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
