package dev.revstream.job.warehouse;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warehouse table: its columns, the time that decides a row's partition ({@code date=YYYY-MM-DD},
 * UTC), and a Parquet writer that writes the columns straight from the records (no intermediate
 * Avro or row objects).
 */
public final class ParquetTable<T> implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetTable.class);
    /** Rows skipped because a value could not be written, in this JVM (logged one by one). */
    static final AtomicLong SKIPPED = new AtomicLong();

    private static final long serialVersionUID = 1L;
    static final int DECIMAL_SCALE = 9;
    static final int DECIMAL_PRECISION = 38;

    private final String name;
    private final List<Column<T>> columns;
    private final SerializableFunction<T, Long> partitionTime;

    public ParquetTable(String name, List<Column<T>> columns, SerializableFunction<T, Long> partitionTime) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.partitionTime = partitionTime;
    }

    public String name() {
        return name;
    }

    public List<Column<T>> columns() {
        return columns;
    }

    long partitionTime(T record) {
        return partitionTime.apply(record);
    }

    /** The Parquet schema: every column optional. */
    public MessageType schema() {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column<T> c : columns) {
            switch (c.kind()) {
                case STRING ->
                    b.optional(PrimitiveTypeName.BINARY)
                            .as(LogicalTypeAnnotation.stringType())
                            .named(c.name());
                case LONG -> b.optional(PrimitiveTypeName.INT64).named(c.name());
                case INT -> b.optional(PrimitiveTypeName.INT32).named(c.name());
                case BOOLEAN -> b.optional(PrimitiveTypeName.BOOLEAN).named(c.name());
                case TIMESTAMP ->
                    b.optional(PrimitiveTypeName.INT64)
                            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                            .named(c.name());
                case DATE ->
                    b.optional(PrimitiveTypeName.INT32)
                            .as(LogicalTypeAnnotation.dateType())
                            .named(c.name());
                case DECIMAL ->
                    b.optional(PrimitiveTypeName.BINARY)
                            .as(LogicalTypeAnnotation.decimalType(DECIMAL_SCALE, DECIMAL_PRECISION))
                            .named(c.name());
            }
        }
        return b.named(name);
    }

    /**
     * Flink's bulk writer factory for this table. A record's values are all converted before its row is
     * handed to Parquet, so a value that cannot be (a bug: nothing in the contract should) skips the row,
     * logged and counted in {@link #SKIPPED}, instead of failing the sink (and restarting the job on the
     * same row forever) or writing half a row; the record itself is in its Kafka topic.
     */
    public BulkWriter.Factory<T> writerFactory(CompressionCodecName codec) {
        ParquetTable<T> table = this;
        ParquetWriterFactory<Object[]> rows = new ParquetWriterFactory<>(
                out -> new Builder(out, table).withCompressionCodec(codec).build());
        return stream -> {
            BulkWriter<Object[]> writer = rows.create(stream);
            return new BulkWriter<T>() {
                @Override
                public void addElement(T element) throws IOException {
                    Object[] row = table.row(element);
                    if (row != null) {
                        writer.addElement(row);
                    }
                }

                @Override
                public void flush() throws IOException {
                    writer.flush();
                }

                @Override
                public void finish() throws IOException {
                    writer.finish();
                }
            };
        };
    }

    /** The record's values as Parquet takes them, by column; null (logged, counted) when one cannot be made. */
    Object[] row(T record) {
        Object[] values = new Object[columns.size()];
        try {
            for (int i = 0; i < values.length; i++) {
                Column<T> c = columns.get(i);
                Object v = c.value().apply(record);
                values[i] = v == null
                        ? null
                        : switch (c.kind()) {
                            case STRING -> Binary.fromString(v.toString());
                            case LONG, TIMESTAMP -> ((Number) v).longValue();
                            case INT -> ((Number) v).intValue();
                            case BOOLEAN -> (Boolean) v;
                            case DATE -> (int) LocalDate.parse(v.toString()).toEpochDay();
                            case DECIMAL ->
                                Binary.fromConstantByteArray(((BigDecimal) v)
                                        .setScale(DECIMAL_SCALE, RoundingMode.HALF_EVEN)
                                        .unscaledValue()
                                        .toByteArray());
                        };
            }
            return values;
        } catch (RuntimeException e) {
            SKIPPED.incrementAndGet();
            LOG.warn("warehouse table {}: a row could not be written and is skipped: {}", name, record, e);
            return null;
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final ParquetTable<?> table;

        Builder(OutputFile out, ParquetTable<?> table) {
            super(out);
            this.table = table;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(table);
        }
    }

    /** Writes a prepared row: each value with its column's Parquet type. */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final ParquetTable<?> table;
        private final MessageType schema;
        private RecordConsumer out;

        RowWriteSupport(ParquetTable<?> table) {
            this.table = table;
            this.schema = table.schema();
        }

        @Override
        public WriteContext init(Configuration configuration) {
            HashMap<String, String> meta = new HashMap<>();
            meta.put("revstream.table", table.name);
            return new WriteContext(schema, meta);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Object[] values) {
            out.startMessage();
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    continue;
                }
                Column<?> c = table.columns.get(i);
                out.startField(c.name(), i);
                switch (c.kind()) {
                    case STRING, DECIMAL -> out.addBinary((Binary) v);
                    case LONG, TIMESTAMP -> out.addLong((Long) v);
                    case INT, DATE -> out.addInteger((Integer) v);
                    case BOOLEAN -> out.addBoolean((Boolean) v);
                }
                out.endField(c.name(), i);
            }
            out.endMessage();
        }
    }
}
