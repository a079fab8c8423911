package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.revstream.model.ErrorCode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot webhook subscriptions (https://developers.hubspot.com/docs/api/webhooks): the array of
 * events HubSpot posts, each with {@code eventId} (the event id), {@code occurredAt} (epoch ms),
 * {@code subscriptionType} and {@code objectId}.
 *
 * <ul>
 *   <li>{@code deal.creation}: a {@code CREATED} deal; the property changes of the same deal in the
 *       same post within a minute of it ({@code dealstage}, {@code amount}, {@code closedate},
 *       {@code hubspot_owner_id}, {@code deal_currency_code}) are its stage, amount and so on, as
 *       HubSpot sends a new deal's properties as changes beside its creation;
 *   <li>{@code deal.propertyChange}: {@code dealstage} a {@code STAGE_CHANGED}; {@code amount},
 *       {@code closedate}, {@code hubspot_owner_id}, {@code hs_manual_forecast_category} an {@code UPDATED}; other properties nothing;
 *   <li>{@code deal.associationChange} to a company: an {@code UPDATED} naming the deal's account;
 *       {@code contact.associationChange} to a company: an {@code IDENTIFY} of the contact's account;
 *   <li>{@code contact.creation}: a {@code CONTACT_CREATED} touchpoint; {@code contact.propertyChange}
 *       of {@code lifecyclestage}: a touchpoint of type {@code lifecyclestage_<value>} (mapped:
 *       {@code lifecyclestage_marketingqualifiedlead} is an {@code MQL}; a stage without a mapping is
 *       counted, not a dead letter);
 *   <li>anything else (companies, deletions, other properties): counted, nothing more.
 * </ul>
 * The generic webhooks' {@code object.*} types are read the same, by {@code objectTypeId}
 * ({@code 0-1} contact, {@code 0-3} deal).
 */
public final class HubSpotFormat implements FormatAdapter {
    static final String SOURCE = "hubspot";

    private final SourceMappings mappings;

    public HubSpotFormat(SourceMappings mappings) {
        this.mappings = mappings;
    }

    private static final long FOLD_WINDOW_MS = 60_000;

    @Override
    public Translation translate(JsonNode value) throws Rejection {
        if (!value.isArray()) {
            if (value.isObject()) {
                return translate(JsonNodeFactory.instance.arrayNode().add(value));
            }
            throw new Rejection(ErrorCode.NOT_OBJECT, null, "a HubSpot webhook post is an array of events");
        }
        // the first change of each property of a deal created in this post, within a minute of it: the
        // properties it was created with, part of its CREATED
        Map<String, Long> created = new HashMap<>();
        for (JsonNode e : value) {
            if ("deal.creation".equals(subscription(e))) {
                Long at = VendorJson.millis(e, "occurredAt", "occurredAt");
                String id = VendorJson.text(e, "objectId");
                if (at != null && id != null) {
                    created.putIfAbsent(id, at);
                }
            }
        }
        Map<String, Map<String, JsonNode>> initial = new HashMap<>();
        Set<JsonNode> folded = Collections.newSetFromMap(new IdentityHashMap<>());
        for (JsonNode e : value) {
            String id = VendorJson.text(e, "objectId");
            Long createdAt = created.get(id);
            if (createdAt != null && "deal.propertyChange".equals(subscription(e)) && folded(property(e))) {
                Long at = VendorJson.millis(e, "occurredAt", "occurredAt");
                if (at != null
                        && Math.abs(at - createdAt) <= FOLD_WINDOW_MS
                        && initial.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(property(e), e) == null) {
                    folded.add(e);
                }
            }
        }
        Translation.Builder b = new Translation.Builder(SOURCE);
        for (JsonNode e : value) {
            if (!e.isObject()) {
                throw new Rejection(ErrorCode.WRONG_TYPE, null, "every event of a HubSpot webhook post is an object");
            }
            String type = subscription(e);
            if (type == null) {
                throw new Rejection(ErrorCode.MISSING_FIELD, "subscriptionType", "subscriptionType is required");
            }
            String eventId = VendorJson.required(e, "eventId", "eventId");
            long at = VendorJson.requiredMillis(e, "occurredAt", "occurredAt");
            String objectId = VendorJson.text(e, "objectId");
            switch (type) {
                case "deal.creation" -> b.add(creation(eventId, at, objectId, initial));
                case "deal.propertyChange" -> {
                    if (!folded.contains(e)) {
                        b.add(dealChange(e, eventId, at, objectId));
                    }
                }
                case "deal.associationChange", "contact.associationChange" -> b.add(association(e, eventId, at));
                case "contact.creation" ->
                    b.add(Translation.of(
                            SOURCE,
                            CanonicalEvent.touchpoint(SOURCE, eventId, at)
                                    .put("type", "CONTACT_CREATED")
                                    .put("contactId", objectId)
                                    .build()));
                case "contact.propertyChange" -> b.add(contactChange(e, eventId, at, objectId));
                default -> b.skip("HubSpot " + type + " is not read");
            }
        }
        return b.build();
    }

    /** {@code deal.creation} or the generic {@code object.creation} of a deal, and so on. */
    private static String subscription(JsonNode e) {
        String t = VendorJson.text(e, "subscriptionType");
        if (t == null || !t.startsWith("object.")) {
            return t;
        }
        String object = switch (String.valueOf(VendorJson.text(e, "objectTypeId"))) {
            case "0-1" -> "contact";
            case "0-2" -> "company";
            case "0-3" -> "deal";
            default -> "object";
        };
        return object + t.substring("object".length());
    }

    private static String property(JsonNode e) {
        return String.valueOf(VendorJson.text(e, "propertyName")).toLowerCase(Locale.ROOT);
    }

    private static boolean folded(String property) {
        return switch (property) {
            case "dealstage",
                    "amount",
                    "closedate",
                    "hubspot_owner_id",
                    "deal_currency_code",
                    "hs_manual_forecast_category" -> true;
            default -> false;
        };
    }

    private static Translation creation(
            String eventId, long at, String dealId, Map<String, Map<String, JsonNode>> initial) throws Rejection {
        CanonicalEvent c =
                CanonicalEvent.deal(SOURCE, eventId, at).put("type", "CREATED").put("dealId", dealId);
        for (Map.Entry<String, JsonNode> p :
                initial.getOrDefault(dealId, Map.of()).entrySet()) {
            property(c, p.getKey(), p.getValue());
        }
        return Translation.of(SOURCE, c.build());
    }

    private static Translation dealChange(JsonNode e, String eventId, long at, String dealId) throws Rejection {
        String property = property(e);
        CanonicalEvent c = CanonicalEvent.deal(SOURCE, eventId, at).put("dealId", dealId);
        switch (property) {
            case "dealstage" -> c.put("type", "STAGE_CHANGED");
            case "amount", "closedate", "hubspot_owner_id", "hs_manual_forecast_category" -> c.put("type", "UPDATED");
            default -> {
                return Translation.skip(SOURCE, "HubSpot deal property " + property + " is not read");
            }
        }
        property(c, property, e);
        return Translation.of(SOURCE, c.build());
    }

    private static void property(CanonicalEvent c, String property, JsonNode change) throws Rejection {
        switch (property) {
            case "dealstage" -> c.put("stage", VendorJson.text(change, "propertyValue"));
            case "amount" -> c.put("amount", VendorJson.decimal(change, "amount", "propertyValue"));
            case "deal_currency_code" -> c.put("currency", VendorJson.text(change, "propertyValue"));
            case "hubspot_owner_id" -> c.put("ownerId", VendorJson.text(change, "propertyValue"));
            case "closedate" -> c.put("expectedCloseDate", date(VendorJson.text(change, "propertyValue")));
            case "hs_manual_forecast_category" -> c.put("forecastCategory", VendorJson.text(change, "propertyValue"));
            default -> {}
        }
    }

    /** HubSpot writes date properties as epoch milliseconds at midnight UTC (or as an ISO date). */
    private static String date(String value) throws Rejection {
        if (value == null) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit) && value.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(value))
                    .atOffset(ZoneOffset.UTC)
                    .toLocalDate()
                    .toString();
        }
        return value.length() >= 10 ? value.substring(0, 10) : value;
    }

    private static Translation association(JsonNode e, String eventId, long at) {
        String kind = String.valueOf(VendorJson.text(e, "associationType")).toUpperCase(Locale.ROOT);
        boolean removed = e.path("associationRemoved").asBoolean(false);
        if (kind.equals("CONTACT_TO_COMPANY") && !removed) {
            return Translation.of(
                    SOURCE,
                    CanonicalEvent.touchpoint(SOURCE, eventId, at)
                            .put("type", "IDENTIFY")
                            .put("contactId", VendorJson.text(e, "fromObjectId"))
                            .put("accountId", VendorJson.text(e, "toObjectId"))
                            .build());
        }
        if (!kind.equals("DEAL_TO_COMPANY") || removed) {
            return Translation.skip(
                    SOURCE, "HubSpot association " + kind + (removed ? " removed" : "") + " is not read");
        }
        return Translation.of(
                SOURCE,
                CanonicalEvent.deal(SOURCE, eventId, at)
                        .put("type", "UPDATED")
                        .put("dealId", VendorJson.text(e, "fromObjectId"))
                        .put("accountId", VendorJson.text(e, "toObjectId"))
                        .build());
    }

    private Translation contactChange(JsonNode e, String eventId, long at, String contactId) {
        String property = property(e);
        String value = VendorJson.text(e, "propertyValue");
        if (!property.equals("lifecyclestage") || value == null) {
            return Translation.skip(SOURCE, "HubSpot contact property " + property + " is not read");
        }
        if (mappings.type(SOURCE, "lifecyclestage_" + value) == null) {
            return Translation.skip(
                    SOURCE,
                    "HubSpot lifecycle stage '" + value + "' has no mapping (lifecyclestage_" + value
                            + " in the hubspot types)");
        }
        return Translation.of(
                SOURCE,
                CanonicalEvent.touchpoint(SOURCE, eventId, at)
                        .put("type", "lifecyclestage_" + value)
                        .put("contactId", contactId)
                        .build());
    }
}
