package dev.revstream.job.warehouse;

import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.model.Event;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The warehouse sinks: one Parquet table per output under {@code warehouse.path}
 * ({@code <path>/<table>/date=YYYY-MM-DD/part-<uuid>-<n>.parquet}), through Flink's FileSink:
 * files roll at every checkpoint and become visible (renamed from hidden in-progress files) only
 * when the checkpoint completes, so a restore never leaves a duplicate or a partial file. Any file
 * system Flink knows works (file://, s3://, hdfs:// with the plugin installed).
 */
public record WarehouseSinks(
        Sink<Event> events, Sink<KpiRow> kpis, Sink<Alert> alerts, Sink<AttributionRecord> attribution) {

    public static WarehouseSinks create(String basePath, CompressionCodecName codec) {
        return new WarehouseSinks(
                sink(basePath, Tables.EVENTS, codec),
                sink(basePath, Tables.KPIS, codec),
                sink(basePath, Tables.ALERTS, codec),
                sink(basePath, Tables.ATTRIBUTION, codec));
    }

    private static <T> FileSink<T> sink(String basePath, ParquetTable<T> table, CompressionCodecName codec) {
        return FileSink.forBulkFormat(new Path(basePath, table.name()), table.writerFactory(codec))
                .withBucketAssigner(new UtcDateBuckets<>(table))
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("part")
                        .withPartSuffix(".parquet")
                        .build())
                .build();
    }
}
