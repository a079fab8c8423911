package dev.revstream.ingest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Ingest settings for tests: a few mappings of real source vocabularies, EUR and GBP rates. */
public final class TestSettings {
    public static final String TOUCHPOINTS = "revops.touchpoints";
    public static final String DEALS = "revops.deals";
    public static final List<String> STAGES =
            List.of("QUALIFICATION", "DISCOVERY", "SOLUTION", "PROPOSAL", "NEGOTIATION", "CLOSED_WON", "CLOSED_LOST");

    private TestSettings() {}

    public static SourceMappings mappings() {
        return new SourceMappings(
                Map.of(
                        "hubspot",
                        Map.of("OPEN", "EMAIL_OPEN", "lifecyclestage_marketingqualifiedlead", "MQL"),
                        "marketo",
                        Map.of("Open Email", "EMAIL_OPEN"),
                        "salesforce",
                        Map.of("Call", "SALES_CALL"),
                        SourceMappings.ANY_SOURCE,
                        Map.of("spend", "SPEND")),
                Map.of(
                        "hubspot",
                        Map.of("EMAIL_MARKETING", "email"),
                        SourceMappings.ANY_SOURCE,
                        Map.of("cpc", "paid_search")),
                Map.of(
                        "salesforce",
                        Map.of("Proposal/Price Quote", "PROPOSAL", "Closed Won", "CLOSED_WON"),
                        "hubspot",
                        Map.of("contractsent", "NEGOTIATION")),
                STAGES);
    }

    public static IngestSettings ingest() {
        return ingest(3_600_000L, 512 * 1024);
    }

    public static IngestSettings ingest(long maxFutureMillis, int deadLetterMaxPayload) {
        return new IngestSettings(
                TOUCHPOINTS,
                1024 * 1024,
                maxFutureMillis,
                deadLetterMaxPayload,
                "USD",
                Map.of("EUR", new BigDecimal("1.08"), "GBP", new BigDecimal("1.27")),
                mappings(),
                Map.of());
    }
}
