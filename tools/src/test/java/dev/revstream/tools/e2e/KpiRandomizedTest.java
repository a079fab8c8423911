package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Generated funnels (two seeds: 1,500 accounts over 200 days, 600 over 520 days, the second written in random order;
 * 3 partitions, parallelism 2) replayed with bounded runs: every KPI snapshot, of every dimension value and window size, must equal the one a
 * straightforward reference computation ({@link ReferenceKpis}) finds over the same event records.
 */
class KpiRandomizedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySnapshotEqualsTheReferenceComputation() throws Exception {
        check(5, 1_500, 200, false);
        // a longer history with fewer accounts: renewals, contractions and churn happen after a year; written to the
        // topics in random order (a bounded replay applies them in event-time order all the same)
        check(17, 600, 520, true);
    }

    /**
     * A quota file for reps 1 to 8, each month and quarter of the span (UTC), amounts from the seed; what
     * it says goes into {@code out} ("owner|size|start millis" to amount) for the reference.
     */
    private static Path quotas(long seed, long now, int days, Map<String, BigDecimal> out) throws Exception {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder yaml = new StringBuilder("quotas:\n");
        java.time.LocalDate from = java.time.LocalDate.ofInstant(
                        java.time.Instant.ofEpochMilli(now - (days + 40L) * 86_400_000L), java.time.ZoneOffset.UTC)
                .withDayOfMonth(1);
        java.time.LocalDate to =
                java.time.LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now), java.time.ZoneOffset.UTC);
        for (java.time.LocalDate m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            for (int rep = 1; rep <= 8; rep++) {
                for (String size : m.getMonthValue() % 3 == 1 ? List.of("1M", "1Q") : List.of("1M")) {
                    BigDecimal amount = BigDecimal.valueOf((size.equals("1Q") ? 3 : 1) * (50_000 + r.nextInt(100_000)));
                    yaml.append("  - { owner: rep-")
                            .append(rep)
                            .append(", period: ")
                            .append(size)
                            .append(", start: ")
                            .append(m)
                            .append(", amount: ")
                            .append(amount)
                            .append(" }\n");
                    out.put(
                            "rep-" + rep + "|" + size + "|"
                                    + m.atStartOfDay(java.time.ZoneOffset.UTC)
                                            .toInstant()
                                            .toEpochMilli(),
                            amount);
                }
            }
        }
        Path file = java.nio.file.Files.createTempFile("quotas-" + seed, ".yaml");
        java.nio.file.Files.writeString(file, yaml);
        return file;
    }

    /**
     * Every window whose snapshot has a learned forecast had it on the forecast topic as it began, with the
     * same figures, its open deals' largest parts first; the differences.
     */
    private static List<String> forecastsAsReported(RevstreamConfig cfg, Map<String, JsonNode> snapshots)
            throws Exception {
        Map<String, JsonNode> forecasts = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().forecasts())) {
            JsonNode n = JSON.readTree(r.value());
            forecasts.put(
                    n.get("windowSize").asText() + " " + n.get("windowStart").asText() + " "
                            + n.get("dimension").asText() + "="
                            + n.get("dimensionValue").asText(),
                    n);
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : snapshots.entrySet()) {
            JsonNode k = e.getValue();
            if (!k.has("forecast.expected") || k.get("forecast.expected").isNull()) {
                continue;
            }
            checked++;
            JsonNode f = forecasts.get(e.getKey());
            if (f == null) {
                wrong.add("no forecast for " + e.getKey());
                continue;
            }
            for (String figure : List.of("expected", "low", "high", "fromOpen", "fromNew")) {
                if (f.get(figure)
                                .decimalValue()
                                .compareTo(k.get("forecast." + figure).decimalValue())
                        != 0) {
                    wrong.add(e.getKey() + " " + figure + ": " + f.get(figure) + " vs " + k.get("forecast." + figure));
                }
            }
            JsonNode deals = f.get("deals");
            BigDecimal listed = BigDecimal.ZERO;
            for (int i = 0; i < deals.size(); i++) {
                listed = listed.add(deals.get(i).get("expected").decimalValue());
                if (i > 0
                        && deals.get(i)
                                        .get("expected")
                                        .decimalValue()
                                        .compareTo(
                                                deals.get(i - 1).get("expected").decimalValue())
                                > 0) {
                    wrong.add(e.getKey() + ": deals not largest first");
                }
            }
            if (deals.size() > 25
                    || deals.size() > f.get("openDeals").asLong()
                    || listed.compareTo(f.get("fromOpen").decimalValue()) > 0) {
                wrong.add(e.getKey() + ": " + deals.size() + " deals listed of " + f.get("openDeals") + ", " + listed
                        + " of " + f.get("fromOpen"));
            }
        }
        if (checked == 0) {
            wrong.add("no snapshot had a learned forecast");
        }
        return wrong;
    }

    private static boolean positive(Map<String, BigDecimal> m, String metric) {
        return m.get(metric) != null && m.get(metric).signum() > 0;
    }

    /**
     * The identity of the waterfall, on the job's own snapshots: openAtStart + created + pulledIn + movedIn +
     * increased - pushedOut - decreased - won - lost - movedOut = openAtEnd, in deals (without increased and
     * decreased) exactly and in amounts to the rounding of each figure to the cent (half a cent each, eleven
     * figures); the snapshots where it fails.
     */
    static List<String> movementAddsUp(java.util.Collection<JsonNode> snapshots) {
        List<String> wrong = new ArrayList<>();
        String p = "pipelineMovement.";
        for (JsonNode n : snapshots) {
            if (!n.has(p + "openAtStart.amount")) {
                continue;
            }
            BigDecimal amount = n.get(p + "openAtStart.amount").decimalValue();
            long deals = n.get(p + "openAtStart.deals").asLong();
            for (String in : List.of("created", "pulledIn", "movedIn", "increased")) {
                amount = amount.add(n.get(p + in + ".amount").decimalValue());
                deals += in.equals("increased") ? 0 : n.get(p + in + ".deals").asLong();
            }
            for (String out : List.of("pushedOut", "decreased", "won", "lost", "movedOut")) {
                amount = amount.subtract(n.get(p + out + ".amount").decimalValue());
                deals -= out.equals("decreased") ? 0 : n.get(p + out + ".deals").asLong();
            }
            BigDecimal off = amount.subtract(n.get(p + "openAtEnd.amount").decimalValue())
                    .abs();
            if (off.compareTo(new BigDecimal("0.055")) > 0
                    || deals != n.get(p + "openAtEnd.deals").asLong()) {
                wrong.add(n.toString());
            }
        }
        return wrong;
    }

    private void check(long seed, int accounts, int days, boolean shuffled) throws Exception {
        long now = System.currentTimeMillis();
        List<GeneratedRecord> records = Histories.generate(seed, accounts, days, now);
        Map<String, BigDecimal> quotas = new java.util.TreeMap<>();
        Path quotaFile = quotas(seed, now, days, quotas);
        RevstreamConfig cfg = Infra.config(
                "kpi-random-" + seed,
                "kpi.windows=1d,1w,1M,1Q",
                "kpi.lookback=30d",
                "kpi.retention-lookback=30d",
                "kpi.quotas=" + quotaFile.toAbsolutePath());
        KafkaTopics.ensure(cfg);
        List<Out> out = new ArrayList<>();
        for (GeneratedRecord r : records) {
            out.add(new Out(
                    r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(),
                    null,
                    r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                    r.value()));
        }
        if (shuffled) {
            java.util.Collections.shuffle(out, new java.util.Random(seed));
        }
        TopicIo.produce(cfg.kafka().bootstrapServers(), out);
        LocalFlink flink = Infra.flink();
        AsOfScanner.Span span = AsOfScanner.scan(cfg);
        if (shuffled) {
            // the watermarks of the replay allow what the pre-scan measured: here, most of the history
            assertThat(span.disorderMillis())
                    .isGreaterThan(Duration.ofDays(days / 2).toMillis());
        } else {
            assertThat(span.disorderMillis()).isLessThan(Duration.ofDays(1).toMillis());
        }
        JobID job = LocalRunner.submitBounded(flink, cfg, span, null, null);
        assertThat(flink.awaitResult(job, Duration.ofMinutes(5)).isSuccess()).isTrue();

        Map<String, JsonNode> actual = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().kpis())) {
            JsonNode n = JSON.readTree(r.value());
            String key = n.get("windowSize").asText() + " "
                    + n.get("windowStart").asText() + " " + n.get("dimension").asText() + "="
                    + n.get("dimensionValue").asText();
            assertThat(actual.put(key, n))
                    .as("one snapshot per window and value: %s", key)
                    .isNull();
        }

        EventParser parser = new EventParser(cfg.ingestSettings());
        Set<String> seen = new HashSet<>();
        Map<String, List<Event>> byAccount = new TreeMap<>();
        ReferenceKpis ref = new ReferenceKpis(
                cfg.deals().stages().stream().map(RevstreamConfig.Stage::name).toList(),
                cfg.deals().stages().stream()
                        .mapToDouble(RevstreamConfig.Stage::winProbability)
                        .toArray(),
                cfg.deals().stages().stream()
                        .map(RevstreamConfig.Stage::forecastCategory)
                        .toArray(String[]::new),
                cfg.kpi().lookback().toMillis(),
                cfg.kpi().retentionLookback().toMillis());
        ref.quotas.putAll(quotas);
        for (GeneratedRecord r : records) {
            Event e = parser.parse(
                            r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(), 0, 0, null, r.value(), 0, now)
                    .event();
            if (e == null || !seen.add(e.dedupKey())) {
                continue;
            }
            if (e.type().equals("SPEND")) {
                ref.spend(e);
            }
            if (e.accountId() != null) {
                byAccount.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
            }
        }
        byAccount.forEach(ref::account);
        Map<String, Map<String, BigDecimal>> expected =
                ref.snapshots(cfg.kpi().windows(), span.earliest(), span.latest());

        List<String> differences = new ArrayList<>();
        Set<String> missing = new HashSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new HashSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        missing.stream().sorted().limit(5).forEach(k -> differences.add("missing " + k));
        extra.stream().sorted().limit(5).forEach(k -> differences.add("unexpected " + k + " " + actual.get(k)));
        int metrics = 0;
        for (Map.Entry<String, Map<String, BigDecimal>> e : expected.entrySet()) {
            JsonNode n = actual.get(e.getKey());
            if (n == null) {
                continue;
            }
            Set<String> names = new HashSet<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.removeAll(
                    List.of("windowSize", "windowStart", "windowEnd", "dimension", "dimensionValue", "revision"));
            if (!names.equals(e.getValue().keySet())) {
                differences.add(e.getKey() + ": metrics " + names + " vs expected "
                        + e.getValue().keySet());
            }
            for (Map.Entry<String, BigDecimal> m : e.getValue().entrySet()) {
                metrics++;
                JsonNode v = n.get(m.getKey());
                boolean same = m.getValue() == null
                        ? v != null && v.isNull()
                        : v != null && v.isNumber() && v.decimalValue().compareTo(m.getValue()) == 0;
                if (!same && differences.size() < 30) {
                    differences.add(e.getKey() + " " + m.getKey() + ": job " + v + ", reference " + m.getValue());
                }
            }
        }
        System.out.printf(
                "KPI randomized seed %d: %d records, %d snapshots, %d metric values compared, %d differences%n",
                seed, records.size(), expected.size(), metrics, differences.size());
        assertThat(differences).isEmpty();
        assertThat(movementAddsUp(actual.values()))
                .as("windows whose pipeline movement does not add up")
                .isEmpty();
        assertThat(expected.entrySet())
                .as("owners with a quota and wins have an attainment")
                .anyMatch(e -> e.getKey().contains(" ownerId=rep-")
                        && e.getValue().get("attainment") != null
                        && e.getValue().get("attainment").signum() > 0);
        assertThat(forecastsAsReported(cfg, actual))
                .as("forecasts on revops.forecasts that differ from the snapshots'")
                .isEmpty();
        assertThat(expected.values())
                .as("a learned forecast with a part for deals not yet created")
                .anyMatch(m -> positive(m, "forecast.fromNew") && positive(m, "forecast.expected"));
        List<String> neverSeen = new ArrayList<>();
        for (String flow : List.of(
                "openAtStart",
                "created",
                "pulledIn",
                "movedIn",
                "increased",
                "pushedOut",
                "decreased",
                "won",
                "lost",
                "movedOut",
                "regressed")) {
            if (expected.values().stream().noneMatch(m -> positive(m, "pipelineMovement." + flow + ".amount"))) {
                neverSeen.add(flow);
            }
        }
        assertThat(neverSeen)
                .as("flows of the pipeline movement that no window has")
                .isEmpty();
        assertThat(expected.keySet()).anyMatch(k -> k.contains(" channel="));
        assertThat(expected.keySet()).anyMatch(k -> k.startsWith("1M "));
        if (days > 400) {
            // the long history exercises retention and churn
            assertThat(expected.values())
                    .anyMatch(m ->
                            m.get("churnedArr") != null && m.get("churnedArr").signum() > 0);
            assertThat(expected.values()).anyMatch(m -> m.get("netRevenueRetention") != null);
            assertThat(expected.values()).anyMatch(m -> m.get("clv") != null);
        }
    }
}
