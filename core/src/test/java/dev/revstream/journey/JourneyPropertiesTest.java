package dev.revstream.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.ingest.EventParser;
import dev.revstream.ingest.TestSettings;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The journey over what the parser accepts: any account history of deal events and touchpoints with
 * amounts up to the largest the parser keeps, many deals, events at one millisecond, stage moves in any
 * order, close dates far apart. Applying it (with its day boundaries, deadlines, health and attribution)
 * never throws, so no such history can stop the job, and takes bounded time.
 */
class JourneyPropertiesTest {
    private static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;
    private static final EventParser PARSER = new EventParser(TestSettings.ingest());

    @Property(tries = 300)
    void anyAcceptedHistoryAppliesWithoutAnError(@ForAll("histories") List<String> records) throws Exception {
        NavigableMap<Long, List<Event>> events = new TreeMap<>();
        int accepted = 0;
        for (String r : records) {
            boolean deal = r.contains("\"dealEvent\":true");
            Ingested in = PARSER.parse(
                    deal ? TestSettings.DEALS : TestSettings.TOUCHPOINTS,
                    0,
                    accepted,
                    null,
                    r.getBytes(StandardCharsets.UTF_8),
                    NOW,
                    NOW);
            if (in.event() != null) {
                events.computeIfAbsent(in.event().occurredAt(), t -> new ArrayList<>())
                        .add(in.event());
                accepted++;
            }
        }
        net.jqwik.api.statistics.Statistics.label("accepted")
                .collect(accepted == 0 ? "none" : accepted < records.size() / 2 ? "under half" : "half or more");
        MemoryJourneyStore store = MemoryJourneyStore.empty();
        JourneyRecording out = new JourneyRecording();
        long start = System.nanoTime();
        JourneyReplay.run(TestJourneySettings.defaults(), "acct-1", store, events, Long.MIN_VALUE, NOW, out);
        net.jqwik.api.statistics.Statistics.label("alerts or credits")
                .collect(!out.alerts().isEmpty() || !out.attribution.isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("%d events", accepted)
                .isLessThan(Duration.ofSeconds(5));
    }

    @Provide
    Arbitrary<List<String>> histories() {
        return record().list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<String> record() {
        Arbitrary<Long> at = Arbitraries.oneOf(
                Arbitraries.longs().between(NOW - 400 * DAY, NOW),
                Arbitraries.longs().between(NOW - 3 * DAY, NOW).map(t -> t - t % 1000), // same instants
                Arbitraries.of(NOW - 5 * DAY, NOW - 5 * DAY + 1));
        Arbitrary<String> amount = Arbitraries.oneOf(
                Arbitraries.of("0", "0.000000001", "999999999999999.999999999", "999999999999999", "1e14", "1"),
                Arbitraries.bigDecimals()
                        .between(java.math.BigDecimal.ZERO, new java.math.BigDecimal("999999999999999"))
                        .ofScale(2)
                        .map(java.math.BigDecimal::toPlainString));
        Arbitrary<String> deal = Combinators.combine(
                        at,
                        Arbitraries.of("CREATED", "STAGE_CHANGED", "UPDATED", "CLOSED_WON", "CLOSED_LOST"),
                        Arbitraries.of("Qualification", "DISCOVERY", "SOLUTION", "Proposal/Price Quote", "NEGOTIATION"),
                        amount,
                        Arbitraries.of("d-1", "d-2", "d-3", "d-4"),
                        Arbitraries.of("1900-01-01", "2026-06-30", "9999-12-31", "2026-01-01"),
                        Arbitraries.of("new_business", "expansion", "renewal", "contraction"),
                        Arbitraries.integers().between(0, 1_000_000))
                .as((t, type, stage, amt, id, close, dealType, n) -> "{\"dealEvent\":true,\"eventId\":\"d" + n
                        + "\",\"occurredAt\":" + t + ",\"source\":\"salesforce\",\"accountId\":\"acct-1\",\"dealId\":\""
                        + id + "\",\"type\":\"" + type + "\",\"stage\":\"" + stage + "\",\"amount\":" + amt
                        + ",\"currency\":\"EUR\",\"expectedCloseDate\":\"" + close + "\",\"dealType\":\"" + dealType
                        + "\"}");
        Arbitrary<String> touch = Combinators.combine(
                        at,
                        Arbitraries.of(
                                "SALES_CALL",
                                "SALES_EMAIL",
                                "MEETING",
                                "WEB_VISIT",
                                "FORM_SUBMIT",
                                "MQL",
                                "SQL",
                                "LEAD_CREATED",
                                "EMAIL_CLICK"),
                        Arbitraries.of("salesforce", "hubspot", "segment", "product", "zendesk", "stripe"),
                        amount,
                        Arbitraries.of("d-1", "d-2", ""),
                        Arbitraries.integers().between(0, 1_000_000))
                .as((t, type, source, amt, id, n) -> "{\"eventId\":\"t" + n + "\",\"occurredAt\":" + t
                        + ",\"source\":\"" + source + "\",\"accountId\":\"acct-1\",\"type\":\"" + type
                        + "\",\"dealId\":\"" + id + "\",\"amount\":" + amt + ",\"channel\":\"email\"}");
        Arbitrary<String> canonical = Combinators.combine(
                        at,
                        Arbitraries.of(
                                "PRODUCT_USAGE",
                                "SUPPORT_TICKET",
                                "NPS",
                                "CHAMPION_LEFT",
                                "PAYMENT_FAILED",
                                "TRIAL_START",
                                "DEMO",
                                "SALES_CALL",
                                "AD_CLICK",
                                "WEBINAR_ATTEND"),
                        Arbitraries.of("0", "10", "3", "999999999999999"),
                        Arbitraries.integers().between(0, 1_000_000))
                .as((t, type, amt, n) -> "{\"eventId\":\"c" + n + "\",\"occurredAt\":" + t
                        + ",\"source\":\"product\",\"accountId\":\"acct-1\",\"type\":\"" + type + "\",\"amount\":"
                        + amt + ",\"channel\":\"paid_search\",\"campaign\":\"q4\"}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, deal),
                net.jqwik.api.Tuple.of(3, touch),
                net.jqwik.api.Tuple.of(2, canonical));
    }
}
