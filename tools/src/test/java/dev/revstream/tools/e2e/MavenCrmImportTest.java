package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.RunSummary;
import dev.revstream.tools.importer.CrmImporter;
import dev.revstream.tools.importer.CrmRecords;
import dev.revstream.tools.importer.MavenCrmFormat;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Real data end to end: the Maven Analytics CRM export is imported, replayed with a bounded run,
 * and the quarterly and yearly snapshots (dimension all) must show the won and lost counts, won
 * amount, win rate, average deal size and average sales cycle computed here directly from the CSV.
 */
class MavenCrmImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXPORT = locate("shared/data/maven-crm/sales_pipeline.csv");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("M/d/yyyy");

    @Test
    void quarterlyAndYearlyDealMetricsMatchTheCsv() throws Exception {
        RevstreamConfig cfg = Infra.config("maven-crm", "kpi.windows=1Q,1y");
        CrmRecords records = new MavenCrmFormat().read(EXPORT, ZoneOffset.UTC);
        long asOf = LocalDate.ofInstant(Instant.ofEpochMilli(records.latest), ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
        assertThat(Instant.ofEpochMilli(asOf)).isEqualTo(Instant.parse("2018-01-01T00:00:00Z"));
        assertThat(records.rows).isEqualTo(8800);
        assertThat(records.rejected)
                .extracting(CrmRecords.Rejected::reason)
                .containsOnly("no account", "no engage_date (creation date)");
        assertThat(records.rejected.stream()
                        .filter(r -> r.reason().equals("no account"))
                        .count())
                .isEqualTo(1425);
        CrmImporter.write(cfg, records, asOf);

        LocalFlink flink = Infra.flink();
        AsOfScanner.Span span = AsOfScanner.scan(cfg);
        assertThat(span.latest()).isEqualTo(asOf);
        JobID job = LocalRunner.submitBounded(flink, cfg, span, null, null);
        JobResult result = flink.awaitResult(job, Duration.ofMinutes(5));
        assertThat(result.isSuccess())
                .as("replay: %s", result.getSerializedThrowable())
                .isTrue();
        Map<String, Object> counts = RunSummary.counts(result);
        assertThat(counts.get(RunSummary.APPLIED))
                .as("every deal event applied: %s", RunSummary.sentence(counts))
                .isEqualTo((long) records.events.size());
        assertThat(counts.get(RunSummary.LATE)).isEqualTo(0L);

        Map<String, JsonNode> snapshots = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().kpis())) {
            JsonNode n = JSON.readTree(r.value());
            assertThat(Instant.parse(n.get("windowEnd").asText()).toEpochMilli())
                    .as("window ends by the as-of time")
                    .isLessThanOrEqualTo(asOf);
            if (n.get("dimension").asText().equals("all")) {
                snapshots.put(
                        n.get("windowSize").asText() + " "
                                + n.get("windowStart").asText(),
                        n);
            }
        }
        Map<String, Expected> expected = fromCsv();
        assertThat(snapshots.keySet()).containsAll(expected.keySet());
        System.out.println(
                "window                      won  lost  wonAmount    winRate   avgDealSize  avgSalesCycleDays");
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            JsonNode n = snapshots.get(e.getKey());
            Expected x = e.getValue();
            System.out.printf(
                    "%-26s %5d %5d %10s %10s %12s %12s%n",
                    e.getKey(),
                    n.get("dealsWon").asLong(),
                    n.get("dealsLost").asLong(),
                    n.get("wonAmount").decimalValue().toPlainString(),
                    n.get("winRate").decimalValue().toPlainString(),
                    n.get("avgDealSize").decimalValue().toPlainString(),
                    n.get("avgSalesCycleDays").decimalValue().toPlainString());
            assertThat(n.get("dealsWon").asLong()).as("%s won", e.getKey()).isEqualTo(x.won);
            assertThat(n.get("dealsLost").asLong()).as("%s lost", e.getKey()).isEqualTo(x.lost);
            assertThat(n.get("wonAmount").decimalValue())
                    .as("%s won amount", e.getKey())
                    .isEqualByComparingTo(x.wonAmount);
            assertThat(n.get("winRate").decimalValue())
                    .as("%s win rate", e.getKey())
                    .isEqualByComparingTo(x.winRate());
            assertThat(n.get("avgDealSize").decimalValue())
                    .as("%s deal size", e.getKey())
                    .isEqualByComparingTo(x.avgDealSize());
            assertThat(n.get("avgSalesCycleDays").decimalValue())
                    .as("%s cycle", e.getKey())
                    .isEqualByComparingTo(x.avgCycle());
        }
    }

    /** Per quarter (of the close date) and for 2017, straight from the CSV rows that can become deals. */
    private static Map<String, Expected> fromCsv() throws Exception {
        Map<String, Expected> out = new TreeMap<>();
        List<String> lines = Files.readAllLines(EXPORT);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String account = f[3];
            String stage = f[4];
            if (account.isBlank() || f[5].isBlank() || !(stage.equals("Won") || stage.equals("Lost"))) {
                continue;
            }
            LocalDate engaged = LocalDate.parse(f[5], DATE);
            LocalDate closed = LocalDate.parse(f[6], DATE);
            LocalDate quarter = closed.withDayOfMonth(1).withMonth((closed.getMonthValue() - 1) / 3 * 3 + 1);
            List<String> keys =
                    new ArrayList<>(List.of("1Q " + quarter.atStartOfDay().toInstant(ZoneOffset.UTC)));
            if (closed.getYear() == 2017) {
                keys.add("1y 2017-01-01T00:00:00Z");
            }
            for (String key : keys) {
                Expected x = out.computeIfAbsent(key, k -> new Expected());
                if (stage.equals("Won")) {
                    x.won++;
                    x.wonAmount = x.wonAmount.add(new BigDecimal(f[7]));
                    x.cycleDays += closed.toEpochDay() - engaged.toEpochDay();
                } else {
                    x.lost++;
                }
            }
        }
        return out;
    }

    private static final class Expected {
        long won;
        long lost;
        BigDecimal wonAmount = BigDecimal.ZERO;
        long cycleDays;

        BigDecimal winRate() {
            return BigDecimal.valueOf(won)
                    .divide(BigDecimal.valueOf(won + lost), MathContext.DECIMAL128)
                    .setScale(6, RoundingMode.HALF_EVEN);
        }

        BigDecimal avgDealSize() {
            return wonAmount
                    .divide(BigDecimal.valueOf(won), MathContext.DECIMAL128)
                    .setScale(2, RoundingMode.HALF_EVEN);
        }

        BigDecimal avgCycle() {
            return BigDecimal.valueOf(cycleDays)
                    .divide(BigDecimal.valueOf(won), MathContext.DECIMAL128)
                    .setScale(6, RoundingMode.HALF_EVEN);
        }
    }

    private static Path locate(String relative) {
        for (Path p : List.of(Path.of("..", "..", relative), Path.of("..", relative))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the shared data is not beside the project: " + relative);
    }
}
