package dev.revstream.job;

import dev.revstream.actions.Recommendation;
import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.config.RevstreamConfig.Delivery;
import dev.revstream.config.Units;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.job.kafka.IngestDeserializer;
import dev.revstream.job.kafka.JsonRecords;
import dev.revstream.job.warehouse.WarehouseSinks;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.kafka.OutputJson;
import dev.revstream.kpi.ForecastRecord;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.quality.QualityReport;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The production wiring of {@link RevstreamJob}: its source reads the input topics (parsed and
 * validated in the source), its sinks write the output topics with JSON records in Kafka transactions
 * (a transaction timeout below the broker's maximum), and the Parquet tables when the warehouse is on.
 */
public final class KafkaIo {
    private KafkaIo() {}

    /** The production wiring: Kafka in, Kafka out. */
    public static RevstreamJob.Io io(RevstreamConfig cfg, RunKind kind) {
        return io(cfg, kind, null);
    }

    /** @param stopAt where a bounded run stops (the pre-scan's end offsets); null for the offsets at start */
    public static RevstreamJob.Io io(RevstreamConfig cfg, RunKind kind, Map<TopicPartition, Long> stopAt) {
        return new RevstreamJob.Io(
                kafkaSource(cfg, kind, stopAt),
                kafkaSink(
                        cfg,
                        kind,
                        "events",
                        new JsonRecords<>(
                                cfg.topics().events(),
                                cfg.topics().deadletter(),
                                Event::routingKey,
                                OutputJson::event)),
                kafkaSink(
                        cfg,
                        kind,
                        "deadletter",
                        new JsonRecords<>(
                                cfg.topics().deadletter(),
                                cfg.topics().deadletter(),
                                d -> d.key() == null ? null : new String(d.key(), StandardCharsets.UTF_8),
                                OutputJson::deadLetter)),
                kafkaSink(
                        cfg,
                        kind,
                        "late",
                        new JsonRecords<>(
                                cfg.topics().late(),
                                cfg.topics().deadletter(),
                                l -> l.event().routingKey(),
                                OutputJson::late)),
                kafkaSink(
                        cfg,
                        kind,
                        "dataquality",
                        new JsonRecords<>(
                                cfg.topics().dataquality(),
                                cfg.topics().deadletter(),
                                r -> r.dimension() + "|" + r.windowStart(),
                                qualityJson(Units.format(cfg.dataQuality().window())))),
                kafkaSink(
                        cfg,
                        kind,
                        "journey",
                        new JsonRecords<>(
                                cfg.topics().journey(),
                                cfg.topics().deadletter(),
                                JourneyUpdate::accountId,
                                OutputJson::journey)),
                kafkaSink(
                        cfg,
                        kind,
                        "alerts",
                        new JsonRecords<>(
                                cfg.topics().alerts(), cfg.topics().deadletter(), Alert::accountId, OutputJson::alert)),
                kafkaSink(
                        cfg,
                        kind,
                        "kpis",
                        new JsonRecords<>(
                                cfg.topics().kpis(), cfg.topics().deadletter(), KpiSnapshot::key, OutputJson::kpi)),
                kafkaSink(
                        cfg,
                        kind,
                        "forecasts",
                        new JsonRecords<>(
                                cfg.topics().forecasts(),
                                cfg.topics().deadletter(),
                                ForecastRecord::key,
                                OutputJson::forecast)),
                kafkaSink(
                        cfg,
                        kind,
                        "attribution",
                        new JsonRecords<>(
                                cfg.topics().attribution(),
                                cfg.topics().deadletter(),
                                AttributionRecord::accountId,
                                OutputJson::attribution)),
                kafkaSink(
                        cfg,
                        kind,
                        "actions",
                        new JsonRecords<>(
                                cfg.topics().actions(),
                                cfg.topics().deadletter(),
                                Recommendation::accountId,
                                OutputJson::recommendation)),
                cfg.warehouse().enabled()
                        ? WarehouseSinks.create(
                                cfg.warehouse().path(),
                                CompressionCodecName.fromConf(
                                        "none".equals(cfg.warehouse().compression())
                                                ? "UNCOMPRESSED"
                                                : cfg.warehouse().compression().toUpperCase(Locale.ROOT)))
                        : null);
    }

    private static SerializableFunction<QualityReport, byte[]> qualityJson(String size) {
        return r -> OutputJson.quality(r, size);
    }

    static KafkaSource<Ingested> kafkaSource(RevstreamConfig cfg, RunKind kind, Map<TopicPartition, Long> stopAt) {
        OffsetsInitializer start = switch (kind == RunKind.BOUNDED
                ? RevstreamConfig.StartingOffsets.EARLIEST
                : cfg.kafka().startingOffsets()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        Properties props = sourceProperties(cfg, kind);
        var builder = KafkaSource.<Ingested>builder()
                .setBootstrapServers(cfg.kafka().bootstrapServers())
                .setTopics(cfg.inputTopics())
                .setGroupId(cfg.kafka().groupId())
                .setStartingOffsets(start)
                .setDeserializer(new IngestDeserializer(cfg.ingestSettings()))
                .setProperties(props)
                .setProperty("partition.discovery.interval.ms", kind == RunKind.BOUNDED ? "-1" : "60000");
        if (kind == RunKind.BOUNDED) {
            builder.setBounded(stopAt == null ? OffsetsInitializer.latest() : OffsetsInitializer.offsets(stopAt));
        }
        return builder.build();
    }

    /**
     * The input consumer's properties: {@code kafka.properties} and, where those do not say otherwise, read
     * committed and (live) fetches of at least 16 KiB or 50 ms.
     */
    public static Properties sourceProperties(RevstreamConfig cfg, RunKind kind) {
        Properties props = new Properties();
        props.putAll(cfg.kafka().properties());
        // input written by transactional producers: never read what was aborted
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (kind == RunKind.LIVE) {
            // Kafka answers a fetch as soon as one byte is there: live, that is a fetch (and a wake-up of the
            // source) per few records, a tenth of a saturated job's CPU at 5,000 events/s (docs/performance.md)
            props.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "16384");
            props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        }
        return props;
    }

    static <T> KafkaSink<T> kafkaSink(RevstreamConfig cfg, RunKind kind, String name, JsonRecords<T> records) {
        Properties props = new Properties();
        props.putAll(cfg.kafka().properties());
        props.put(
                "transaction.timeout.ms",
                Long.toString(cfg.kafka().transactionTimeout().toMillis()));
        props.put("max.request.size", Integer.toString(cfg.kafka().maxRecordBytes()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(cfg.kafka().bootstrapServers())
                .setRecordSerializer(records)
                .setDeliveryGuarantee(
                        cfg.kafka().delivery() == Delivery.EXACTLY_ONCE
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(String.join("-", cfg.kafka().transactionalIdPrefix(), kind.id(), name))
                .setKafkaProducerConfig(props)
                .build();
    }
}
