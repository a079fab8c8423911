package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The adapters of the vendors' formats, and telling a record's format from its shape (for topics of
 * format {@link SourceFormat#AUTO}).
 */
public final class Formats {
    private static final Set<String> SEGMENT_CALLS = Set.of("track", "page", "screen", "identify", "group", "alias");

    private final SegmentFormat segment = new SegmentFormat();
    private final HubSpotFormat hubspot;
    private final SalesforceCdcFormat salesforce;
    private final StripeFormat stripe;
    private final DebeziumFormat debezium;

    public Formats(SourceMappings mappings) {
        this.hubspot = new HubSpotFormat(mappings);
        this.salesforce = new SalesforceCdcFormat(mappings);
        this.stripe = new StripeFormat(mappings);
        this.debezium = new DebeziumFormat(mappings);
    }

    /** The adapter of a vendor format; null for {@link SourceFormat#CANONICAL}. */
    public FormatAdapter adapter(SourceFormat format) {
        return switch (format) {
            case SEGMENT -> segment;
            case HUBSPOT -> hubspot;
            case SALESFORCE_CDC -> salesforce;
            case STRIPE -> stripe;
            case DEBEZIUM -> debezium;
            case CANONICAL, AUTO -> null;
        };
    }

    /** Whether a record is revstream's own heartbeat (read on a topic of any format). */
    public static boolean isHeartbeat(JsonNode v) {
        return v.isObject()
                && v.has("eventId")
                && v.has("source")
                && "HEARTBEAT".equalsIgnoreCase(String.valueOf(VendorJson.text(v, "type")));
    }

    /** A record's format from its shape; {@link SourceFormat#CANONICAL} when it is none of the vendors'. */
    public static SourceFormat detect(JsonNode v) {
        if (v.isArray()) {
            JsonNode first = v.path(0);
            return first.has("messageId") && !first.has("subscriptionType")
                    ? SourceFormat.SEGMENT
                    : SourceFormat.HUBSPOT;
        }
        if (!v.isObject() || v.has("eventId") && v.has("source")) {
            return SourceFormat.CANONICAL;
        }
        if ("event".equals(VendorJson.text(v, "object")) && v.has("data")) {
            return SourceFormat.STRIPE;
        }
        if (v.has("ChangeEventHeader")
                || v.path("payload").has("ChangeEventHeader")
                || v.path("data").path("payload").has("ChangeEventHeader")) {
            return SourceFormat.SALESFORCE_CDC;
        }
        if (v.has("op") && (v.has("before") || v.has("after"))
                || v.path("payload").has("op")) {
            return SourceFormat.DEBEZIUM;
        }
        if (v.path("batch").isArray()
                || v.has("messageId") && SEGMENT_CALLS.contains(String.valueOf(VendorJson.text(v, "type")))) {
            return SourceFormat.SEGMENT;
        }
        if (v.has("subscriptionType")) {
            return SourceFormat.HUBSPOT;
        }
        return SourceFormat.CANONICAL;
    }
}
