package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.model.EventKind;
import java.math.BigDecimal;

/**
 * Builds one canonical event's fields (docs/events.md) from a vendor record: null values are left
 * out, so the contract's checks (required fields, mappings, ranges) apply as to any producer's. A deal
 * the vendor created without an amount is created with 0 (an update gives it one later).
 */
final class CanonicalEvent {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final EventKind kind;
    private final ObjectNode fields = NODES.objectNode();

    private CanonicalEvent(EventKind kind, String source, String eventId, long occurredAt) {
        this.kind = kind;
        fields.put("source", source);
        fields.put("eventId", eventId);
        fields.put("occurredAt", occurredAt);
    }

    static CanonicalEvent touchpoint(String source, String eventId, long occurredAt) {
        return new CanonicalEvent(EventKind.TOUCHPOINT, source, eventId, occurredAt);
    }

    static CanonicalEvent deal(String source, String eventId, long occurredAt) {
        return new CanonicalEvent(EventKind.DEAL, source, eventId, occurredAt);
    }

    CanonicalEvent put(String field, String value) {
        if (value != null) {
            fields.put(field, value);
        }
        return this;
    }

    CanonicalEvent put(String field, BigDecimal value) {
        if (value != null) {
            fields.put(field, value);
        }
        return this;
    }

    /** Keeps a vendor object as the event's {@code attributes}, when it is an object. */
    CanonicalEvent attributes(JsonNode object) {
        if (object != null && object.isObject() && !object.isEmpty()) {
            fields.set("attributes", object);
        }
        return this;
    }

    Translation.Canonical build() {
        if (kind == EventKind.DEAL && "CREATED".equals(fields.path("type").asText()) && !fields.has("amount")) {
            // a CRM creates deals without an amount (revstream's own format requires one): 0 until an update
            fields.put("amount", BigDecimal.ZERO);
        }
        return new Translation.Canonical(kind, fields);
    }
}
