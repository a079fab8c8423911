package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.RunSummary;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The ingest stage end to end on a real broker and the embedded Flink: valid events from several
 * sources in their own vocabularies, duplicates, and one malformed record of every kind the
 * contract lists; a bounded run; then the outputs read committed against what the test injected.
 */
class IngestEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyValidEventOnceEveryBadOneDeadLetteredEveryDuplicateDropped() throws Exception {
        RevstreamConfig cfg = Infra.config("ingest-e2e");
        Scenario s = Scenario.build(cfg, Instant.now().minus(Duration.ofDays(10)));
        LocalFlink flink = Infra.flink();
        KafkaTopics.ensure(cfg);
        TopicIo.produce(cfg.kafka().bootstrapServers(), s.records);

        JobID job = LocalRunner.submitBounded(flink, cfg, AsOfScanner.scan(cfg), null, null);
        JobResult result = flink.awaitResult(job, Duration.ofMinutes(3));
        assertThat(result.isSuccess())
                .as("bounded job finished: %s", result.getSerializedThrowable())
                .isTrue();

        String bootstrap = cfg.kafka().bootstrapServers();
        List<ConsumerRecord<byte[], byte[]>> events =
                TopicIo.readCommitted(bootstrap, cfg.topics().events());
        Map<String, Integer> seen = new HashMap<>();
        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : events) {
            JsonNode n = JSON.readTree(r.value());
            String id = n.get("source").asText() + "/" + n.get("eventId").asText();
            seen.merge(id, 1, Integer::sum);
            byId.put(id, n);
        }
        assertThat(seen.keySet()).isEqualTo(s.expectedInEvents);
        assertThat(seen.values()).allMatch(c -> c == 1);

        // normalization into the canonical vocabulary
        assertThat(byId.get("marketo/mk-0").get("type").asText()).isEqualTo("EMAIL_OPEN");
        assertThat(byId.get("marketo/mk-0").get("channel").asText()).isEqualTo("paid_search");
        assertThat(byId.get("hubspot/hs-0").get("type").asText()).isEqualTo("EMAIL_OPEN");
        assertThat(byId.get("hubspot/hs-0").get("channel").asText()).isEqualTo("email");
        assertThat(byId.get("salesforce/sf-deal-1").get("stage").asText()).isEqualTo("PROPOSAL");
        assertThat(byId.get("salesforce/sf-deal-0").get("amount").decimalValue())
                .isEqualByComparingTo("10800");
        assertThat(byId.get("salesforce/sf-deal-0").get("sourceCurrency").asText())
                .isEqualTo("EUR");
        assertThat(byId.get("hubspot/hs-deal-0").get("stage").asText()).isEqualTo("NEGOTIATION");
        assertThat(byId.get("segment/seg-unmapped-channel").get("channel").asText())
                .isEqualTo("other");
        assertThat(byId.get("ads/spend-0").has("accountId")).isFalse();

        List<ConsumerRecord<byte[], byte[]>> dead =
                TopicIo.readCommitted(bootstrap, cfg.topics().deadletter());
        Map<String, Integer> codes = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            JsonNode n = JSON.readTree(r.value());
            codes.merge(n.get("errorCode").asText(), 1, Integer::sum);
            assertThat(n.get("topic").asText())
                    .isIn(cfg.topics().touchpoints(), cfg.topics().deals());
            assertThat(n.get("offset").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(n.get("message").asText()).isNotBlank();
            assertThat(n.get("payloadSha256").asText()).hasSize(64);
            if (n.get("errorCode").asText().equals("TOO_LARGE")) {
                assertThat(n.get("truncated").asBoolean()).isTrue();
                assertThat(n.get("payloadLength").asInt()).isGreaterThan(1024 * 1024);
                assertThat(r.value().length).isLessThan(1024 * 1024);
            }
            if (n.get("errorCode").asText().equals("UNMAPPED_TYPE")) {
                assertThat(n.get("source").asText()).isEqualTo("hubspot");
                assertThat(n.get("value").asText()).isEqualTo("SOMETHING_NEW");
            }
        }
        assertThat(codes).isEqualTo(s.expectedCodes);

        // data quality: the all-sources windows add up to what was injected
        List<ConsumerRecord<byte[], byte[]>> quality =
                TopicIo.readCommitted(bootstrap, cfg.topics().dataquality());
        long accepted = 0, rejected = 0, duplicates = 0, unmapped = 0;
        for (ConsumerRecord<byte[], byte[]> r : quality) {
            JsonNode n = JSON.readTree(r.value());
            if (n.get("dimensionValue").asText().equals("all")) {
                accepted += n.get("eventsAccepted").asLong();
                rejected += n.get("eventsRejected").asLong();
                duplicates += n.get("duplicates").asLong();
                unmapped += n.get("channelsUnmapped").asLong();
            }
        }
        assertThat(accepted).isEqualTo(s.validCount + s.duplicateCount);
        assertThat(rejected).isEqualTo(s.records.size() - s.validCount - s.duplicateCount);
        assertThat(duplicates).isEqualTo(s.duplicateCount);
        assertThat(unmapped).isEqualTo(1);

        // the bounded run's summary (what `run --bounded` prints) says the same as the topics
        Map<String, Object> summary = RunSummary.counts(result);
        assertThat(RunSummary.count(summary, RunSummary.APPLIED))
                .as("applied: %s", RunSummary.sentence(summary))
                .isEqualTo(events.size());
        assertThat(RunSummary.count(summary, RunSummary.DEAD_LETTERED)).isEqualTo(dead.size());
        assertThat(RunSummary.count(summary, RunSummary.DUPLICATES)).isEqualTo(s.duplicateCount);
        assertThat(RunSummary.count(summary, RunSummary.LATE))
                .isEqualTo(TopicIo.readCommitted(bootstrap, cfg.topics().late()).size())
                .isZero();
    }

    /** What the test injects and what it therefore expects. */
    static final class Scenario {
        final List<Out> records = new ArrayList<>();
        final Set<String> expectedInEvents = new HashSet<>();
        final Map<String, Integer> expectedCodes = new TreeMap<>();
        int validCount;
        int duplicateCount;

        static Scenario build(RevstreamConfig cfg, Instant base) {
            Scenario s = new Scenario();
            String tp = cfg.topics().touchpoints();
            String deals = cfg.topics().deals();
            List<Out> valid = new ArrayList<>();
            long t = base.toEpochMilli();
            for (int i = 0; i < 40; i++) {
                String acct = "acct-" + (i % 7);
                long at = t + i * 60_000L;
                valid.add(s.valid(
                        "hubspot",
                        "hs-" + i,
                        Out.json(
                                tp,
                                acct,
                                String.format(
                                        "{\"eventId\":\"hs-%d\",\"occurredAt\":\"%s\",\"source\":\"HubSpot\",\"accountId\":\"%s\",\"type\":\"OPEN\",\"channel\":\"EMAIL_MARKETING\",\"attributes\":{\"campaignId\":%d}}",
                                        i, Instant.ofEpochMilli(at), acct, i))));
                valid.add(s.valid(
                        "marketo",
                        "mk-" + i,
                        Out.json(
                                tp,
                                acct,
                                String.format(
                                        "{\"eventId\":\"mk-%d\",\"occurredAt\":%d,\"source\":\"marketo\",\"accountId\":\"%s\",\"type\":\"Open Email\",\"channel\":\"cpc\"}",
                                        i, at + 1, acct))));
                valid.add(s.valid(
                        "salesforce",
                        "sf-" + i,
                        Out.json(
                                tp,
                                acct,
                                String.format(
                                        "{\"eventId\":\"sf-%d\",\"occurredAt\":\"%s\",\"source\":\"salesforce\",\"accountId\":\"%s\",\"dealId\":\"d-%d\",\"type\":\"Call\"}",
                                        i,
                                        Instant.ofEpochMilli(at + 2).atOffset(ZoneOffset.ofHours(2)),
                                        acct,
                                        i % 3))));
            }
            long d = t + 50 * 60_000L;
            valid.add(
                    s.valid(
                            "salesforce",
                            "sf-deal-0",
                            Out.json(
                                    deals,
                                    "acct-1",
                                    "{\"eventId\":\"sf-deal-0\",\"occurredAt\":" + d
                                            + ",\"source\":\"salesforce\",\"dealId\":\"d-1\",\"accountId\":\"acct-1\",\"type\":\"CREATED\",\"stage\":\"Prospecting\",\"amount\":10000,\"currency\":\"EUR\",\"dealType\":\"new_business\",\"expectedCloseDate\":\"2026-12-31\"}")));
            valid.add(
                    s.valid(
                            "salesforce",
                            "sf-deal-1",
                            Out.json(
                                    deals,
                                    "acct-1",
                                    "{\"eventId\":\"sf-deal-1\",\"occurredAt\":" + (d + 1000)
                                            + ",\"source\":\"salesforce\",\"dealId\":\"d-1\",\"accountId\":\"acct-1\",\"type\":\"stage_changed\",\"stage\":\"Proposal/Price Quote\"}")));
            valid.add(
                    s.valid(
                            "hubspot",
                            "hs-deal-0",
                            Out.json(
                                    deals,
                                    "acct-2",
                                    "{\"eventId\":\"hs-deal-0\",\"occurredAt\":" + (d + 2000)
                                            + ",\"source\":\"hubspot\",\"dealId\":\"d-2\",\"accountId\":\"acct-2\",\"type\":\"CREATED\",\"stage\":\"contractsent\",\"amount\":2500.50}")));
            valid.add(
                    s.valid(
                            "pipedrive",
                            "pd-deal-0",
                            Out.json(
                                    deals,
                                    "acct-3",
                                    "{\"eventId\":\"pd-deal-0\",\"occurredAt\":" + (d + 3000)
                                            + ",\"source\":\"pipedrive\",\"dealId\":\"d-3\",\"accountId\":\"acct-3\",\"type\":\"CREATED\",\"stage\":\"Lead In\",\"amount\":0}")));
            valid.add(
                    s.valid(
                            "segment",
                            "seg-unmapped-channel",
                            Out.json(
                                    tp,
                                    "acct-4",
                                    "{\"eventId\":\"seg-unmapped-channel\",\"occurredAt\":" + (d + 4000)
                                            + ",\"source\":\"segment\",\"accountId\":\"acct-4\",\"type\":\"Page Viewed\",\"channel\":\"tiktok\"}")));
            valid.add(
                    s.valid(
                            "ads",
                            "spend-0",
                            Out.json(
                                    tp,
                                    null,
                                    "{\"eventId\":\"spend-0\",\"occurredAt\":" + (d + 5000)
                                            + ",\"source\":\"ads\",\"type\":\"SPEND\",\"channel\":\"google_ads\",\"amount\":125.25,\"campaign\":\"q3-brand\"}")));
            s.records.addAll(valid);
            s.validCount = valid.size();
            // a heartbeat is accepted, moves event time, and is never written to the events topic
            s.records.add(new Out(
                    tp,
                    0,
                    null,
                    ("{\"eventId\":\"hb-0\",\"occurredAt\":" + (d + 6000)
                                    + ",\"source\":\"revstream\",\"type\":\"HEARTBEAT\"}")
                            .getBytes(StandardCharsets.UTF_8)));
            s.validCount++;

            // duplicates: exact copies of earlier events, some to a different partition than the first copy
            for (int i = 0; i < 12; i++) {
                Out original = valid.get(i * 7);
                s.records.add(new Out(original.topic(), i % 2 == 0 ? null : i % 3, original.key(), original.value()));
                s.duplicateCount++;
            }

            long now = System.currentTimeMillis();
            String ok = "\"occurredAt\":" + (d + 7000) + ",\"source\":\"hubspot\",\"accountId\":\"acct-9\"";
            s.bad("NOT_UTF8", new Out(tp, null, null, new byte[] {
                '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
            }));
            s.bad("NOT_UTF8", new Out(tp, null, null, "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_16)));
            s.bad("NOT_JSON", Out.json(tp, null, "this is not json"));
            s.bad("NOT_JSON", Out.json(tp, null, "{\"eventId\":\"x\", "));
            s.bad("NOT_JSON", new Out(tp, null, "k".getBytes(StandardCharsets.UTF_8), null));
            s.bad("NOT_OBJECT", Out.json(tp, null, "[1,2,3]"));
            s.bad(
                    "DUPLICATE_FIELD",
                    Out.json(tp, null, "{\"eventId\":\"dup\",\"eventId\":\"dup2\"," + ok + ",\"type\":\"MQL\"}"));
            s.bad("MISSING_FIELD", Out.json(tp, null, "{" + ok + ",\"type\":\"MQL\"}"));
            s.bad(
                    "MISSING_FIELD",
                    Out.json(
                            deals,
                            null,
                            "{\"eventId\":\"nostage\"," + ok
                                    + ",\"dealId\":\"d-9\",\"type\":\"CREATED\",\"amount\":5}"));
            s.bad(
                    "WRONG_TYPE",
                    Out.json(
                            tp,
                            null,
                            "{\"eventId\":\"wt\",\"occurredAt\":" + d
                                    + ",\"source\":\"hubspot\",\"accountId\":123,\"type\":\"MQL\"}"));
            s.bad(
                    "INVALID_VALUE",
                    Out.json(tp, null, "{\"eventId\":\"" + "x".repeat(129) + "\"," + ok + ",\"type\":\"MQL\"}"));
            s.bad(
                    "UNKNOWN_DEAL_TYPE",
                    Out.json(deals, null, "{\"eventId\":\"udt\"," + ok + ",\"dealId\":\"d-9\",\"type\":\"REOPENED\"}"));
            s.bad(
                    "NEGATIVE_AMOUNT",
                    Out.json(
                            deals,
                            null,
                            "{\"eventId\":\"neg\"," + ok
                                    + ",\"dealId\":\"d-9\",\"type\":\"CREATED\",\"stage\":\"DISCOVERY\",\"amount\":-5}"));
            s.bad(
                    "NON_FINITE_NUMBER",
                    Out.json(
                            deals,
                            null,
                            "{\"eventId\":\"nan\"," + ok + ",\"dealId\":\"d-9\",\"type\":\"UPDATED\",\"amount\":NaN}"));
            s.bad(
                    "NON_FINITE_NUMBER",
                    Out.json(
                            deals,
                            null,
                            "{\"eventId\":\"huge\"," + ok
                                    + ",\"dealId\":\"d-9\",\"type\":\"UPDATED\",\"amount\":1e400}"));
            s.bad(
                    "INVALID_TIME",
                    Out.json(
                            tp,
                            null,
                            "{\"eventId\":\"badtime\",\"occurredAt\":\"yesterday\",\"source\":\"hubspot\",\"accountId\":\"a\",\"type\":\"MQL\"}"));
            s.bad(
                    "FUTURE_TIME",
                    Out.json(
                            tp,
                            null,
                            "{\"eventId\":\"future\",\"occurredAt\":" + (now + 2 * 3_600_000L)
                                    + ",\"source\":\"hubspot\",\"accountId\":\"a\",\"type\":\"MQL\"}"));
            s.bad(
                    "UNMAPPED_TYPE",
                    Out.json(tp, null, "{\"eventId\":\"unmapped\"," + ok + ",\"type\":\"SOMETHING_NEW\"}"));
            s.bad(
                    "UNMAPPED_STAGE",
                    Out.json(
                            deals,
                            null,
                            "{\"eventId\":\"badstage\"," + ok
                                    + ",\"dealId\":\"d-9\",\"type\":\"STAGE_CHANGED\",\"stage\":\"Weird Stage\"}"));
            s.bad(
                    "UNKNOWN_CURRENCY",
                    Out.json(
                            deals,
                            null,
                            "{\"eventId\":\"cur\"," + ok
                                    + ",\"dealId\":\"d-9\",\"type\":\"CREATED\",\"stage\":\"DISCOVERY\",\"amount\":5,\"currency\":\"XYZ\"}"));
            s.bad(
                    "TOO_LARGE",
                    Out.json(
                            tp,
                            null,
                            "{\"eventId\":\"big\"," + ok + ",\"type\":\"MQL\",\"attributes\":{\"blob\":\""
                                    + "x".repeat(1024 * 1024 + 10) + "\"}}"));
            return s;
        }

        private Out valid(String source, String eventId, Out out) {
            expectedInEvents.add(source + "/" + eventId);
            return out;
        }

        private void bad(String code, Out out) {
            expectedCodes.merge(code, 1, Integer::sum);
            records.add(out);
        }
    }
}
