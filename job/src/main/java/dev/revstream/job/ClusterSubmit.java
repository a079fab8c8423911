package dev.revstream.job;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.InstantConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The job jar's entry point on a Flink cluster ({@code flink run revstream-job.jar ...}): the same
 * configuration options as the CLI, the same job graph, on the cluster's execution environment.
 */
@Command(
        name = "revstream-job",
        mixinStandardHelpOptions = true,
        description = "Submit revstream to the Flink cluster this runs on (flink run revstream-job.jar [options]).")
public class ClusterSubmit implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--bounded", description = "read the input topics up to their current end, then finish")
    boolean bounded;

    @Option(names = "--as-of", converter = InstantConverter.class, description = "with --bounded: the as-of time")
    Instant asOf;

    @Option(
            names = "--create-topics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "create missing topics before submitting (default: ${DEFAULT-VALUE})")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        RevstreamConfig cfg = common.load();
        if (createTopics) {
            try {
                // a topic that would break the job (record size, compaction) stops it here with its name
                KafkaTopics.requireUsable(cfg).forEach(a -> System.err.println("revstream: topic advice: " + a));
            } catch (IllegalStateException e) {
                System.err.println("revstream: could not create missing topics (" + e.getMessage() + "); continuing");
            }
        }
        RunKind kind = bounded ? RunKind.BOUNDED : RunKind.LIVE;
        Long at = null;
        Long earliest = null;
        Map<TopicPartition, Long> stopAt = null;
        Long disorder = null;
        if (bounded) {
            AsOfScanner.Span span = AsOfScanner.scan(cfg);
            at = asOf != null ? Long.valueOf(asOf.toEpochMilli()) : span.latest();
            stopAt = span.endOffsets();
            earliest = span.earliest();
            disorder = span.disorderMillis();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RevstreamJob.configure(env, cfg, at, earliest);
        RevstreamJob.build(env, cfg, kind, KafkaIo.io(cfg, kind, stopAt), disorder);
        env.execute("revstream-" + kind.name().toLowerCase(Locale.ROOT));
        return 0;
    }
}
