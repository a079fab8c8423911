package dev.revstream.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The shape an input topic's records have: revstream's own JSON, or a vendor's as it sends it. A
 * topic's format is configured ({@code ingest.formats.<topic>}); {@link #AUTO} tells them apart per
 * record, for a topic where several land.
 */
public enum SourceFormat {
    /** revstream's input contract (docs/events.md); the topic decides touchpoint or deal. */
    CANONICAL("canonical"),
    /** Segment Spec calls (track, page, screen, identify, group, alias), one call or a {@code batch}. */
    SEGMENT("segment"),
    /** HubSpot webhook subscriptions: the array of events HubSpot posts. */
    HUBSPOT("hubspot"),
    /** Salesforce Change Data Capture events (a {@code ChangeEventHeader} and the changed fields). */
    SALESFORCE_CDC("salesforce-cdc"),
    /** Stripe events ({@code "object": "event"}, the object under {@code data.object}). */
    STRIPE("stripe"),
    /** Debezium change records of CRM tables ({@code op}, {@code before}, {@code after}; tombstones). */
    DEBEZIUM("debezium"),
    /** Each record's format told from its shape. */
    AUTO("auto");

    private final String wireName;

    SourceFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The format of a configured name (any case), or null. */
    public static SourceFormat forName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (SourceFormat f : values()) {
            if (f.wireName.equals(n)) {
                return f;
            }
        }
        return null;
    }

    /** The configured names, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(SourceFormat::wireName).collect(Collectors.joining(", "));
    }
}
