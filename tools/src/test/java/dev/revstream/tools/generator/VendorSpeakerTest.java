package dev.revstream.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.ingest.EventParser;
import dev.revstream.ingest.SourceFormat;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.tools.testing.Infra;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The generator speaks each vendor's format, and what revstream reads from the vendor's record is
 * what the generator meant: the generated funnel parsed as written (revstream's format) against the
 * same records spoken as Segment, HubSpot, Salesforce CDC, Stripe and Debezium and read through the
 * adapters, each event's fields that the vendor carries equal, and an account the vendor leaves out
 * (a Salesforce update, a HubSpot contact) told by the deal's earlier events or the contact's
 * association, as the job's identity stages find it.
 */
class VendorSpeakerTest {
    private static final long START = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    @Test
    void everyFormatSaysWhatTheGeneratorMeant() {
        RevstreamConfig cfg = ConfigLoader.load(
                Infra.projectConfig(),
                List.of(
                        "ingest.formats.v.segment=segment",
                        "ingest.formats.v.hubspot=hubspot",
                        "ingest.formats.v.salesforce=salesforce-cdc",
                        "ingest.formats.v.stripe=stripe",
                        "ingest.formats.v.crm=debezium"),
                Map.of());
        Map<SourceFormat, String> topics = Map.of(
                SourceFormat.SEGMENT, "v.segment",
                SourceFormat.HUBSPOT, "v.hubspot",
                SourceFormat.SALESFORCE_CDC, "v.salesforce",
                SourceFormat.STRIPE, "v.stripe",
                SourceFormat.DEBEZIUM, "v.crm");
        EventParser parser = new EventParser(cfg.ingestSettings());
        VendorSpeaker speaker = new VendorSpeaker(EnumSet.copyOf(topics.keySet()));
        FunnelGenerator g = new FunnelGenerator(11, 150, START, 0.02, 0.03);
        Map<SourceFormat, Integer> spokenBy = new EnumMap<>(SourceFormat.class);
        Map<String, String> dealAccount = new HashMap<>();
        Map<String, String> contactAccount = new HashMap<>();
        long now = START + 900L * 86_400_000;
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (r.businessTime() > START + 500L * 86_400_000) {
                break;
            }
            if (r.kind() != GeneratedRecord.Kind.VALID) {
                continue;
            }
            Ingested canonical = parser.parse(
                    r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(), 0, 0, null, r.value(), now, now);
            if (canonical.event() == null) {
                continue; // a record the generator writes to be rejected
            }
            Event want = canonical.event();
            if (want.isDeal() && want.accountId() != null) {
                dealAccount.put(want.dealId(), want.accountId());
            }
            VendorSpeaker.Spoken s = speaker.speak(r);
            if (s == null) {
                continue;
            }
            spokenBy.merge(s.format(), 1, Integer::sum);
            List<Ingested> read = new ArrayList<>();
            parser.parse(topics.get(s.format()), 0, 0, s.key(), s.value(), now, now, read::add);
            assertThat(read)
                    .as("%s of %s", s.format(), want)
                    .allSatisfy(i -> assertThat(i.deadLetter())
                            .as(String.valueOf(i.deadLetter()))
                            .isNull());
            List<Event> events =
                    read.stream().map(Ingested::event).filter(Objects::nonNull).toList();
            events.stream().filter(Event::isIdentify).forEach(e -> contactAccount.put(e.contactId(), e.accountId()));
            List<Event> touches = events.stream().filter(e -> !e.isIdentify()).toList();
            assertThat(touches).as("%s of %s", s.format(), want).hasSize(1);
            Event got = touches.get(0);
            String account = got.accountId() != null
                    ? got.accountId()
                    : got.isDeal() ? dealAccount.get(got.dealId()) : contactAccount.get(got.contactId());
            String what = s.format() + " of " + want;
            assertThat(account).as(what).isEqualTo(want.accountId());
            assertThat(got.kind()).as(what).isEqualTo(want.kind());
            assertThat(got.type()).as(what).isEqualTo(want.type());
            assertThat(got.occurredAt()).as(what).isEqualTo(want.occurredAt());
            assertThat(got.dealId()).as(what).isEqualTo(want.dealId());
            if (want.type().equals("CREATED") || want.type().equals("STAGE_CHANGED")) {
                // only these set a deal's stage (a row's stage on an update is the stage it is in already)
                assertThat(got.stage()).as(what).isEqualTo(want.stage());
            }
            for (var field : List.<java.util.function.Function<Event, Object>>of(
                    Event::amount,
                    Event::expectedCloseDate,
                    Event::segment,
                    Event::region,
                    Event::lostReason,
                    Event::dealType,
                    Event::contactId)) {
                Object w = field.apply(want);
                if (w != null) {
                    Object gv = field.apply(got);
                    if (w instanceof java.math.BigDecimal bw) {
                        assertThat((java.math.BigDecimal) gv).as(what).isEqualByComparingTo(bw);
                    } else {
                        assertThat(gv).as(what).isEqualTo(w);
                    }
                }
            }
            if (s.format() == SourceFormat.SEGMENT) {
                assertThat(got.channel()).as(what).isEqualTo(want.channel());
                assertThat(got.campaign()).as(what).isEqualTo(want.campaign());
            }
        }
        assertThat(spokenBy.keySet()).as("formats spoken").isEqualTo(topics.keySet());
    }
}
