package dev.revstream.tools.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.ingest.SourceFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the generator's records as their vendors send them, for the formats a run reads
 * ({@code ingest.formats}), so the demo shows revstream reading sources as they are:
 *
 * <ul>
 *   <li>Segment: the web touches of source {@code segment}, as {@code track} calls (the account as the
 *       call's {@code context.groupId}, the channel and campaign as {@code context.campaign});
 *   <li>HubSpot: the contacts' lifecycle touches of source {@code hubspot}, as a webhook post of the
 *       contact's association to its company and the lifecycle change (identity resolution finds the
 *       account);
 *   <li>Salesforce CDC: the deals of source {@code salesforce}, as Opportunity change events (an
 *       update carries only what changed: no account, which the deal's earlier events tell);
 *   <li>Stripe: failed payments, as {@code invoice.payment_failed} events (Unix seconds);
 *   <li>Debezium: the deals of source {@code hubspot}, as rows of a CRM database's
 *       {@code opportunities} table (source {@code crm}, canonical stage names), each change with the
 *       row before and after.
 * </ul>
 * Every other record, and every malformed one, stays in revstream's own format. A record the
 * generator sends twice (a duplicate) is spoken the same both times. Single-threaded, as the generator.
 */
public final class VendorSpeaker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HS_STAGES = List.of(
            "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent");
    private static final List<String> STAGES =
            List.of("QUALIFICATION", "DISCOVERY", "SOLUTION", "PROPOSAL", "NEGOTIATION");
    private static final int SPOKEN_KEPT = 50_000;

    /** One record in a vendor's format, for that format's topic. */
    public record Spoken(SourceFormat format, byte[] key, byte[] value) {}

    private final Set<SourceFormat> formats;
    /** Deal rows of the Debezium table, by deal: the "before" of the next change. */
    private final Map<String, ObjectNode> rows = new HashMap<>();
    /** What each record was spoken as, so that a duplicate is spoken alike. */
    private final Map<String, Spoken> spoken = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Spoken> eldest) {
            return size() > SPOKEN_KEPT;
        }
    };

    /** @param formats the vendor formats to speak (those the run has a topic for) */
    public VendorSpeaker(Set<SourceFormat> formats) {
        this.formats = Set.copyOf(formats);
    }

    public boolean speaksAny() {
        return !formats.isEmpty();
    }

    /** The record in a vendor's format, or null when it stays in revstream's own. */
    public Spoken speak(GeneratedRecord r) {
        if (formats.isEmpty() || r.kind() == GeneratedRecord.Kind.MALFORMED) {
            return null;
        }
        String value = new String(r.value(), StandardCharsets.UTF_8);
        if (spoken.containsKey(value)) {
            return spoken.get(value);
        }
        JsonNode n;
        try {
            n = JSON.readTree(r.value());
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.hasNonNull("eventId")) {
            return null;
        }
        Spoken s = r.deal() ? deal((ObjectNode) n, r.key()) : touch((ObjectNode) n, r.key());
        spoken.put(value, s);
        return s;
    }

    private Spoken touch(ObjectNode n, String key) {
        String source = n.path("source").asText();
        String type = n.path("type").asText();
        if (source.equals("segment") && formats.contains(SourceFormat.SEGMENT)) {
            return segment(n, key);
        }
        if (source.equals("stripe") && type.equals("invoice.payment_failed") && formats.contains(SourceFormat.STRIPE)) {
            return stripe(n, key);
        }
        if (source.equals("hubspot")
                && (type.equals("CONTACT_CREATED") || type.startsWith("lifecyclestage_"))
                && formats.contains(SourceFormat.HUBSPOT)) {
            return hubspotContact(n, key, type);
        }
        return null;
    }

    private Spoken deal(ObjectNode n, String key) {
        String source = n.path("source").asText();
        if (source.equals("salesforce") && formats.contains(SourceFormat.SALESFORCE_CDC)) {
            return salesforce(n, key);
        }
        if (source.equals("hubspot") && formats.contains(SourceFormat.DEBEZIUM)) {
            return debezium(n, key);
        }
        return null;
    }

    private Spoken segment(ObjectNode n, String key) {
        ObjectNode call = JSON.createObjectNode();
        call.put("type", "track");
        call.put("event", n.path("type").asText());
        call.put("messageId", n.path("eventId").asText());
        call.put("timestamp", n.path("occurredAt").asText());
        copy(n, "contactId", call, "userId");
        ObjectNode context = call.putObject("context");
        copy(n, "accountId", context, "groupId");
        if (n.has("channel") || n.has("campaign")) {
            ObjectNode campaign = context.putObject("campaign");
            copy(n, "channel", campaign, "medium");
            copy(n, "campaign", campaign, "name");
        }
        ObjectNode properties = call.putObject("properties");
        if (n.path("attributes").isObject()) {
            properties.setAll((ObjectNode) n.get("attributes"));
        }
        if (n.has("amount")) {
            properties.set("value", n.get("amount"));
        }
        return spoken(SourceFormat.SEGMENT, key, call);
    }

    private Spoken stripe(ObjectNode n, String key) {
        ObjectNode e = JSON.createObjectNode();
        e.put("id", n.path("eventId").asText());
        e.put("object", "event");
        e.put("type", "invoice.payment_failed");
        e.put("created", Instant.parse(n.path("occurredAt").asText()).getEpochSecond());
        ObjectNode invoice = e.putObject("data").putObject("object");
        invoice.put("object", "invoice");
        invoice.put("customer", "cus_" + n.path("accountId").asText());
        invoice.putObject("metadata").put("accountId", n.path("accountId").asText());
        return spoken(SourceFormat.STRIPE, key, e);
    }

    private Spoken hubspotContact(ObjectNode n, String key, String type) {
        long at = Instant.parse(n.path("occurredAt").asText()).toEpochMilli();
        String contact = n.hasNonNull("contactId")
                ? n.get("contactId").asText()
                : "hs-contact-" + n.path("accountId").asText();
        ArrayNode post = JSON.createArrayNode();
        ObjectNode link = post.addObject();
        link.put("eventId", n.path("eventId").asText() + "-company");
        link.put("occurredAt", at);
        link.put("subscriptionType", "contact.associationChange");
        link.put("associationType", "CONTACT_TO_COMPANY");
        link.put("fromObjectId", contact);
        link.put("toObjectId", n.path("accountId").asText());
        link.put("associationRemoved", false);
        ObjectNode change = post.addObject();
        change.put("objectId", contact);
        change.put("eventId", n.path("eventId").asText());
        change.put("occurredAt", at);
        if (type.equals("CONTACT_CREATED")) {
            change.put("subscriptionType", "contact.creation");
        } else {
            change.put("subscriptionType", "contact.propertyChange");
            change.put("propertyName", "lifecyclestage");
            change.put("propertyValue", type.substring("lifecyclestage_".length()));
        }
        return spoken(SourceFormat.HUBSPOT, key, post);
    }

    private Spoken salesforce(ObjectNode n, String key) {
        String type = n.path("type").asText();
        ObjectNode e = JSON.createObjectNode();
        ObjectNode header = e.putObject("ChangeEventHeader");
        header.put("entityName", "Opportunity");
        header.put("changeType", type.equals("CREATED") ? "CREATE" : "UPDATE");
        header.putArray("recordIds").add(n.path("dealId").asText());
        header.put("transactionKey", n.path("eventId").asText());
        header.put("sequenceNumber", 0);
        header.put(
                "commitTimestamp", Instant.parse(n.path("occurredAt").asText()).toEpochMilli());
        ArrayNode changed = header.putArray("changedFields");
        String stage = switch (type) {
            case "CLOSED_WON" -> "Closed Won";
            case "CLOSED_LOST" -> "Closed Lost";
            default -> n.path("stage").asText(null);
        };
        field(e, changed, "StageName", stage);
        if (type.equals("CREATED")) {
            field(e, changed, "AccountId", n.path("accountId").asText(null));
            field(
                    e,
                    changed,
                    "Type",
                    switch (n.path("dealType").asText("")) {
                        case "new_business" -> "New Customer";
                        case "expansion" -> "Existing Customer - Upgrade";
                        case "renewal" -> "Existing Customer - Renewal";
                        case "contraction" -> "Existing Customer - Downgrade";
                        default -> null;
                    });
        }
        if (n.has("amount")) {
            e.set("Amount", n.get("amount"));
            changed.add("Amount");
        }
        field(e, changed, "CurrencyIsoCode", n.path("currency").asText(null));
        field(e, changed, "CloseDate", n.path("expectedCloseDate").asText(null));
        field(e, changed, "OwnerId", type.equals("CREATED") ? n.path("ownerId").asText(null) : null);
        field(e, changed, "Segment__c", n.path("segment").asText(null));
        field(e, changed, "Region__c", n.path("region").asText(null));
        field(e, changed, "Loss_Reason__c", n.path("lostReason").asText(null));
        return spoken(SourceFormat.SALESFORCE_CDC, key, e);
    }

    private Spoken debezium(ObjectNode n, String key) {
        String dealId = n.path("dealId").asText();
        String type = n.path("type").asText();
        ObjectNode before = rows.get(dealId);
        ObjectNode after = before == null ? JSON.createObjectNode() : before.deepCopy();
        after.put("id", dealId);
        copy(n, "accountId", after, "account_id");
        String stage = switch (type) {
            case "CLOSED_WON" -> "CLOSED_WON";
            case "CLOSED_LOST" -> "CLOSED_LOST";
            default -> n.hasNonNull("stage") ? canonicalStage(n.get("stage").asText()) : null;
        };
        if (stage != null) {
            after.put("stage", stage);
        }
        copy(n, "amount", after, "amount");
        if (n.has("amount") && !n.hasNonNull("currency")) {
            after.remove("currency"); // an amount without a currency is in the reporting currency
        }
        copy(n, "currency", after, "currency");
        copy(n, "expectedCloseDate", after, "close_date");
        copy(n, "ownerId", after, "owner_id");
        copy(n, "dealType", after, "deal_type");
        copy(n, "segment", after, "segment");
        copy(n, "region", after, "region");
        copy(n, "lostReason", after, "lost_reason");
        after.put("updated_at", n.path("occurredAt").asText());
        rows.put(dealId, after);
        if (type.equals("CLOSED_WON") || type.equals("CLOSED_LOST")) {
            rows.remove(dealId); // closed is final: a later reopening starts a row of its own
        }
        long at = Instant.parse(n.path("occurredAt").asText()).toEpochMilli();
        ObjectNode e = JSON.createObjectNode();
        if (type.equals("CREATED") || before == null) {
            e.putNull("before");
        } else {
            e.set("before", before);
        }
        e.set("after", after);
        ObjectNode source = e.putObject("source");
        source.put("connector", "postgresql");
        source.put("name", "crm");
        source.put("db", "crm");
        source.put("schema", "public");
        source.put("table", "opportunities");
        source.put("ts_ms", at);
        source.put("lsn", n.path("eventId").asText());
        e.put("op", type.equals("CREATED") || before == null ? "c" : "u");
        e.put("ts_ms", at);
        return spoken(SourceFormat.DEBEZIUM, key, e);
    }

    /** A HubSpot stage name as the canonical stage it maps to (the CRM database stores those). */
    private static String canonicalStage(String name) {
        int i = HS_STAGES.indexOf(name);
        if (i >= 0) {
            return STAGES.get(i);
        }
        return switch (name) {
            case "closedwon" -> "CLOSED_WON";
            case "closedlost" -> "CLOSED_LOST";
            default -> name;
        };
    }

    private static void field(ObjectNode e, ArrayNode changed, String field, String value) {
        if (value != null && !value.isEmpty()) {
            e.put(field, value);
            changed.add(field);
        }
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        if (from.hasNonNull(field)) {
            to.set(as, from.get(field));
        }
    }

    private static Spoken spoken(SourceFormat f, String key, JsonNode value) {
        try {
            return new Spoken(
                    f, key == null ? null : key.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
