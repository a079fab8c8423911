package dev.revstream.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.ingest.EventParser;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.tools.testing.Infra;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunnelGeneratorTest {
    private static final long START = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    private static List<GeneratedRecord> generate(long seed, int accounts) {
        FunnelGenerator g = new FunnelGenerator(seed, accounts, START, 0.02, 0.03);
        List<GeneratedRecord> out = new ArrayList<>();
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (r.businessTime() > START + 600L * 86_400_000) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void theSameSeedWritesTheSameRecords() {
        List<GeneratedRecord> a = generate(3, 60);
        List<GeneratedRecord> b = generate(3, 60);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
        }
        assertThat(Arrays.equals(generate(4, 60).get(5).value(), a.get(5).value()))
                .isFalse();
    }

    @Test
    void writesARealisticFunnelInTheSourcesVocabulariesInBusinessTimeOrder() {
        RevstreamConfig cfg = ConfigLoader.load(Infra.projectConfig(), List.of("ingest.max-future=0"), Map.of());
        EventParser parser = new EventParser(cfg.ingestSettings());
        List<GeneratedRecord> records = generate(11, 300);
        Map<GeneratedRecord.Kind, Integer> kinds = new EnumMap<>(GeneratedRecord.Kind.class);
        Set<String> types = new HashSet<>();
        Set<String> sources = new HashSet<>();
        Set<String> dealTypes = new HashSet<>();
        long last = Long.MIN_VALUE;
        for (GeneratedRecord r : records) {
            assertThat(r.businessTime()).isGreaterThanOrEqualTo(last);
            last = r.businessTime();
            kinds.merge(r.kind(), 1, Integer::sum);
            Ingested in = parser.parse(
                    r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(), 0, 0, null, r.value(), 0, 0);
            if (r.kind() == GeneratedRecord.Kind.MALFORMED) {
                assertThat(in.deadLetter())
                        .as("malformed record %s", new String(r.value()))
                        .isNotNull();
                continue;
            }
            assertThat(in.deadLetter())
                    .as(
                            "valid record %s: %s",
                            new String(r.value()),
                            in.deadLetter() == null ? "" : in.deadLetter().message())
                    .isNull();
            Event e = in.event();
            types.add(e.type());
            sources.add(e.source());
            if (e.dealType() != null) {
                dealTypes.add(e.dealType());
            }
        }
        assertThat(kinds.get(GeneratedRecord.Kind.MALFORMED)).isGreaterThan(0);
        assertThat(kinds.get(GeneratedRecord.Kind.DUPLICATE)).isGreaterThan(0);
        assertThat(types)
                .contains(
                        "AD_CLICK",
                        "WEB_VISIT",
                        "FORM_SUBMIT",
                        "LEAD_CREATED",
                        "MQL",
                        "SQL",
                        "SALES_CALL",
                        "CREATED",
                        "STAGE_CHANGED",
                        "UPDATED",
                        "CLOSED_WON",
                        "CLOSED_LOST",
                        "PRODUCT_USAGE",
                        "SUPPORT_TICKET",
                        "NPS",
                        "PAYMENT_FAILED",
                        "SPEND");
        assertThat(sources).contains("hubspot", "marketo", "salesforce", "segment", "zendesk", "stripe", "product");
        assertThat(dealTypes).contains("new_business", "renewal", "expansion");
    }
}
