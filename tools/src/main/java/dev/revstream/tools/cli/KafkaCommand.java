package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the embedded Kafka broker alone until stopped, with every topic of the configuration created
 * (the configured partitions), so that a producer can write to the input topics at once.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until stopped with Ctrl-C.")
public class KafkaCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--port", defaultValue = "9092", description = "client port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = ".revstream/kafka",
            description = "log directory, kept between runs (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), port, Map.of()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            stopped.countDown();
        }));
        RevstreamConfig cfg = common.load("kafka.bootstrap-servers=" + kafka.bootstrapServers());
        List<String> created = KafkaTopics.ensure(cfg);
        System.out.println("Kafka is serving on " + kafka.bootstrapServers() + " (data in " + dataDir.toAbsolutePath()
                + "); Ctrl-C stops it.");
        System.out.println("input topics: " + String.join(", ", cfg.inputTopics())
                + (created.isEmpty() ? "" : " (" + created.size() + " topics created)")
                + "; ./revstream topics checks them all");
        stopped.await();
        return 0;
    }
}
