package dev.revstream.job.warehouse;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
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

/**
 * A warehouse table: its columns, the time that decides a row's partition ({@code date=YYYY-MM-DD},
 * UTC), and a Parquet writer that writes the columns straight from the records (no intermediate
 * Avro or row objects).
 */
public final class ParquetTable<T> implements Serializable {
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

    /** Flink's bulk writer factory for this table. */
    public ParquetWriterFactory<T> writerFactory(CompressionCodecName codec) {
        ParquetTable<T> table = this;
        return new ParquetWriterFactory<>(
                out -> new Builder<>(out, table).withCompressionCodec(codec).build());
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final ParquetTable<T> table;

        Builder(OutputFile out, ParquetTable<T> table) {
            super(out);
            this.table = table;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new ColumnsWriteSupport<>(table);
        }
    }

    /** Writes each column of a record with its Parquet type. */
    private static final class ColumnsWriteSupport<T> extends WriteSupport<T> {
        private final ParquetTable<T> table;
        private final MessageType schema;
        private RecordConsumer out;

        ColumnsWriteSupport(ParquetTable<T> table) {
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
        public void write(T record) {
            out.startMessage();
            for (int i = 0; i < table.columns.size(); i++) {
                Column<T> c = table.columns.get(i);
                Object v = c.value().apply(record);
                if (v == null) {
                    continue;
                }
                out.startField(c.name(), i);
                switch (c.kind()) {
                    case STRING -> out.addBinary(Binary.fromString(v.toString()));
                    case LONG, TIMESTAMP -> out.addLong(((Number) v).longValue());
                    case INT -> out.addInteger(((Number) v).intValue());
                    case BOOLEAN -> out.addBoolean((Boolean) v);
                    case DATE ->
                        out.addInteger((int) LocalDate.parse(v.toString()).toEpochDay());
                    case DECIMAL ->
                        out.addBinary(Binary.fromConstantByteArray(((BigDecimal) v)
                                .setScale(DECIMAL_SCALE, RoundingMode.HALF_EVEN)
                                .unscaledValue()
                                .toByteArray()));
                }
                out.endField(c.name(), i);
            }
            out.endMessage();
        }
    }
}
