package dev.revstream.ingest;

import dev.revstream.model.EventKind;
import java.io.Serializable;
import java.util.Map;

/**
 * What the rows of one database table are, for change records of it (Debezium): the source their
 * events come from, whether a row is a deal or a touchpoint, and which column holds each field of
 * the input contract.
 *
 * @param columns canonical field name ({@code dealId}, {@code accountId}, {@code stage}, ...) -> column
 * @param decimalScale the scale of the amount column, to read a decimal the connector wrote as bytes
 *     ({@code decimal.handling.mode=precise}, its default) in a record without its schema; null when unknown
 */
public record TableMapping(String source, EventKind kind, Map<String, String> columns, Integer decimalScale)
        implements Serializable {

    /** The canonical fields a table's columns can fill. */
    public static final java.util.List<String> FIELDS = java.util.List.of(
            "eventId",
            "occurredAt",
            "dealId",
            "accountId",
            "contactId",
            "ownerId",
            "type",
            "stage",
            "amount",
            "currency",
            "expectedCloseDate",
            "dealType",
            "segment",
            "region",
            "lostReason",
            "channel",
            "campaign");

    public TableMapping {
        columns = Map.copyOf(columns);
    }

    /** The column of a canonical field, or null when the table has none. */
    public String column(String field) {
        return columns.get(field);
    }
}
