package dev.revstream.job.warehouse;

import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** Partitions a table's files as {@code date=YYYY-MM-DD} by the UTC date of the row's partition time. */
final class UtcDateBuckets<T> implements BucketAssigner<T, String> {
    private static final long serialVersionUID = 1L;
    private final ParquetTable<T> table;

    UtcDateBuckets(ParquetTable<T> table) {
        this.table = table;
    }

    @Override
    public String getBucketId(T element, Context context) {
        return "date="
                + Instant.ofEpochMilli(table.partitionTime(element))
                        .atZone(ZoneOffset.UTC)
                        .toLocalDate();
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
