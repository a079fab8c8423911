package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.alerts.AlertType;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.ingest.EventParser;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.model.Event;
import dev.revstream.tools.generator.GeneratedRecord;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Histories;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Replays: the same generated funnel (1,200 accounts, 3 partitions per topic, parallelism 2) is
 * written twice, the two topics in opposite order, and each copy is replayed with a bounded run.
 * Both runs must give the same alerts (and journey updates), only alerts due by the as-of time,
 * and exactly the alerts a naive reference computation finds; no alert concerns a closed deal.
 */
class AlertDeterminismTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void replaysGiveIdenticalAlertsEqualToTheReferenceComputation() throws Exception {
        long now = System.currentTimeMillis();
        List<GeneratedRecord> records = Histories.generate(21, 1_200, 220, now);

        RevstreamConfig first = Infra.config("determinism-a");
        RevstreamConfig second = Infra.config("determinism-b");
        Run a = replay(first, records, true);
        Run b = replay(second, records, false);

        assertThat(a.asOf).isEqualTo(b.asOf);
        assertThat(a.alerts).as("alerts of the two replays, sorted by id").isEqualTo(b.alerts);
        assertThat(a.journey).as("journey updates of the two replays").isEqualTo(b.journey);
        assertThat(a.late).isZero();

        // the reference, over the same records parsed by the contract
        EventParser parser = new EventParser(first.ingestSettings());
        Set<String> seen = new HashSet<>();
        Map<String, List<Event>> byAccount = new TreeMap<>();
        long asOf = Long.MIN_VALUE;
        for (GeneratedRecord r : records) {
            Event e = parser.parse(
                            r.deal() ? first.topics().deals() : first.topics().touchpoints(),
                            0,
                            0,
                            null,
                            r.value(),
                            0,
                            now)
                    .event();
            if (e != null && seen.add(e.dedupKey())) {
                asOf = Math.max(asOf, e.occurredAt());
                if (e.accountId() != null) {
                    byAccount
                            .computeIfAbsent(e.accountId(), k -> new ArrayList<>())
                            .add(e);
                }
            }
        }
        assertThat(a.asOf).isEqualTo(asOf);
        List<String> stageNames =
                first.deals().stages().stream().map(RevstreamConfig.Stage::name).toList();
        long[] slas = first.deals().stages().stream()
                .mapToLong(s -> s.stallSla().toMillis())
                .toArray();
        ReferenceAlerts ref = new ReferenceAlerts(
                stageNames,
                slas,
                first.alerts().leadSla().toMillis(),
                asOf,
                first.time().zone());
        byAccount.forEach(ref::account);

        Map<AlertType, Long> expected = new EnumMap<>(AlertType.class);
        ref.alerts.forEach(f -> expected.merge(f.type(), 1L, Long::sum));
        Map<AlertType, Long> actual = new EnumMap<>(AlertType.class);
        Set<String> ids = new HashSet<>();
        for (String json : a.alerts) {
            JsonNode n = JSON.readTree(json);
            actual.merge(AlertType.valueOf(n.get("type").asText()), 1L, Long::sum);
            ids.add(n.get("alertId").asText());
            long at = Instant.parse(n.get("triggeredAt").asText()).toEpochMilli();
            assertThat(at).as("due by the as-of time").isLessThanOrEqualTo(asOf);
            if (n.has("dealId")) {
                Long closed = ref.dealClosedAt.get(n.get("dealId").asText());
                assertThat(closed == null || closed > at)
                        .as("alert %s concerns an open deal", json)
                        .isTrue();
            }
        }
        System.out.printf(
                "determinism: %d records, as-of %s, alerts by type %s (reference %s)%n",
                records.size(), Instant.ofEpochMilli(asOf), actual, expected);
        assertThat(expected.keySet())
                .as("the generator exercises every alert type")
                .containsExactlyInAnyOrder(AlertType.values());
        assertThat(actual).isEqualTo(expected);
        assertThat(ids)
                .isEqualTo(
                        ref.alerts.stream().map(ReferenceAlerts.Found::alertId).collect(Collectors.toSet()));
    }

    private record Run(long asOf, List<String> alerts, List<String> journey, long late) {}

    private static Run replay(RevstreamConfig cfg, List<GeneratedRecord> records, boolean dealsFirst) throws Exception {
        KafkaTopics.ensure(cfg);
        List<Out> deals = new ArrayList<>();
        List<Out> touches = new ArrayList<>();
        for (GeneratedRecord r : records) {
            (r.deal() ? deals : touches)
                    .add(new Out(
                            r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(),
                            null,
                            r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                            r.value()));
        }
        List<Out> all = new ArrayList<>(dealsFirst ? deals : touches);
        all.addAll(dealsFirst ? touches : deals);
        TopicIo.produce(cfg.kafka().bootstrapServers(), all);

        LocalFlink flink = Infra.flink();
        AsOfScanner.Span span = AsOfScanner.scan(cfg);
        JobID job = LocalRunner.submitBounded(flink, cfg, span, null, null);
        JobResult result = flink.awaitResult(job, Duration.ofMinutes(5));
        assertThat(result.isSuccess())
                .as("replay finished: %s", result.getSerializedThrowable())
                .isTrue();
        String bootstrap = cfg.kafka().bootstrapServers();
        return new Run(
                span.latest(),
                sortedById(TopicIo.readCommitted(bootstrap, cfg.topics().alerts()), "alertId"),
                sortedById(TopicIo.readCommitted(bootstrap, cfg.topics().journey()), "updateId"),
                TopicIo.readCommitted(bootstrap, cfg.topics().late()).size());
    }

    private static List<String> sortedById(List<ConsumerRecord<byte[], byte[]>> records, String idField)
            throws Exception {
        Map<String, String> byId = new TreeMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            String id = JSON.readTree(json).get(idField).asText();
            byId.put(id, json);
            copies.merge(id, 1, Integer::sum);
        }
        assertThat(copies.values()).as("each %s once", idField).allMatch(c -> c == 1);
        return new ArrayList<>(byId.values());
    }
}
