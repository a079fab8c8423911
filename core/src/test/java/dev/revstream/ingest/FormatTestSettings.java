package dev.revstream.ingest;

import dev.revstream.model.EventKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/** Ingest settings with one topic per vendor format and the vendors' names the fixtures use mapped. */
final class FormatTestSettings {
    static final long NOW = java.time.Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();

    private FormatTestSettings() {}

    static String topic(SourceFormat f) {
        return "in." + f.wireName();
    }

    static SourceMappings mappings() {
        return new SourceMappings(
                Map.of(
                        "segment",
                        Map.of(
                                "page",
                                "WEB_VISIT",
                                "Ad Clicked",
                                "AD_CLICK",
                                "Demo Attended",
                                "DEMO",
                                "Demo Requested",
                                "FORM_SUBMIT"),
                        "hubspot",
                        Map.of("CONTACT_CREATED", "LEAD_CREATED", "lifecyclestage_marketingqualifiedlead", "MQL"),
                        "salesforce",
                        Map.of("Call", "SALES_CALL", "Lead Created", "LEAD_CREATED", "Marketing Qualified", "MQL"),
                        "stripe",
                        Map.of("invoice.payment_failed", "PAYMENT_FAILED")),
                Map.of("*", Map.of("cpc", "paid_search")),
                Map.of(
                        "hubspot",
                        Map.of("presentationscheduled", "SOLUTION", "closedwon", "CLOSED_WON"),
                        "salesforce",
                        Map.of("Prospecting", "QUALIFICATION", "Negotiation/Review", "NEGOTIATION")),
                TestSettings.STAGES,
                Map.of(
                        "opportunities",
                        new TableMapping(
                                "crm",
                                EventKind.DEAL,
                                Map.of(
                                        "dealId", "id",
                                        "accountId", "account_id",
                                        "stage", "stage",
                                        "amount", "amount",
                                        "currency", "currency",
                                        "expectedCloseDate", "close_date",
                                        "ownerId", "owner_id",
                                        "occurredAt", "updated_at"),
                                2)));
    }

    static IngestSettings ingest() {
        Map<String, SourceFormat> formats = new java.util.HashMap<>();
        for (SourceFormat f : SourceFormat.values()) {
            if (f != SourceFormat.CANONICAL) {
                formats.put(topic(f), f);
            }
        }
        return new IngestSettings(
                TestSettings.TOUCHPOINTS,
                1024 * 1024,
                0,
                512 * 1024,
                "USD",
                Map.of("EUR", new BigDecimal("1.08")),
                mappings(),
                formats);
    }

    static byte[] fixture(String name) {
        try (InputStream in = FormatTestSettings.class.getResourceAsStream("/formats/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
