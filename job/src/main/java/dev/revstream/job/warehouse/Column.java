package dev.revstream.job.warehouse;

import java.io.Serializable;
import org.apache.flink.util.function.SerializableFunction;

/**
 * One column of a warehouse table: its name, its Parquet type and how to read it from a record
 * (null for an absent value; every column is optional).
 */
public record Column<T>(String name, Kind kind, SerializableFunction<T, Object> value) implements Serializable {

    /** The column types, as Parquet physical and logical types. */
    public enum Kind {
        /** BINARY, logical STRING (UTF-8). */
        STRING,
        /** INT64. */
        LONG,
        /** INT32. */
        INT,
        /** BOOLEAN. */
        BOOLEAN,
        /** INT64, logical TIMESTAMP(MILLIS, UTC). */
        TIMESTAMP,
        /** INT32, logical DATE (from a YYYY-MM-DD text). */
        DATE,
        /** BINARY, logical DECIMAL(38, 9). */
        DECIMAL
    }

    public static <T> Column<T> of(String name, Kind kind, SerializableFunction<T, Object> value) {
        return new Column<>(name, kind, value);
    }
}
