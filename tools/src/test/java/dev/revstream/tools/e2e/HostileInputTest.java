package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at volume: thousands of valid events mixed with a corpus of hostile records
 * (invalid UTF-8, deep nesting, values of up to 10 MiB on a topic that allows them, huge and
 * non-finite numbers, absurd timestamps, wrong types in every field, unknown enum values,
 * control characters, fields given twice), with empty and missing keys. The job must never
 * restart, dead-letter every bad record with its code, and write every valid one once.
 */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hostileRecordsAreDeadLetteredAndValidOnesProcessedOnceWithoutARestart() throws Exception {
        RevstreamConfig cfg = Infra.config("hostile", "kafka.max-record-bytes=12MiB");
        String tp = cfg.topics().touchpoints();
        String dl = cfg.topics().deals();
        Random r = new Random(3);
        long base = Instant.now().minus(Duration.ofDays(5)).toEpochMilli();
        List<Out> in = new ArrayList<>();
        Set<String> valid = new HashSet<>();
        Map<String, Integer> expected = new TreeMap<>();
        String ok = ",\"occurredAt\":" + base + ",\"source\":\"hubspot\",\"accountId\":\"acct-h\"";
        List<Hostile> corpus = new ArrayList<>();
        corpus.add(h(false, "NOT_UTF8", new byte[] {'{', '"', 'e', '"', ':', (byte) 0xC0, (byte) 0xAF, '}'}));
        corpus.add(h(false, "NOT_UTF8", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, '{'}));
        corpus.add(h(false, "NOT_JSON", "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"));
        corpus.add(h(false, "NOT_JSON", "{\"eventId\":\"ctl\u0001\"" + ok + ",\"type\":\"MQL\"}"));
        corpus.add(h(
                false,
                "TOO_LARGE",
                "{\"eventId\":\"big\"" + ok + ",\"type\":\"MQL\",\"attributes\":{\"x\":\""
                        + "y".repeat(10 * 1024 * 1024 - 200) + "\"}}"));
        corpus.add(h(
                false,
                "NON_FINITE_NUMBER",
                "{\"eventId\":\"inf\",\"occurredAt\":" + base + ",\"source\":\"ads\",\"type\":\"SPEND\",\"amount\":"
                        + "9".repeat(350) + "}"));
        corpus.add(h(
                false,
                "NOT_JSON",
                "{\"eventId\":\"digits\",\"occurredAt\":" + base + ",\"source\":\"ads\",\"type\":\"SPEND\",\"amount\":"
                        + "9".repeat(5000) + "}"));
        corpus.add(h(
                false,
                "NON_FINITE_NUMBER",
                "{\"eventId\":\"ninf\",\"occurredAt\":" + base
                        + ",\"source\":\"ads\",\"type\":\"SPEND\",\"amount\":-Infinity}"));
        corpus.add(
                h(
                        false,
                        "INVALID_TIME",
                        "{\"eventId\":\"t1\",\"occurredAt\":-62135596800001,\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"));
        corpus.add(
                h(
                        false,
                        "FUTURE_TIME",
                        "{\"eventId\":\"t2\",\"occurredAt\":\"9999-12-31T23:59:59Z\",\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"));
        corpus.add(
                h(
                        false,
                        "INVALID_TIME",
                        "{\"eventId\":\"t3\",\"occurredAt\":\"+275760-09-13T00:00:00Z\",\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"));
        for (String field : List.of(
                "eventId",
                "occurredAt",
                "source",
                "accountId",
                "type",
                "channel",
                "campaign",
                "contactId",
                "dealId",
                "ownerId",
                "currency",
                "attributes")) {
            Map<String, Object> fields = new LinkedHashMap<>(Map.of(
                    "eventId",
                    "wt-" + field,
                    "occurredAt",
                    base,
                    "source",
                    "x",
                    "accountId",
                    "a",
                    "type",
                    "SPEND",
                    "amount",
                    1));
            fields.put(field, List.of(1, Map.of("deep", true)));
            corpus.add(new Hostile(false, "WRONG_TYPE", JSON.writeValueAsBytes(fields)));
        }
        corpus.add(
                h(
                        true,
                        "UNKNOWN_DEAL_TYPE",
                        "{\"eventId\":\"u1\",\"occurredAt\":1780000000000,\"source\":\"x\",\"dealId\":\"d\",\"accountId\":\"a\",\"type\":\"EXPLODED\"}"));
        corpus.add(
                h(
                        true,
                        "INVALID_VALUE",
                        "{\"eventId\":\"u2\",\"occurredAt\":1780000000000,\"source\":\"x\",\"dealId\":\"d\",\"accountId\":\"a\",\"type\":\"UPDATED\",\"dealType\":\"gift\"}"));
        corpus.add(h(false, "DUPLICATE_FIELD", "{\"eventId\":\"d1\"" + ok + ",\"type\":\"MQL\",\"type\":\"SQL\"}"));
        corpus.add(h(false, "NOT_OBJECT", "null"));
        corpus.add(h(true, "NOT_OBJECT", "12345"));

        for (int i = 0; i < 3_000; i++) {
            long at = base + i * 1000L;
            String id = "v-" + i;
            valid.add("hubspot/" + id);
            // a third of the valid records have no key, a third an empty one: the payload decides
            byte[] key = i % 3 == 0
                    ? null
                    : i % 3 == 1 ? new byte[0] : ("acct-" + (i % 50)).getBytes(StandardCharsets.UTF_8);
            in.add(new Out(
                    tp,
                    null,
                    key,
                    ("{\"eventId\":\"" + id + "\",\"occurredAt\":" + at
                                    + ",\"source\":\"hubspot\",\"accountId\":\"acct-" + (i % 50)
                                    + "\",\"type\":\"OPEN\",\"attributes\":{\"note\":\"\\u0000\\t ok\"}}")
                            .getBytes(StandardCharsets.UTF_8)));
            if (i % 5 == 0) {
                Hostile bad = corpus.get(r.nextInt(corpus.size()));
                if (bad.value().length > 1024 * 1024 && expected.getOrDefault("TOO_LARGE", 0) >= 3) {
                    continue; // three 10 MiB values are enough
                }
                expected.merge(bad.code(), 1, Integer::sum);
                in.add(new Out(bad.deal() ? dl : tp, null, i % 4 == 0 ? new byte[0] : null, bad.value()));
            }
        }
        KafkaTopics.ensure(cfg);
        TopicIo.produce(cfg.kafka().bootstrapServers(), in);
        LocalFlink flink = Infra.flink();
        JobID job = LocalRunner.submitBounded(flink, cfg, AsOfScanner.scan(cfg), null, null);
        assertThat(flink.awaitResult(job, Duration.ofMinutes(5)).isSuccess()).isTrue();
        assertThat(flink.miniCluster().getExecutionGraph(job).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job never restarted")
                .isZero();

        Map<String, Integer> codes = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().deadletter())) {
            JsonNode n = JSON.readTree(rec.value());
            codes.merge(n.get("errorCode").asText(), 1, Integer::sum);
            assertThat(rec.value().length).as("a dead letter stays small").isLessThan(1024 * 1024);
        }
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(codes).as("every hostile record dead-lettered with its code").isEqualTo(expected);
        assertThat(codes.keySet())
                .contains(
                        "NOT_UTF8",
                        "NOT_JSON",
                        "TOO_LARGE",
                        "NON_FINITE_NUMBER",
                        "INVALID_TIME",
                        "FUTURE_TIME",
                        "DUPLICATE_FIELD",
                        "NOT_OBJECT",
                        "WRONG_TYPE");
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().events())) {
            JsonNode n = JSON.readTree(rec.value());
            seen.merge(n.get("source").asText() + "/" + n.get("eventId").asText(), 1, Integer::sum);
        }
        assertThat(seen.keySet()).isEqualTo(valid);
        assertThat(seen.values()).allMatch(c -> c == 1);
        System.out.printf("hostile input: %d valid once, %d hostile dead-lettered %s%n", valid.size(), total, codes);
    }

    /** A hostile record, whether it goes to the deals topic, and the code it must get. */
    private record Hostile(boolean deal, String code, byte[] value) {}

    private static Hostile h(boolean deal, String code, String json) {
        return new Hostile(deal, code, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Hostile h(boolean deal, String code, byte[] bytes) {
        return new Hostile(deal, code, bytes);
    }
}
