package dev.revstream.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.generator.GeneratedRecord;
import dev.revstream.tools.testing.Histories;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code revstream run} live, as a user starts it: its status line counts what the output topics
 * hold, read committed (the same records a consumer reads afterwards).
 */
class RunStatusTest {
    private static final long DAY = 86_400_000L;
    private static final Pattern JOB = Pattern.compile(
            "applied (\\d+) \\((\\d+) as corrections\\)  dead-lettered (\\d+)  duplicates (\\d+)  late (\\d+)");
    private static final Pattern OUT =
            Pattern.compile("out: events (\\d+), dead letters (\\d+), journey (\\d+), KPI snapshots (\\d+)");

    @Test
    void theLiveStatusLineCountsWhatTheOutputTopicsHold(@TempDir Path dir) throws Exception {
        RevstreamConfig cfg = Infra.config("run-status");
        KafkaTopics.ensure(cfg);
        List<GeneratedRecord> records = Histories.generate(9, 30, 20, System.currentTimeMillis() - DAY);
        List<Out> outs = new ArrayList<>();
        long valid = 0;
        long duplicates = 0;
        for (GeneratedRecord r : records) {
            outs.add(new Out(
                    r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(),
                    null,
                    r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                    r.value()));
            valid += r.kind() == GeneratedRecord.Kind.VALID ? 1 : 0;
            duplicates += r.kind() == GeneratedRecord.Kind.DUPLICATE ? 1 : 0;
        }
        // a source resending: three valid records twice more
        List<Out> resent = new ArrayList<>();
        for (int i = 0; i < records.size() && resent.size() < 3; i++) {
            if (records.get(i).kind() == GeneratedRecord.Kind.VALID) {
                resent.add(outs.get(i));
            }
        }
        outs.addAll(resent);
        duplicates += resent.size();
        TopicIo.produce(cfg.kafka().bootstrapServers(), outs);

        String id = cfg.kafka().groupId();
        List<String> args = new ArrayList<>(List.of(
                "run", "--bootstrap", cfg.kafka().bootstrapServers(), "--status-every", "1s", "--duration", "12s"));
        for (String set : List.of(
                "kafka.group-id=" + id,
                "kafka.transactional-id-prefix=" + id,
                "kafka.transaction-timeout=60s",
                "job.checkpoint-timeout=45s",
                "job.checkpoint-interval=300ms",
                // events that name their account are counted and written when their account applies them, once
                // event time passes them: quiet partitions let it follow the wall clock after this
                "time.idle-timeout=2s",
                "job.rest-port=0",
                "job.state-dir=" + dir)) {
            args.addAll(List.of("--set", set));
        }
        for (String set : Infra.topicSets(id)) {
            args.addAll(List.of("--set", set));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int code;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            code = Revstream.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(console);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.println(
                out.lines().filter(l -> l.startsWith("[")).reduce((a, b) -> b).orElse("no status line"));
        assertThat(code).as(out).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("[")).count())
                .as("a line every second")
                .isGreaterThanOrEqualTo(6);
        String lastLine =
                out.lines().filter(l -> l.startsWith("[")).reduce((a, b) -> b).orElseThrow();
        Matcher last = OUT.matcher(lastLine);
        assertThat(last.find()).as(lastLine).isTrue();
        Matcher job = JOB.matcher(lastLine);
        assertThat(job.find()).as(lastLine).isTrue();
        String b = cfg.kafka().bootstrapServers();
        assertThat(Long.parseLong(last.group(1)))
                .as("events")
                .isEqualTo(valid)
                .isEqualTo(TopicIo.readAll(b, cfg.topics().events(), true).size());
        assertThat(Long.parseLong(last.group(2)))
                .as("dead letters")
                .isPositive()
                .isEqualTo(TopicIo.readAll(b, cfg.topics().deadletter(), true).size());
        // what the job did, live from its accumulators (not the hourly data-quality windows, still open here)
        assertThat(duplicates).isPositive();
        assertThat(Long.parseLong(job.group(1))).as("applied").isEqualTo(valid);
        assertThat(Long.parseLong(job.group(3)))
                .as("dead-lettered")
                .isEqualTo(TopicIo.readAll(b, cfg.topics().deadletter(), true).size());
        assertThat(Long.parseLong(job.group(4))).as("duplicates").isEqualTo(duplicates);
        assertThat(Long.parseLong(job.group(5))).as("late").isZero();
        // journey updates wait for event time, which waits up to twice the idle timeout for quiet partitions
        assertThat(Long.parseLong(last.group(3)))
                .as("journey updates")
                .isEqualTo(TopicIo.readAll(b, cfg.topics().journey(), true).size());
    }
}
