package dev.revstream.collector;

import dev.revstream.cli.CommandLines;
import dev.revstream.cli.CommonOptions;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.ingest.SourceFormat;
import dev.revstream.kafka.KafkaTopics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the webhook collector until stopped (Ctrl-C, SIGTERM): requests in flight finish first. */
@Command(
        name = "collect",
        mixinStandardHelpOptions = true,
        description = "Take Segment, HubSpot and Stripe webhooks over HTTP, check their signatures and write them to"
                + " Kafka for the job (docs/sources.md), until stopped.")
public class CollectCommand implements Callable<Integer> {
    /** The deployable's own entry point (its shaded jar, with a logging back end on the class path). */
    public static void main(String[] args) {
        System.exit(CommandLines.of(new CollectCommand()).execute(args));
    }

    @Mixin
    CommonOptions common;

    @Option(names = "--port", description = "the port to listen on (default: collect.port)")
    Integer port;

    @Override
    public Integer call() throws Exception {
        RevstreamConfig cfg = common.loadForKafka();
        KafkaTopics.ensure(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        try (WebhookCollector collector = new WebhookCollector(cfg, System.getenv())) {
            // the topics of the endpoints that are on exist, even when the job does not read them (yet)
            Map<String, Map<String, String>> topics = new TreeMap<>();
            collector
                    .topics()
                    .forEach(t -> topics.put(
                            t,
                            Map.of(
                                    "max.message.bytes",
                                    Integer.toString(cfg.kafka().maxRecordBytes()))));
            KafkaTopics.ensure(
                    KafkaTopics.clientProperties(cfg),
                    topics,
                    cfg.kafka().topicPartitions(),
                    cfg.kafka().topicReplication());
            for (String warning : unread(cfg, collector.topics())) {
                System.err.println("revstream: " + warning);
            }
            collector.start(port != null ? port : cfg.collect().port());
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.println("collector listening on http://" + cfg.collect().bindAddress() + ":" + collector.port());
            collector.describe().forEach(l -> System.out.println("  " + l));
            stopped.await();
        }
        return 0;
    }

    /** Endpoints that are on whose topic the job does not read in the endpoint's format: their records would wait. */
    static List<String> unread(RevstreamConfig cfg, Collection<String> served) {
        List<String> out = new ArrayList<>();
        cfg.collect().endpoints().forEach((vendor, e) -> {
            if (!served.contains(e.topic())) {
                return;
            }
            SourceFormat f = cfg.ingest().formats().get(e.topic());
            if (f == null || f != SourceFormat.forName(vendor) && f != SourceFormat.AUTO) {
                out.add("collect." + vendor + ".topic is " + e.topic() + ", which the job does not read as " + vendor
                        + ": add ingest.formats." + e.topic() + ": " + vendor + " to the job's configuration");
            }
        });
        return out;
    }
}
