package dev.revstream.tools.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every released version's savepoint fixture ({@code src/test/resources/savepoints/<version>/},
 * made once by {@link SavepointFixtures}) restores into the current job with no state left
 * unclaimed, and the state is really there: a duplicate of an event from before the savepoint is
 * still recognised, and closing a deal opened before it continues that deal (not a new adoption).
 * A missing {@code uid} or an incompatible serializer makes this fail.
 */
class SavepointCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyReleasedSavepointRestoresIntoTheCurrentJob(@TempDir Path dir) throws Exception {
        List<Path> fixtures;
        try (Stream<Path> s = Files.list(Path.of("src", "test", "resources", "savepoints"))) {
            fixtures = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(fixtures).as("savepoint fixtures").isNotEmpty();
        for (Path fixture : fixtures) {
            JsonNode manifest = JSON.readTree(fixture.resolve("manifest.json").toFile());
            String version = manifest.get("version").asText();
            Path savepoint = dir.resolve(version);
            copy(fixture.resolve(manifest.get("savepoint").asText()), savepoint);
            restoreAndContinue(version, savepoint);
        }
    }

    private static void restoreAndContinue(String version, Path savepoint) throws Exception {
        RevstreamConfig cfg = SavepointFixtures.config(Infra.kafka().bootstrapServers(), version);
        String bootstrap = cfg.kafka().bootstrapServers();
        KafkaTopics.ensure(cfg);
        // the same input again, so the restored source offsets point just past it
        TopicIo.produce(bootstrap, SavepointFixtures.scenario(cfg));
        LocalFlink flink = Infra.flink();
        JobID job = LocalRunner.submit(
                flink, cfg, RunKind.LIVE, null, null, savepoint.toUri().toString());
        try {
            TopicIo.produce(
                    bootstrap,
                    List.of(
                            SavepointFixtures.touch(
                                    cfg.topics().touchpoints(), "fx-t2", SavepointFixtures.at(1), "fx-lead", "MQL"),
                            SavepointFixtures.deal(
                                    cfg.topics().deals(),
                                    "fx-d9",
                                    SavepointFixtures.at(30),
                                    "fx-deal-1",
                                    "fx-opp",
                                    "CLOSED_WON",
                                    null),
                            SavepointFixtures.touch(
                                    cfg.topics().touchpoints(),
                                    "fx-new",
                                    SavepointFixtures.at(31),
                                    "fx-lead",
                                    "SALES_CALL"),
                            // moves event time past the close (out-of-orderness 1 h), on every partition's account
                            SavepointFixtures.touch(
                                    cfg.topics().touchpoints(),
                                    "fx-late-1",
                                    SavepointFixtures.at(40),
                                    "fx-lead",
                                    "WEB_VISIT"),
                            SavepointFixtures.touch(
                                    cfg.topics().touchpoints(),
                                    "fx-late-2",
                                    SavepointFixtures.at(40),
                                    "fx-opp",
                                    "WEB_VISIT"),
                            SavepointFixtures.touch(
                                    cfg.topics().touchpoints(),
                                    "fx-late-3",
                                    SavepointFixtures.at(40),
                                    "fx-cust",
                                    "WEB_VISIT")));
            List<ConsumerRecord<byte[], byte[]>> events = TopicIo.readUntil(
                    bootstrap, cfg.topics().events(), true, Duration.ofSeconds(90), r -> r.size() >= 5);
            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : events) {
                ids.add(JSON.readTree(r.value()).get("eventId").asText());
            }
            assertThat(ids)
                    .as("version %s: the duplicate of a pre-savepoint event is recognised", version)
                    .containsExactlyInAnyOrder("fx-d9", "fx-new", "fx-late-1", "fx-late-2", "fx-late-3");
            List<ConsumerRecord<byte[], byte[]>> journey = TopicIo.readUntil(
                    bootstrap,
                    cfg.topics().journey(),
                    true,
                    Duration.ofSeconds(60),
                    r -> r.stream()
                                    .filter(x -> new String(x.value()).contains("CLOSED_WON"))
                                    .count()
                            >= 2);
            JsonNode close = null;
            JsonNode buffered = null;
            for (ConsumerRecord<byte[], byte[]> r : journey) {
                JsonNode n = JSON.readTree(r.value());
                if ("CLOSED_WON".equals(n.path("toStage").asText())) {
                    if ("fx-deal-1".equals(n.path("dealId").asText())) {
                        close = n;
                    } else if ("fx-deal-2".equals(n.path("dealId").asText())) {
                        buffered = n;
                    }
                }
            }
            // fx-deal-2 closed an hour before the savepoint's watermark allowed: it waited in the restored buffer
            assertThat(buffered)
                    .as("version %s: an event buffered at the savepoint is applied after it", version)
                    .isNotNull();
            assertThat(buffered.get("fromStage").asText()).isEqualTo("NEGOTIATION");
            assertThat(close)
                    .as("version %s: the close of a deal opened before the savepoint", version)
                    .isNotNull();
            assertThat(close.get("fromStage").asText()).isEqualTo("PROPOSAL");
            assertThat(close.get("adopted").asBoolean()).isFalse();
            assertThat(close.get("amount").decimalValue()).isEqualByComparingTo("42000");
            assertThat(flink.status(job)).isEqualTo(JobStatus.RUNNING);
            System.out.printf("savepoint fixture %s restored: dedup and journey state carried over%n", version);
        } finally {
            flink.cancel(job);
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
