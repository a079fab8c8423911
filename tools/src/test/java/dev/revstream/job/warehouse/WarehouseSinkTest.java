package dev.revstream.job.warehouse;

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
import dev.revstream.tools.testing.TopicIo.Out;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse sink through the real job, with both TaskManagers killed mid-stream: the Parquet
 * files, read back by DuckDB (an independent reader), hold exactly what the exactly-once Kafka
 * outputs hold (events, alerts, attribution, KPI snapshots as one row per metric): nothing twice,
 * nothing missing; partitioned by UTC date; with the documented schemas.
 */
class WarehouseSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parquetHoldsExactlyWhatWentInThroughAFailure(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("warehouse");
        RevstreamConfig cfg = Infra.config(
                "warehouse",
                "time.follow-wall-clock=false",
                "time.out-of-orderness=1h",
                "warehouse.path=" + warehouse.toUri());
        String bootstrap = cfg.kafka().bootstrapServers();
        LocalFlink flink = Infra.flink();
        KafkaTopics.ensure(cfg);

        long base = Instant.parse("2026-03-30T20:00:00Z").toEpochMilli(); // spans three UTC dates
        List<Out> all = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String account = "acct-" + (i % 40);
            long at = base + i * 120_000L;
            if (i % 40 == 5) {
                all.add(deal(
                        cfg.topics().deals(),
                        "c-" + i,
                        at,
                        "deal-" + i,
                        account,
                        "CREATED",
                        "\"amount\":1000.5,\"stage\":\"PROPOSAL\""));
            } else if (i % 40 == 25) {
                all.add(deal(cfg.topics().deals(), "w-" + i, at, "deal-" + (i - 20), account, "CLOSED_WON", null));
            } else {
                all.add(Out.json(
                        cfg.topics().touchpoints(),
                        account,
                        "{\"eventId\":\"t-" + i + "\",\"occurredAt\":" + at
                                + ",\"source\":\"test\",\"accountId\":\"" + account + "\",\"type\":\""
                                + (i % 40 == 1 ? "MQL" : "WEB_VISIT")
                                + "\"}"));
            }
        }
        TopicIo.produce(bootstrap, all.subList(0, 400));
        JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
        try {
            TopicIo.readUntil(bootstrap, cfg.topics().events(), true, Duration.ofSeconds(90), r -> r.size() >= 200);
            // committed output means a completed checkpoint; the REST statistics may show it a moment later
            long checkpointed = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (flink.completedCheckpoints(job) < 1 && System.nanoTime() < checkpointed) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // polling the REST API, bounded above
            }
            assertThat(flink.completedCheckpoints(job)).isGreaterThanOrEqualTo(1);
            TopicIo.produce(bootstrap, all.subList(400, 800));
            TopicIo.readUntil(bootstrap, cfg.topics().events(), false, Duration.ofSeconds(60), r -> r.size() >= 500);
            // the failure: both TaskManagers the job runs on go, fresh ones take over from the last checkpoint
            // fresh TaskManagers first, then kill the ones the job runs on
            Infra.replaceTaskManagers();
            TopicIo.produce(bootstrap, all.subList(800, 1200));
            List<Out> heartbeats = new ArrayList<>();
            for (int p = 0; p < cfg.kafka().topicPartitions(); p++) { // event time moves on: windows close, SLAs pass
                heartbeats.add(new Out(
                        cfg.topics().touchpoints(),
                        p,
                        null,
                        ("{\"eventId\":\"hb-" + p + "\",\"occurredAt\":"
                                        + (base + Duration.ofDays(3).toMillis())
                                        + ",\"source\":\"test\",\"type\":\"HEARTBEAT\"}")
                                .getBytes()));
            }
            TopicIo.produce(bootstrap, heartbeats);
            TopicIo.readUntil(
                    bootstrap, cfg.topics().events(), true, Duration.ofSeconds(120), r -> r.size() >= all.size());

            // both sides commit on the same checkpoints: poll until they agree, then compare exactly
            Map<String, List<String>> kafka = new LinkedHashMap<>();
            Map<String, List<String>> parquet = new LinkedHashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            do {
                kafka = kafkaSide(cfg);
                parquet = parquetSide(warehouse);
                if (kafka.equals(parquet)
                        && !kafka.get("kpis").isEmpty()
                        && !kafka.get("alerts").isEmpty()) {
                    break;
                }
                LockSupport.parkNanos(200_000_000L); // waiting for the next checkpoint, bounded above
            } while (System.nanoTime() < deadline);
            assertThat(parquet.get("events")).hasSize(all.size()).doesNotHaveDuplicates();
            assertThat(parquet.get("alerts")).isNotEmpty().doesNotHaveDuplicates();
            assertThat(parquet.get("attribution")).isNotEmpty().doesNotHaveDuplicates();
            assertThat(parquet.get("kpis")).isNotEmpty().doesNotHaveDuplicates();
            assertThat(parquet).isEqualTo(kafka);
            System.out.printf(
                    "warehouse test: events %d, alerts %d, attribution %d, KPI rows %d: equal to the Kafka outputs%n",
                    parquet.get("events").size(),
                    parquet.get("alerts").size(),
                    parquet.get("attribution").size(),
                    parquet.get("kpis").size());
            assertThat(flink.miniCluster().getExecutionGraph(job).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job went through a restart")
                    .isGreaterThan(0);

            // partitions by UTC date; no visible file but finished Parquet files
            try (Stream<Path> dates = Files.list(warehouse.resolve("events"))) {
                assertThat(dates.map(p -> p.getFileName().toString()).sorted().toList())
                        .containsExactly(
                                "date=2026-03-30", "date=2026-03-31", "date=2026-04-01"); // 40 hours from 20:00
            }
            try (Stream<Path> files = Files.walk(warehouse)) {
                assertThat(files.filter(Files::isRegularFile)
                                .map(p -> p.getFileName().toString())
                                .filter(n -> !n.startsWith(".")))
                        .allMatch(n -> n.startsWith("part-") && n.endsWith(".parquet"));
            }
            assertThat(schema(warehouse, "events")).containsExactlyEntriesOf(documented(Tables.EVENTS));
            assertThat(schema(warehouse, "kpis")).containsExactlyEntriesOf(documented(Tables.KPIS));
            assertThat(schema(warehouse, "alerts")).containsExactlyEntriesOf(documented(Tables.ALERTS));
            assertThat(schema(warehouse, "attribution")).containsExactlyEntriesOf(documented(Tables.ATTRIBUTION));
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT amount, occurredAt FROM " + scan(warehouse, "events") + " WHERE eventId = 'c-5'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("1000.5");
                assertThat(rs.getObject(2, OffsetDateTime.class).toInstant())
                        .isEqualTo(Instant.parse("2026-03-30T20:10:00Z"));
            }
        } finally {
            flink.cancel(job);
        }
    }

    private static Out deal(
            String topic, String id, long at, String dealId, String account, String type, String extra) {
        return Out.json(
                topic,
                account,
                "{\"eventId\":\"" + id + "\",\"occurredAt\":" + at + ",\"source\":\"crm\",\"dealId\":\"" + dealId
                        + "\",\"accountId\":\"" + account + "\",\"type\":\"" + type + "\""
                        + (extra == null ? "" : "," + extra) + "}");
    }

    /** Identities of what the Kafka outputs hold, read committed, sorted. */
    private static Map<String, List<String>> kafkaSide(RevstreamConfig cfg) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String b = cfg.kafka().bootstrapServers();
        out.put(
                "events",
                ids(
                        TopicIo.readAll(b, cfg.topics().events(), true),
                        n -> n.get("source").asText() + "/" + n.get("eventId").asText()));
        out.put(
                "alerts",
                ids(
                        TopicIo.readAll(b, cfg.topics().alerts(), true),
                        n -> n.get("alertId").asText()));
        out.put(
                "attribution",
                ids(
                        TopicIo.readAll(b, cfg.topics().attribution(), true),
                        n -> n.get("attributionId").asText() + " "
                                + n.get("credit")
                                        .decimalValue()
                                        .stripTrailingZeros()
                                        .toPlainString()));
        List<String> kpis = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readAll(b, cfg.topics().kpis(), true)) {
            JsonNode n = JSON.readTree(r.value());
            String window = n.get("windowSize").asText() + " "
                    + Instant.parse(n.get("windowStart").asText()).toEpochMilli() + " "
                    + n.get("dimension").asText() + "="
                    + n.get("dimensionValue").asText();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!List.of("windowSize", "windowStart", "windowEnd", "dimension", "dimensionValue", "revision")
                        .contains(e.getKey())) {
                    flatten(kpis, window, e.getKey(), e.getValue());
                }
            }
        }
        out.put("kpis", kpis.stream().sorted().toList());
        return out;
    }

    private static void flatten(List<String> rows, String window, String name, JsonNode v) {
        if (v.isObject()) {
            v.fields().forEachRemaining(e -> flatten(rows, window, name + "." + e.getKey(), e.getValue()));
        } else {
            rows.add(window + " " + name + " "
                    + (v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString() : "null"));
        }
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records, Function<JsonNode, String> id)
            throws Exception {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(id.apply(JSON.readTree(r.value())));
        }
        return out.stream().sorted().toList();
    }

    private static String scan(Path warehouse, String table) {
        return "read_parquet('" + warehouse.resolve(table) + "/*/*.parquet', hive_partitioning = true)";
    }

    /** The same identities from the Parquet files, through DuckDB. */
    private static Map<String, List<String>> parquetSide(Path warehouse) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("events", query(warehouse, "events", "source || '/' || eventId"));
        out.put("alerts", query(warehouse, "alerts", "alertId"));
        out.put(
                "attribution",
                query(warehouse, "attribution", "attributionId || ' ' || CAST(CAST(credit AS DOUBLE) AS VARCHAR)"));
        out.put(
                "kpis",
                query(
                        warehouse,
                        "kpis",
                        "windowSize || ' ' || CAST(epoch_ms(windowStart) AS VARCHAR) || ' ' || dimension || '='"
                                + " || dimensionValue || ' ' || metric || ' ' || COALESCE(CAST(value AS VARCHAR), 'null')"));
        // DuckDB prints decimals with their scale: normalise as the Kafka side does
        out.put(
                "kpis",
                out.get("kpis").stream()
                        .map(WarehouseSinkTest::stripDecimal)
                        .sorted()
                        .toList());
        out.put(
                "attribution",
                out.get("attribution").stream()
                        .map(WarehouseSinkTest::stripDecimal)
                        .sorted()
                        .toList());
        return out;
    }

    private static String stripDecimal(String row) {
        int space = row.lastIndexOf(' ');
        String last = row.substring(space + 1);
        if (last.equals("null")) {
            return row;
        }
        return row.substring(0, space + 1)
                + new BigDecimal(last).stripTrailingZeros().toPlainString();
    }

    private static List<String> query(Path warehouse, String table, String expr) throws SQLException {
        if (!Files.isDirectory(warehouse.resolve(table))) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + expr + " FROM " + scan(warehouse, table))) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (e.getMessage().contains("No files found")) {
                return List.of();
            }
            throw e;
        }
        return out.stream().sorted().toList();
    }

    private static Map<String, String> schema(Path warehouse, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "DESCRIBE SELECT * FROM read_parquet('" + warehouse.resolve(table) + "/*/*.parquet')")) {
            while (rs.next()) {
                columns.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return columns;
    }

    /** What the table of docs/outputs.md says each column is, in DuckDB's names. */
    private static <T> Map<String, String> documented(ParquetTable<T> table) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Column<T> c : table.columns()) {
            m.put(
                    c.name(),
                    switch (c.kind()) {
                        case STRING -> "VARCHAR";
                        case LONG -> "BIGINT";
                        case INT -> "INTEGER";
                        case BOOLEAN -> "BOOLEAN";
                        case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
                        case DATE -> "DATE";
                        case DECIMAL -> "DECIMAL(38,9)";
                    });
        }
        m.put("date", "DATE"); // the partition folder, read as a column by hive-partitioning readers
        return m;
    }
}
