package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Creates the topics revstream reads and writes where they are missing (with the configured
 * partitions and replication, the KPI topic compacted) and checks every one: partitions, clean-up
 * policy, retention and record size. Exit code 0 when every topic is as revstream needs it, 1 when
 * one is not (or, with {@code --dry-run}, would be created).
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create the missing topics and check every topic revstream uses (--dry-run: check only).")
public class TopicsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "create nothing; say what would be created")
    boolean dryRun;

    @Override
    public Integer call() {
        RevstreamConfig cfg = common.loadForKafka();
        PrintWriter out = spec.commandLine().getOut();
        List<String> created = dryRun ? List.of() : KafkaTopics.ensure(cfg);
        List<KafkaTopics.TopicState> states = KafkaTopics.check(cfg);
        int width = states.stream().mapToInt(s -> s.topic().length()).max().orElse(5);
        out.printf("topics on %s:%n", cfg.kafka().bootstrapServers());
        int problems = 0;
        for (KafkaTopics.TopicState s : states) {
            String state;
            if (!s.exists()) {
                state = "missing, would be created";
            } else {
                state = (created.contains(s.topic()) ? "created: " : "") + s.partitions() + " partitions, "
                        + s.cleanupPolicy() + ", retention " + retention(s.retention());
            }
            out.printf("  %-" + width + "s  %s%n", s.topic(), state);
            for (String p : s.exists() ? s.problems() : List.<String>of()) {
                out.printf("  %-" + width + "s  ! %s%n", "", p);
            }
            for (String a : s.advice()) {
                out.printf("  %-" + width + "s  ~ %s%n", "", a);
            }
            problems += s.problems().isEmpty() ? 0 : 1;
        }
        out.println(
                problems == 0
                        ? "every topic is as revstream needs it"
                        : problems + " topic(s) " + (dryRun ? "missing or " : "") + "not as revstream needs them");
        out.flush();
        return problems == 0 ? 0 : 1;
    }

    private static String retention(String ms) {
        if (ms == null) {
            return "unknown";
        }
        long v = Long.parseLong(ms);
        return v < 0 ? "unlimited" : v % 86_400_000L == 0 ? v / 86_400_000L + "d" : v / 3_600_000L + "h";
    }
}
