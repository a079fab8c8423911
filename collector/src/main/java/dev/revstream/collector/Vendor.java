package dev.revstream.collector;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The vendors the collector takes webhooks from: the path, the signature, and the Kafka key of a
 * body (the person or customer, so that one's records stay in order on one partition).
 */
public enum Vendor {
    SEGMENT("segment", new SegmentSignature()),
    HUBSPOT("hubspot", new HubSpotSignature()),
    STRIPE("stripe", new StripeSignature());

    private final String path;
    private final SignatureCheck signature;

    Vendor(String path, SignatureCheck signature) {
        this.path = path;
        this.signature = signature;
    }

    /** The endpoint's name: {@code /segment} and the {@code collect.segment.*} settings. */
    public String path() {
        return path;
    }

    SignatureCheck signature() {
        return signature;
    }

    /** The record key for a body already read as JSON; null when it names none. */
    String key(JsonNode body) {
        JsonNode first = body.isArray()
                ? body.path(0)
                : body.path("batch").isArray() ? body.path("batch").path(0) : body;
        String key = switch (this) {
            case SEGMENT ->
                first.hasNonNull("userId")
                        ? first.get("userId").asText()
                        : first.path("anonymousId").asText(null);
            case HUBSPOT -> first.path("objectId").asText(null);
            case STRIPE -> first.path("data").path("object").path("customer").asText(null);
        };
        return key == null || key.isEmpty() ? null : key;
    }
}
