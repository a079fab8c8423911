package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.EventKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * Debezium change records of CRM tables (https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-events):
 * the envelope ({@code op}, {@code before}, {@code after}, {@code source}, {@code ts_ms}) as the JSON
 * converter writes it, with or without its {@code schema}/{@code payload} wrapper. The table's mapping
 * ({@code tables} in a mapping file) says what its rows are and which column is which field.
 *
 * <ul>
 *   <li>a deal table: a created or snapshot row ({@code c}, {@code r}) a {@code CREATED}; an update
 *       ({@code u}) a {@code STAGE_CHANGED} when the stage column changed, else an {@code UPDATED}
 *       when a mapped column did, else nothing;
 *   <li>a touchpoint table: a created or snapshot row a touchpoint; updates nothing;
 *   <li>deleted rows and unmapped tables: counted (a tombstone, the null value Kafka compaction needs
 *       after a delete, is counted by the parser).
 * </ul>
 * The time is the mapped {@code occurredAt} column when it has a value (epoch seconds, ms or µs, or
 * an ISO timestamp), else the commit time {@code source.ts_ms}. Amounts are numbers, decimal text, or
 * the bytes of {@code decimal.handling.mode=precise} (the scale from the schema or the table's
 * {@code decimal-scale}).
 */
public final class DebeziumFormat implements FormatAdapter {
    private final SourceMappings mappings;

    public DebeziumFormat(SourceMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public Translation translate(JsonNode value) throws Rejection {
        boolean wrapped =
                value.path("payload").isObject() && value.path("payload").has("op");
        JsonNode env = wrapped ? value.get("payload") : value;
        JsonNode schema = wrapped ? value.get("schema") : null;
        String op = VendorJson.required(env, "op", "op");
        JsonNode source = env.get("source");
        String table = VendorJson.required(source, "source.table", "table");
        TableMapping mapping = mappings.table(VendorJson.text(source, "db"), VendorJson.text(source, "schema"), table);
        String sourceName = mapping == null ? "debezium" : mapping.source();
        if (mapping == null) {
            return Translation.skip(sourceName, "table " + table + " has no mapping (tables in ingest.mappings)");
        }
        JsonNode before = env.get("before");
        JsonNode after = env.get("after");
        if (op.equals("d")) {
            return Translation.skip(sourceName, "a deleted row of " + table);
        }
        if (!op.equals("c") && !op.equals("r") && !op.equals("u")) {
            return Translation.skip(sourceName, "Debezium op '" + op + "' is not a row change");
        }
        if (after == null || !after.isObject()) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "after", "a Debezium " + op + " record has the row in after");
        }
        long at = time(env, source, after, mapping);
        String eventId = column(after, mapping, "eventId");
        String key = mapping.kind() == EventKind.DEAL
                ? column(after, mapping, "dealId")
                : column(after, mapping, "contactId");
        if (eventId == null) {
            eventId = VendorJson.eventId(table, String.valueOf(key), op, position(source, env));
        }
        boolean created = op.equals("c") || op.equals("r");
        if (mapping.kind() == EventKind.TOUCHPOINT) {
            return created
                    ? Translation.of(
                            sourceName,
                            fields(CanonicalEvent.touchpoint(sourceName, eventId, at), after, mapping, schema)
                                    .build())
                    : Translation.skip(sourceName, "an update of a touchpoint row of " + table);
        }
        String type;
        if (created) {
            type = "CREATED";
        } else if (before != null && before.isObject() && !changed(before, after, mapping)) {
            return Translation.skip(sourceName, "an update of " + table + " to columns revstream does not read");
        } else if (before == null
                || !before.isObject()
                || !Objects.equals(column(before, mapping, "stage"), column(after, mapping, "stage"))) {
            // without the row before (REPLICA IDENTITY DEFAULT), the stage is read as a stage change: a
            // repeat of the current stage changes nothing
            type = "STAGE_CHANGED";
        } else {
            type = "UPDATED";
        }
        CanonicalEvent c = fields(CanonicalEvent.deal(sourceName, eventId, at), after, mapping, schema)
                .put("type", type);
        return Translation.of(sourceName, c.build());
    }

    private static CanonicalEvent fields(CanonicalEvent c, JsonNode row, TableMapping mapping, JsonNode schema)
            throws Rejection {
        for (String field : TableMapping.FIELDS) {
            if (field.equals("eventId")
                    || field.equals("occurredAt")
                    || field.equals("type") && mapping.kind() == EventKind.DEAL) {
                continue;
            }
            String col = mapping.column(field);
            if (col == null) {
                continue;
            }
            switch (field) {
                case "amount" -> c.put(field, amount(row.get(col), col, scale(schema, col, mapping)));
                case "expectedCloseDate" -> c.put(field, date(row.get(col)));
                default -> c.put(field, VendorJson.text(row, col));
            }
        }
        return c;
    }

    /**
     * An amount: a number, decimal text ({@code decimal.handling.mode} double or string), or the
     * base64 of the unscaled value's two's-complement bytes (precise, the default) with the scale
     * from the record's schema or the table's {@code decimal-scale}.
     */
    private static BigDecimal amount(JsonNode v, String col, Integer scale) throws Rejection {
        if (v == null || v.isNull() || v.isNumber()) {
            return v == null || v.isNull() ? null : v.decimalValue();
        }
        String s = v.asText().trim();
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException notText) {
            if (scale == null) {
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        col,
                        s,
                        "column " + col + " '" + s + "' is not a number; for a decimal written as bytes (Debezium's"
                                + " decimal.handling.mode=precise) give the table a decimal-scale, or set the connector's"
                                + " decimal.handling.mode to string");
            }
            try {
                return new BigDecimal(new BigInteger(Base64.getDecoder().decode(s)), scale);
            } catch (IllegalArgumentException e) {
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        col,
                        s,
                        "column " + col + " '" + s + "' is neither a number nor base64");
            }
        }
    }

    /** The scale of a decimal column: from the record's schema when it has one, else the table's mapping. */
    private static Integer scale(JsonNode schema, String col, TableMapping mapping) {
        if (schema != null) {
            for (JsonNode part : schema.path("fields")) {
                if ("after".equals(part.path("field").asText())) {
                    for (JsonNode f : part.path("fields")) {
                        JsonNode scale = f.path("parameters").path("scale");
                        String digits = scale.asText("");
                        if (col.equals(f.path("field").asText())
                                && digits.matches("\\d{1,2}")
                                && Integer.parseInt(digits) <= 18) {
                            return Integer.parseInt(digits);
                        }
                    }
                }
            }
        }
        return mapping.decimalScale();
    }

    private static boolean changed(JsonNode before, JsonNode after, TableMapping mapping) {
        for (String field : TableMapping.FIELDS) {
            String col = mapping.column(field);
            if (col != null && !field.equals("occurredAt") && !Objects.equals(before.get(col), after.get(col))) {
                return true;
            }
        }
        return false;
    }

    private static String column(JsonNode row, TableMapping mapping, String field) {
        String col = mapping.column(field);
        return col == null ? null : VendorJson.text(row, col);
    }

    /** Where the change sits in the database's log, to tell two changes of a row apart. */
    private static String position(JsonNode source, JsonNode env) {
        for (String f : new String[] {"lsn", "scn", "change_lsn", "commit_lsn", "sequence"}) {
            String s = VendorJson.text(source, f);
            if (s != null) {
                return s;
            }
        }
        String file = VendorJson.text(source, "file");
        if (file != null) {
            return file + "@" + VendorJson.text(source, "pos") + "#" + VendorJson.text(source, "row");
        }
        String committed = VendorJson.text(source, "ts_ms");
        return committed != null ? committed : String.valueOf(VendorJson.text(env, "ts_ms"));
    }

    private static long time(JsonNode env, JsonNode source, JsonNode row, TableMapping mapping) throws Rejection {
        String col = mapping.column("occurredAt");
        JsonNode v = col == null ? null : row.get(col);
        if (v != null && !v.isNull()) {
            if (v.isNumber()) {
                long n = v.longValue();
                // Debezium writes timestamps as µs (MicroTimestamp), ms (Timestamp) or s, by column type
                return Math.abs(n) >= 100_000_000_000_000L ? n / 1000 : Math.abs(n) >= 100_000_000_000L ? n : n * 1000;
            }
            String s = v.asText().trim();
            try {
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME
                        .parse(s, Instant::from)
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(s.replace(' ', 'T'))
                            .toInstant(ZoneOffset.UTC)
                            .toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new Rejection(
                            ErrorCode.INVALID_TIME, col, s, "column " + col + " '" + s + "' is not a timestamp");
                }
            }
        }
        Long ts = VendorJson.millis(source, "source.ts_ms", "ts_ms");
        return ts != null ? ts : VendorJson.requiredMillis(env, "ts_ms", "ts_ms");
    }

    /** Debezium writes a DATE as days since 1970-01-01; a timestamp column as ms; text as it is. */
    private static String date(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            long n = v.longValue();
            return Math.abs(n) < 1_000_000
                    ? LocalDate.ofEpochDay(n).toString()
                    : Instant.ofEpochMilli(n)
                            .atOffset(ZoneOffset.UTC)
                            .toLocalDate()
                            .toString();
        }
        String s = v.asText().trim();
        return s.length() > 10 ? s.substring(0, 10) : s;
    }
}
