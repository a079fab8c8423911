package dev.revstream.tools.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.kafka.EmbeddedKafka;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.RawEvents;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * Makes the savepoint fixture of a released version: run by hand once per release (from the commit
 * the release's git tag names), never again; the fixtures are committed under
 * {@code tools/src/test/resources/savepoints/<version>/} and {@link SavepointCompatibilityTest}
 * restores every one of them into the current job. Usage: {@code SavepointFixtures <version> <out dir>}.
 *
 * <p>The scenario is scripted and small: a lead that became an MQL, an open deal in PROPOSAL with
 * an expected close date, a customer with usage, and events whose duplicates the restored
 * de-duplication state must still recognise.
 */
public final class SavepointFixtures {
    static final Instant T = Instant.parse("2026-10-05T09:00:00Z");
    static final String PREFIX = "fixture";

    private SavepointFixtures() {}

    /** The fixture's topics, group and transactional ids, as the compatibility test must recreate them. */
    static RevstreamConfig config(String bootstrap, String version) {
        String id = PREFIX + "-" + version;
        List<String> sets = new ArrayList<>(List.of(
                "kafka.bootstrap-servers=" + bootstrap,
                "kafka.group-id=" + id,
                "kafka.transactional-id-prefix=" + id,
                "job.checkpoint-interval=500ms",
                "kafka.transaction-timeout=60s",
                "job.checkpoint-timeout=45s",
                "time.follow-wall-clock=false",
                "time.out-of-orderness=1h",
                "ingest.max-future=0"));
        sets.addAll(Infra.topicSets(id));
        return ConfigLoader.load(Infra.projectConfig(), sets, Map.of());
    }

    static List<Out> scenario(RevstreamConfig cfg) {
        String tp = cfg.topics().touchpoints();
        String dl = cfg.topics().deals();
        List<Out> in = new ArrayList<>();
        in.add(touch(tp, "fx-t1", at(0), "fx-lead", "LEAD_CREATED"));
        in.add(touch(tp, "fx-t2", at(1), "fx-lead", "MQL"));
        in.add(deal(
                dl,
                "fx-d1",
                at(2),
                "fx-deal-1",
                "fx-opp",
                "CREATED",
                "\"stage\":\"PROPOSAL\",\"amount\":42000,\"expectedCloseDate\":\"2026-11-30\",\"ownerId\":\"rep-1\""));
        in.add(touch(tp, "fx-t3", at(3), "fx-opp", "SALES_CALL"));
        in.add(deal(
                dl, "fx-d2", at(4), "fx-deal-2", "fx-cust", "CREATED", "\"stage\":\"NEGOTIATION\",\"amount\":10000"));
        in.add(deal(dl, "fx-d3", at(5), "fx-deal-2", "fx-cust", "CLOSED_WON", null));
        in.add(Out.json(
                tp,
                "fx-cust",
                "{\"eventId\":\"fx-t4\",\"occurredAt\":\"" + at(6) + "\",\"source\":\"test\",\"accountId\":\"fx-cust\","
                        + "\"type\":\"PRODUCT_USAGE\",\"amount\":120}"));
        return in;
    }

    static String at(int hour) {
        return T.plus(Duration.ofHours(hour)).toString();
    }

    static Out touch(String topic, String id, String at, String account, String type) {
        return RawEvents.touch(topic, id, at, account, type, "test", null);
    }

    static Out deal(String topic, String id, String at, String dealId, String account, String type, String extra) {
        return RawEvents.deal(topic, id, at, dealId, account, type, extra);
    }

    public static void main(String[] args) throws Exception {
        String version = args[0];
        Path out = Path.of(args[1]).toAbsolutePath();
        Path work = Files.createTempDirectory("revstream-fixture-");
        try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka"), 0, Map.of()).start();
                LocalFlink flink = LocalFlink.start(work.resolve("flink"), 1, 2, 0)) {
            RevstreamConfig cfg = config(kafka.bootstrapServers(), version);
            KafkaTopics.ensure(cfg);
            List<Out> in = scenario(cfg);
            TopicIo.produce(cfg.kafka().bootstrapServers(), in);
            JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
            TopicIo.readUntil(
                    cfg.kafka().bootstrapServers(),
                    cfg.topics().events(),
                    true,
                    Duration.ofMinutes(2),
                    r -> r.size() >= in.size());
            long seen = flink.completedCheckpoints(job);
            while (flink.completedCheckpoints(job) < seen + 2) {
                LockSupport.parkNanos(100_000_000L); // two more checkpoints: all state settled
            }
            Files.createDirectories(out);
            String savepoint = flink.miniCluster()
                    .stopWithSavepoint(job, out.toUri().toString(), false, SavepointFormatType.CANONICAL)
                    .get();
            ObjectMapper json = new ObjectMapper();
            ObjectNode manifest = json.createObjectNode();
            manifest.put("version", version);
            manifest.put(
                    "savepoint", Path.of(URI.create(savepoint)).getFileName().toString());
            manifest.put("format", "canonical");
            manifest.put("flink", EnvironmentInformation.getVersion());
            manifest.put("made", Instant.now().toString());
            manifest.put("records", in.size());
            Files.writeString(
                    out.resolve("manifest.json"),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            System.out.println("savepoint fixture " + version + ": " + savepoint);
        }
    }
}
