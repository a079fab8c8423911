package dev.revstream.tools.runner;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.KafkaIo;
import dev.revstream.job.RevstreamJob;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.TopicPartition;

/** Starts revstream's job on the embedded Flink against the configured Kafka. */
public final class LocalRunner {
    private LocalRunner() {}

    /**
     * Creates missing topics, wires the job with Kafka input and output and submits it.
     *
     * @param asOf a bounded run's as-of time (epoch ms), or null
     */
    public static JobID submit(LocalFlink flink, RevstreamConfig cfg, RunKind kind, Long asOf) {
        return submit(flink, cfg, kind, asOf, null, null);
    }

    /**
     * @param stopAt where a bounded run stops, or null
     * @param restoreFrom a savepoint or retained checkpoint to start from, or null
     */
    public static JobID submit(
            LocalFlink flink,
            RevstreamConfig cfg,
            RunKind kind,
            Long asOf,
            Map<TopicPartition, Long> stopAt,
            String restoreFrom) {
        return submit(flink, cfg, kind, asOf, null, stopAt, restoreFrom, null);
    }

    /**
     * A bounded replay of what the pre-scan found: it stops at the scan's end offsets, its KPI
     * windows start at the earliest accepted event, and its as-of time is {@code asOf} or the latest.
     */
    public static JobID submitBounded(
            LocalFlink flink, RevstreamConfig cfg, AsOfScanner.Span span, Long asOf, String restoreFrom) {
        return submit(
                flink,
                cfg,
                RunKind.BOUNDED,
                asOf != null ? asOf : span.latest(),
                span.earliest(),
                span.endOffsets(),
                restoreFrom,
                span.disorderMillis());
    }

    private static JobID submit(
            LocalFlink flink,
            RevstreamConfig cfg,
            RunKind kind,
            Long asOf,
            Long earliest,
            Map<TopicPartition, Long> stopAt,
            String restoreFrom,
            Long disorderMillis) {
        KafkaTopics.ensure(cfg);
        StreamExecutionEnvironment env = flink.environment();
        if (restoreFrom != null) {
            Configuration c = new Configuration();
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            env.configure(c);
        }
        RevstreamJob.configure(env, cfg, asOf, earliest);
        RevstreamJob.build(env, cfg, kind, KafkaIo.io(cfg, kind, stopAt), disorderMillis);
        return flink.submit(env, "revstream-" + kind.name().toLowerCase(Locale.ROOT));
    }
}
