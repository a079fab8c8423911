package dev.revstream.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The playground a user starts first: {@code revstream generate} at its defaults for a few seconds
 * writes a funnel in which the job finds alerts and recommendations (before, the defaults wrote a
 * few dozen records and no alert): the first 60 business days are written at once.
 */
class GenerateDefaultsTest {
    @Test
    void aFewSecondsOfTheDefaultGeneratorGiveTheJobAlertsAndRecommendations() throws Exception {
        RevstreamConfig cfg = Infra.config("generate-defaults");
        KafkaTopics.ensure(cfg);
        List<String> args = new ArrayList<>(List.of(
                "generate",
                "--bootstrap",
                cfg.kafka().bootstrapServers(),
                "--duration",
                "4s",
                "--accounts", // a fifth of the default, to keep the suite short: the history is what matters
                "1000"));
        for (String set : Infra.topicSets(cfg.kafka().groupId())) {
            args.addAll(List.of("--set", set));
        }
        assertThat(CommandLine.class.cast(Revstream.commandLine()).execute(args.toArray(String[]::new)))
                .isZero();

        LocalFlink flink = Infra.flink();
        AsOfScanner.Span span = AsOfScanner.scan(cfg);
        System.out.printf("generate, 4 s at the defaults (1,000 accounts): %d accepted events%n", span.accepted());
        JobID job = LocalRunner.submitBounded(flink, cfg, span, null, null);
        assertThat(flink.awaitResult(job, Duration.ofMinutes(3)).isSuccess()).isTrue();
        String b = cfg.kafka().bootstrapServers();
        int alerts = TopicIo.readAll(b, cfg.topics().alerts(), true).size();
        int actions = TopicIo.readAll(b, cfg.topics().actions(), true).size();
        System.out.printf("  the job's alerts %d, recommendation records %d%n", alerts, actions);
        assertThat(alerts).as("alerts").isGreaterThanOrEqualTo(10);
        assertThat(actions).as("recommendations").isGreaterThanOrEqualTo(10);
    }
}
