package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.model.ErrorCode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Salesforce Change Data Capture events
 * (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm):
 * the event's fields beside its {@code ChangeEventHeader} (as the Kafka Connect Salesforce CDC
 * source writes them), or under {@code payload} / {@code data.payload} (the Streaming API's
 * envelope). One event per id of {@code recordIds}; the event id is
 * {@code transactionKey:sequenceNumber:recordId}, the time {@code commitTimestamp}.
 *
 * <ul>
 *   <li>{@code Opportunity} {@code CREATE}: a {@code CREATED} deal ({@code AccountId},
 *       {@code StageName}, {@code Amount}, {@code CurrencyIsoCode}, {@code CloseDate}, {@code OwnerId}, {@code ForecastCategoryName},
 *       {@code Type} as the deal type, the custom fields {@code Segment__c}, {@code Region__c} and
 *       {@code Loss_Reason__c} when the org has them); {@code UPDATE}: a {@code STAGE_CHANGED} when {@code StageName}
 *       changed, else an {@code UPDATED} when the amount, close date, owner or account did. An update
 *       carries only what changed, so it names no account unless the account changed;
 *   <li>{@code Lead} {@code CREATE}: a {@code Lead Created} touchpoint; an update of {@code Status} a
 *       touchpoint of the status's name when the mappings know it ({@code Marketing Qualified}); a
 *       conversion ({@code ConvertedAccountId}) an {@code IDENTIFY} of the lead's account; a new lead's
 *       {@code Email} an {@code IDENTIFY} of the e-mail's visitor id as the lead;
 *   <li>{@code Contact} with its {@code AccountId}: an {@code IDENTIFY} of the person's account;
 *   <li>{@code Task} and {@code Event} {@code CREATE}: a sales touch of the task's
 *       {@code TaskSubtype} ({@code Call}, {@code Email}) or {@code Meeting}, on the deal of its
 *       {@code WhatId} when that is an opportunity;
 *   <li>deletions, undeletions, gap events (which carry no values) and other objects: counted.
 * </ul>
 */
public final class SalesforceCdcFormat implements FormatAdapter {
    static final String SOURCE = "salesforce";
    /** The key prefix of Salesforce opportunity ids. */
    private static final String OPPORTUNITY_PREFIX = "006";

    private final SourceMappings mappings;

    public SalesforceCdcFormat(SourceMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public Translation translate(JsonNode value) throws Rejection {
        JsonNode body = body(value);
        if (body == null) {
            throw new Rejection(
                    ErrorCode.MISSING_FIELD, "ChangeEventHeader", "a Salesforce change event has a ChangeEventHeader");
        }
        JsonNode header = body.get("ChangeEventHeader");
        String entity = VendorJson.required(header, "ChangeEventHeader.entityName", "entityName");
        String change = VendorJson.required(header, "ChangeEventHeader.changeType", "changeType")
                .toUpperCase(Locale.ROOT);
        long at = VendorJson.requiredMillis(header, "ChangeEventHeader.commitTimestamp", "commitTimestamp");
        JsonNode ids = header.get("recordIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new Rejection(
                    ErrorCode.MISSING_FIELD, "ChangeEventHeader.recordIds", "ChangeEventHeader.recordIds is required");
        }
        String transaction = VendorJson.firstText(header, "transactionKey", "commitNumber");
        String sequence = String.valueOf(VendorJson.text(header, "sequenceNumber"));
        if (change.startsWith("GAP_")) {
            return Translation.skip(SOURCE, "a Salesforce " + change + " carries no values (re-read " + entity + ")");
        }
        if (!change.equals("CREATE") && !change.equals("UPDATE")) {
            return Translation.skip(SOURCE, "a Salesforce " + entity + " " + change + " is not read");
        }
        Translation.Builder b = new Translation.Builder(SOURCE);
        for (JsonNode id : ids) {
            String recordId = id.asText();
            String eventId = VendorJson.eventId(String.valueOf(transaction), sequence, recordId);
            b.add(
                    switch (entity) {
                        case "Opportunity" -> opportunity(body, change, eventId, at, recordId);
                        case "Lead" -> lead(body, change, eventId, at, recordId);
                        case "Contact" -> contact(body, eventId, at, recordId);
                        case "Task", "Event" -> activity(body, entity, change, eventId, at);
                        default -> Translation.skip(SOURCE, "Salesforce " + entity + " changes are not read");
                    });
        }
        return b.build();
    }

    private static JsonNode body(JsonNode value) {
        for (JsonNode n : new JsonNode[] {value, value.get("payload"), VendorJson.at(value, "data", "payload")}) {
            if (n != null && n.isObject() && n.path("ChangeEventHeader").isObject()) {
                return n;
            }
        }
        return null;
    }

    private static Translation opportunity(JsonNode f, String change, String eventId, long at, String dealId)
            throws Rejection {
        String stage = VendorJson.text(f, "StageName");
        String type;
        if (change.equals("CREATE")) {
            type = "CREATED";
        } else if (stage != null) {
            type = "STAGE_CHANGED";
        } else if (VendorJson.firstText(
                        f,
                        "Amount",
                        "CloseDate",
                        "OwnerId",
                        "AccountId",
                        "Segment__c",
                        "Region__c",
                        "ForecastCategoryName")
                != null) {
            type = "UPDATED";
        } else {
            return Translation.skip(SOURCE, "a Salesforce Opportunity update of fields revstream does not read");
        }
        return Translation.of(
                SOURCE,
                CanonicalEvent.deal(SOURCE, eventId, at)
                        .put("type", type)
                        .put("dealId", dealId)
                        .put("accountId", VendorJson.text(f, "AccountId"))
                        .put("stage", stage)
                        .put("amount", VendorJson.decimal(f, "Amount", "Amount"))
                        .put("currency", VendorJson.text(f, "CurrencyIsoCode"))
                        .put("expectedCloseDate", date(f.get("CloseDate")))
                        .put("ownerId", VendorJson.text(f, "OwnerId"))
                        .put("dealType", dealType(VendorJson.text(f, "Type")))
                        .put("segment", VendorJson.text(f, "Segment__c"))
                        .put("region", VendorJson.text(f, "Region__c"))
                        .put("forecastCategory", VendorJson.text(f, "ForecastCategoryName"))
                        .put("lostReason", VendorJson.firstText(f, "Loss_Reason__c", "Closed_Lost_Reason__c"))
                        .build());
    }

    /** A date field: epoch ms at midnight UTC (the Pub/Sub API's JSON) or {@code YYYY-MM-DD} text. */
    private static String date(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return Instant.ofEpochMilli(v.longValue())
                    .atOffset(ZoneOffset.UTC)
                    .toLocalDate()
                    .toString();
        }
        String s = v.asText().trim();
        return s.length() > 10 ? s.substring(0, 10) : s;
    }

    /** Salesforce's default Opportunity types; others leave the deal type unset. */
    private static String dealType(String type) {
        if (type == null) {
            return null;
        }
        String t = type.toLowerCase(Locale.ROOT);
        // "Existing Customer - Renewal" holds "new": the specific kinds first
        if (t.contains("renewal") || t.contains("replacement")) {
            return "renewal";
        }
        if (t.contains("upgrade") || t.contains("expansion") || t.contains("upsell")) {
            return "expansion";
        }
        if (t.contains("downgrade") || t.contains("contraction")) {
            return "contraction";
        }
        if (t.contains("new")) {
            return "new_business";
        }
        return null;
    }

    /** A contact that names its account: an {@code IDENTIFY} of the person's account. */
    private static Translation contact(JsonNode f, String eventId, long at, String contactId) {
        String account = VendorJson.text(f, "AccountId");
        if (account == null) {
            return Translation.skip(SOURCE, "a Salesforce Contact change without its AccountId");
        }
        return Translation.of(
                SOURCE,
                CanonicalEvent.touchpoint(SOURCE, eventId, at)
                        .put("type", "IDENTIFY")
                        .put("contactId", contactId)
                        .put("accountId", account)
                        .build());
    }

    private Translation lead(JsonNode f, String change, String eventId, long at, String leadId) {
        String converted = VendorJson.text(f, "ConvertedAccountId");
        if (change.equals("UPDATE") && converted != null) {
            // a converted lead: its touches so far are the account's
            return Translation.of(
                    SOURCE,
                    CanonicalEvent.touchpoint(SOURCE, eventId, at)
                            .put("type", "IDENTIFY")
                            .put("contactId", leadId)
                            .put("accountId", converted)
                            .build());
        }
        String type;
        if (change.equals("CREATE")) {
            String byEmail = VendorJson.emailVisitor(VendorJson.text(f, "Email"));
            if (byEmail != null) {
                // the lead's e-mail: events another system knows by e-mail only are the lead's
                return Translation.of(
                        SOURCE,
                        lead("Lead Created", f, eventId, at, leadId),
                        CanonicalEvent.touchpoint(SOURCE, VendorJson.eventId(eventId, "email"), at)
                                .put("type", "IDENTIFY")
                                .put("anonymousId", byEmail)
                                .put("contactId", leadId)
                                .build());
            }
            type = "Lead Created";
        } else {
            type = VendorJson.text(f, "Status");
            if (type == null || mappings.type(SOURCE, type) == null) {
                return Translation.skip(
                        SOURCE,
                        type == null
                                ? "a Salesforce Lead update without a Status change"
                                : "Salesforce Lead status '" + type + "' has no mapping");
            }
        }
        return Translation.of(SOURCE, lead(type, f, eventId, at, leadId));
    }

    private static Translation.Canonical lead(String type, JsonNode f, String eventId, long at, String leadId) {
        return CanonicalEvent.touchpoint(SOURCE, eventId, at)
                .put("type", type)
                .put("contactId", leadId)
                .put("accountId", VendorJson.text(f, "ConvertedAccountId"))
                .put("ownerId", VendorJson.text(f, "OwnerId"))
                .put("channel", VendorJson.text(f, "LeadSource"))
                .build();
    }

    private Translation activity(JsonNode f, String entity, String change, String eventId, long at) {
        if (!change.equals("CREATE")) {
            return Translation.skip(SOURCE, "a Salesforce " + entity + " update is not read");
        }
        String type = entity.equals("Event") ? "Meeting" : VendorJson.firstText(f, "TaskSubtype", "Type");
        if (type == null || mappings.type(SOURCE, type) == null) {
            return Translation.skip(SOURCE, "Salesforce " + entity + " type '" + type + "' has no mapping");
        }
        String what = VendorJson.text(f, "WhatId");
        return Translation.of(
                SOURCE,
                CanonicalEvent.touchpoint(SOURCE, eventId, at)
                        .put("type", type)
                        .put("accountId", VendorJson.text(f, "AccountId"))
                        .put("contactId", VendorJson.text(f, "WhoId"))
                        .put("dealId", what != null && what.startsWith(OPPORTUNITY_PREFIX) ? what : null)
                        .put("ownerId", VendorJson.text(f, "OwnerId"))
                        .build());
    }
}
