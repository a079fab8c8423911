package dev.revstream.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.testing.Infra;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code revstream topics} against a real broker: a dry run creates nothing, a run creates what is missing and checks. */
class TopicsCommandTest {
    private record Result(int code, String out) {}

    private static Result run(List<String> args) {
        CommandLine cl = Revstream.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        return new Result(cl.execute(args.toArray(String[]::new)), out.toString());
    }

    @Test
    void aDryRunCreatesNothingARunCreatesWhatIsMissingAndAWrongTopicIsReported() throws Exception {
        String prefix = "topics-cmd-" + System.nanoTime();
        List<String> args =
                new ArrayList<>(List.of("topics", "--bootstrap", Infra.kafka().bootstrapServers()));
        for (String set : Infra.topicSets(prefix)) {
            args.addAll(List.of("--set", set));
        }
        RevstreamConfig cfg = Infra.config("unused", Infra.topicSets(prefix).toArray(String[]::new));
        // the KPI topic made by hand without compaction: revstream would serve stale windows from it
        KafkaTopics.ensure(
                KafkaTopics.clientProperties(cfg),
                Map.of(cfg.topics().kpis(), Map.of("cleanup.policy", "delete")),
                1,
                (short) 1);

        List<String> dry = new ArrayList<>(args);
        dry.add("--dry-run");
        Result plan = run(dry);
        assertThat(plan.code()).isEqualTo(1);
        assertThat(plan.out())
                .containsPattern(Pattern.quote(cfg.topics().touchpoints()) + " +missing, would be created");
        assertThat(KafkaTopics.check(cfg))
                .filteredOn(KafkaTopics.TopicState::exists)
                .extracting(KafkaTopics.TopicState::topic)
                .containsExactly(cfg.topics().kpis());

        Result made = run(args);
        assertThat(made.out())
                .containsPattern(Pattern.quote(cfg.topics().touchpoints()) + " +created: "
                        + cfg.kafka().topicPartitions() + " partitions")
                .contains("! cleanup.policy is delete, revstream needs compact")
                .contains("1 topic(s) not as revstream needs them");
        assertThat(made.code()).isEqualTo(1);
        assertThat(KafkaTopics.check(cfg)).allMatch(KafkaTopics.TopicState::exists);
        // the job refuses to start on it, naming the topic and the fix, before anything runs
        List<String> runArgs = new ArrayList<>(args);
        runArgs.set(0, "run");
        runArgs.addAll(
                List.of("--duration", "5s", "--set", "job.state-dir=" + Files.createTempDirectory("topics-run")));
        CommandLine cl = Revstream.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(runArgs.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString())
                .contains("are not as the job needs them")
                .contains(cfg.topics().kpis() + ": cleanup.policy is delete, revstream needs compact");
        assertThat(KafkaTopics.check(cfg))
                .filteredOn(s -> !s.topic().equals(cfg.topics().kpis()))
                .allMatch(s -> s.problems().isEmpty());
    }
}
