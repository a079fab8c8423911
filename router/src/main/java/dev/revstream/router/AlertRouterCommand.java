package dev.revstream.router;

import dev.revstream.cli.CommandLines;
import dev.revstream.cli.CommonOptions;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the alert router until stopped: Ctrl-C or SIGTERM finish the batch in flight and commit it. */
@Command(
        name = "alert-router",
        mixinStandardHelpOptions = true,
        description =
                "Deliver revops.alerts to the webhooks of router.channels (Slack or JSON), at least once, until stopped.")
public class AlertRouterCommand implements Callable<Integer> {
    /** The deployable's own entry point ({@code java -jar revstream-router.jar [options]}); the CLI runs it as a subcommand. */
    public static void main(String[] args) {
        System.exit(CommandLines.of(new AlertRouterCommand()).execute(args));
    }

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        RevstreamConfig cfg = common.loadForKafka();
        KafkaTopics.ensure(cfg);
        CountDownLatch done = new CountDownLatch(1);
        try (AlertRouter router = new AlertRouter(cfg, System.getenv())) {
            Thread hook = new Thread(() -> {
                router.stop();
                try {
                    done.await(
                            2
                                            * cfg.router().requestTimeout().toSeconds()
                                            * cfg.router().attempts()
                                    + 10,
                            TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("alert router running; Ctrl-C stops it after the alerts in flight");
            try {
                router.run();
            } finally {
                done.countDown();
            }
        }
        return 0;
    }
}
