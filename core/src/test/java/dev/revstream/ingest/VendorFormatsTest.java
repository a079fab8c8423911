package dev.revstream.ingest;

import static dev.revstream.ingest.FormatTestSettings.NOW;
import static dev.revstream.ingest.FormatTestSettings.fixture;
import static dev.revstream.ingest.FormatTestSettings.topic;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.model.Event;
import dev.revstream.model.EventKind;
import dev.revstream.model.Ingested;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each vendor fixture (written from the vendor's public documentation, see
 * {@code src/test/resources/formats/SOURCES.md}) read through the parser on a topic of its format:
 * the canonical events it yields, the parts it skips, and what stays a dead letter until the job's
 * lookups resolve it (an account a record leaves out).
 */
class VendorFormatsTest {
    private static final EventParser PARSER = new EventParser(FormatTestSettings.ingest());
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Ingested> parse(SourceFormat format, byte[] value) {
        List<Ingested> out = new ArrayList<>();
        PARSER.parse(topic(format), 0, 7, null, value, NOW, NOW, out::add);
        return out;
    }

    static List<Ingested> parse(SourceFormat format, String fixture) {
        return parse(format, fixture(fixture));
    }

    static List<Event> events(List<Ingested> in) {
        return in.stream().filter(i -> i.event() != null).map(Ingested::event).toList();
    }

    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    static Translation translate(FormatAdapter a, String fixture) throws Exception {
        return a.translate(JSON.readTree(fixture(fixture)));
    }

    // ---- Segment --------------------------------------------------------------------------------

    @Test
    void segmentTrackOfAnIdentifiedPersonKeepsEveryIdentityAndTheCampaign() throws Exception {
        Translation t = translate(new SegmentFormat(), "segment/track.json");
        assertThat(t.events()).hasSize(1);
        var f = t.events().get(0).fields();
        assertThat(t.events().get(0).kind()).isEqualTo(EventKind.TOUCHPOINT);
        assertThat(f.get("eventId").asText()).isEqualTo("ajs-next-1793719263518-4c1f9e2a-7b6d-4e3f-9a8b-1c2d3e4f5a6b");
        assertThat(f.get("occurredAt").asLong()).isEqualTo(ms("2026-11-03T15:21:03.649Z"));
        assertThat(f.get("type").asText()).isEqualTo("Demo Requested");
        assertThat(f.get("contactId").asText()).isEqualTo("user-jane");
        assertThat(f.get("anonymousId").asText()).isEqualTo("anon-7f3c");
        assertThat(f.get("channel").asText()).isEqualTo("email");
        assertThat(f.get("campaign").asText()).isEqualTo("nov-webinar-followup");
        assertThat(f.get("attributes").get("form_id")).isNotNull();
        // no account in the call: Jane's account is found by identity resolution (the job's person stage)
        Event e = events(parse(SourceFormat.SEGMENT, "segment/track.json")).get(0);
        assertThat(e.type()).isEqualTo("FORM_SUBMIT");
        assertThat(e.accountId()).isNull();
        assertThat(e.contactId()).isEqualTo("user-jane");
        assertThat(e.anonymousId()).isEqualTo("anon-7f3c");
    }

    @Test
    void segmentAnonymousCallsCarryTheirAnonymousIdAndUtmChannel() throws Exception {
        for (String fixture : List.of("segment/track-anonymous.json", "segment/page.json")) {
            Translation t = translate(new SegmentFormat(), fixture);
            var f = t.events().get(0).fields();
            assertThat(f.get("anonymousId").asText()).as(fixture).isEqualTo("anon-7f3c");
            assertThat(f.has("contactId")).as(fixture).isFalse();
            assertThat(f.get("channel").asText()).as(fixture).isEqualTo("cpc");
            assertThat(f.get("campaign").asText()).as(fixture).isEqualTo("revops-analytics");
        }
        assertThat(translate(new SegmentFormat(), "segment/track-anonymous.json")
                        .events()
                        .get(0)
                        .fields()
                        .get("type")
                        .asText())
                .isEqualTo("Ad Clicked");
        assertThat(translate(new SegmentFormat(), "segment/page.json")
                        .events()
                        .get(0)
                        .fields()
                        .get("type")
                        .asText())
                .isEqualTo("page");
    }

    @Test
    void segmentIdentityCallsLinkTheVisitorThePersonAndTheAccount() throws Exception {
        Event identify =
                events(parse(SourceFormat.SEGMENT, "segment/identify.json")).get(0);
        assertThat(identify.type()).isEqualTo("IDENTIFY");
        assertThat(identify.anonymousId()).isEqualTo("anon-7f3c");
        assertThat(identify.contactId()).isEqualTo("user-jane");
        // the traits' e-mail links its visitor id (a hash, not the address) to the user
        Event byEmail =
                events(parse(SourceFormat.SEGMENT, "segment/identify.json")).get(1);
        assertThat(byEmail.isIdentify()).isTrue();
        assertThat(byEmail.contactId()).isEqualTo("user-jane");
        assertThat(byEmail.anonymousId())
                .isEqualTo("email:"
                        + java.util.HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                        .digest("jane@acme.example".getBytes(StandardCharsets.UTF_8))))
                .doesNotContain("jane");
        Event alias = events(parse(SourceFormat.SEGMENT, "segment/alias.json")).get(0);
        assertThat(alias.anonymousId()).isEqualTo("anon-7f3c"); // previousId
        assertThat(alias.contactId()).isEqualTo("user-jane");
        Event group = events(parse(SourceFormat.SEGMENT, "segment/group.json")).get(0);
        assertThat(group.contactId()).isEqualTo("user-jane");
        assertThat(group.accountId()).isEqualTo("acme");
        assertThat(group.isIdentify()).isTrue();
    }

    @Test
    void segmentBatchYieldsEachCall() {
        List<Ingested> parsed = parse(SourceFormat.SEGMENT, "segment/batch.json");
        assertThat(parsed).hasSize(2);
        assertThat(parsed.get(0).event().isIdentify()).isTrue(); // the user's e-mail from the identify's traits
        Event demo = parsed.get(1).event();
        assertThat(demo.type()).isEqualTo("DEMO");
        assertThat(demo.sourceType()).isEqualTo("Demo Attended");
        assertThat(demo.accountId()).isEqualTo("acme");
        assertThat(demo.contactId()).isEqualTo("user-jane");
        assertThat(demo.occurredAt()).isEqualTo(ms("2026-11-06T15:00:00.118Z"));
        assertThat(demo.offset()).isEqualTo(7);
    }

    // ---- HubSpot --------------------------------------------------------------------------------

    @Test
    void hubspotWebhookPostTranslatesDealAndContactChanges() throws Exception {
        Translation t = translate(new HubSpotFormat(FormatTestSettings.mappings()), "hubspot/webhook-batch.json");
        assertThat(t.events())
                .extracting(c -> c.fields().get("type").asText())
                .containsExactly(
                        "CREATED",
                        "STAGE_CHANGED",
                        "UPDATED",
                        "STAGE_CHANGED",
                        "lifecyclestage_marketingqualifiedlead");
        var created = t.events().get(0).fields();
        assertThat(created.get("dealId").asText()).isEqualTo("5501");
        assertThat(created.get("eventId").asText()).isEqualTo("4210887301");
        assertThat(created.get("occurredAt").asLong()).isEqualTo(1793786400512L);
        assertThat(t.events().get(1).fields().get("stage").asText()).isEqualTo("presentationscheduled");
        assertThat(t.events().get(2).fields().get("amount").decimalValue()).isEqualByComparingTo("48000");
        assertThat(t.events().get(3).fields().get("stage").asText()).isEqualTo("closedwon");
        assertThat(t.events().get(4).kind()).isEqualTo(EventKind.TOUCHPOINT);
        assertThat(t.events().get(4).fields().get("contactId").asText()).isEqualTo("123");
        assertThat(t.skipped()).hasSize(1); // company.creation
        // the webhooks name no account (the job looks it up); a creation posted apart from its stage has none
        List<Ingested> parsed = parse(SourceFormat.HUBSPOT, "hubspot/webhook-batch.json");
        assertThat(parsed.stream().filter(i -> i.deadLetter() != null))
                .singleElement()
                .satisfies(i -> assertThat(i.deadLetter().field()).isEqualTo("stage"));
        assertThat(events(parsed))
                .hasSize(4)
                .allSatisfy(e -> assertThat(e.accountId()).isNull());
    }

    @Test
    void hubspotDealAssociationNamesTheAccount() {
        Event e = events(parse(SourceFormat.HUBSPOT, "hubspot/deal-associations.json"))
                .get(0);
        assertThat(e.type()).isEqualTo("UPDATED");
        assertThat(e.dealId()).isEqualTo("5501");
        assertThat(e.accountId()).isEqualTo("9001");
    }

    @Test
    void hubspotPropertiesSetAtCreationArePartOfTheCreatedDeal() {
        String post = """
                [{"objectId":7,"eventId":1,"occurredAt":1793786400000,"subscriptionType":"deal.creation","portalId":1},
                 {"objectId":7,"eventId":2,"occurredAt":1793786400000,"subscriptionType":"deal.propertyChange","propertyName":"dealstage","propertyValue":"presentationscheduled"},
                 {"objectId":7,"eventId":3,"occurredAt":1793786400001,"subscriptionType":"deal.propertyChange","propertyName":"amount","propertyValue":"1200.50"},
                 {"objectId":7,"eventId":4,"occurredAt":1793786400000,"subscriptionType":"deal.associationChange","associationType":"DEAL_TO_COMPANY","fromObjectId":7,"toObjectId":42},
                 {"objectId":7,"eventId":5,"occurredAt":1793786430000,"subscriptionType":"deal.propertyChange","propertyName":"dealstage","propertyValue":"closedwon"}]
                """;
        List<Translation.Canonical> events;
        try {
            events = new HubSpotFormat(FormatTestSettings.mappings())
                    .translate(JSON.readTree(post))
                    .events();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(events).extracting(c -> c.fields().get("eventId").asText()).containsExactly("1", "4", "5");
        var created = events.get(0).fields();
        assertThat(created.get("stage").asText()).isEqualTo("presentationscheduled");
        assertThat(created.get("amount").decimalValue()).isEqualByComparingTo("1200.50");
        // a second change of the stage within the minute is a change of its own, not lost
        assertThat(events.get(2).fields().get("stage").asText()).isEqualTo("closedwon");
    }

    // ---- Salesforce CDC -------------------------------------------------------------------------

    @Test
    void salesforceOpportunityCreateIsACreatedDeal() {
        List<Event> es = events(parse(SourceFormat.SALESFORCE_CDC, "salesforce/opportunity-create.json"));
        assertThat(es).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("CREATED");
            assertThat(e.dealId()).isEqualTo("006xx000001a2bCAAQ");
            assertThat(e.accountId()).isEqualTo("001xx000003DGb2AAG");
            assertThat(e.stage()).isEqualTo("QUALIFICATION");
            assertThat(e.amount()).isEqualByComparingTo("48000");
            assertThat(e.expectedCloseDate()).isEqualTo("2026-12-15");
            assertThat(e.dealType()).isEqualTo("expansion");
            assertThat(e.ownerId()).isEqualTo("005xx000001SvJmAAK");
            assertThat(e.source()).isEqualTo("salesforce");
        });
    }

    @Test
    void aDealTheVendorCreatedWithoutAnAmountIsCreatedWithZero() throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(fixture("salesforce/opportunity-create.json"));
        tree.putNull("Amount");
        Event e = events(parse(SourceFormat.SALESFORCE_CDC, JSON.writeValueAsBytes(tree)))
                .get(0);
        assertThat(e.type()).isEqualTo("CREATED");
        assertThat(e.amount()).isEqualByComparingTo("0");
    }

    @Test
    void salesforceUpdateCarriesOnlyWhatChanged() throws Exception {
        Translation t =
                translate(new SalesforceCdcFormat(FormatTestSettings.mappings()), "salesforce/opportunity-update.json");
        var f = t.events().get(0).fields();
        assertThat(f.get("type").asText()).isEqualTo("STAGE_CHANGED");
        assertThat(f.get("stage").asText()).isEqualTo("Negotiation/Review");
        assertThat(f.has("accountId")).isFalse();
        assertThat(f.get("eventId").asText()).isEqualTo("0004e7f9-21d0-3ab6-c58e-9f0a4b7d2e13:1:006xx000001a2bCAAQ");
        assertThat(f.get("occurredAt").asLong()).isEqualTo(1795009227000L);
    }

    @Test
    void forecastCategoriesComeAsTheCrmsNameThem() throws Exception {
        // Salesforce sets ForecastCategoryName with the stage (Negotiation/Review: Commit)
        com.fasterxml.jackson.databind.node.ObjectNode sf = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(fixture("salesforce/opportunity-update.json"));
        sf.put("ForecastCategoryName", "Commit");
        Event staged = events(parse(SourceFormat.SALESFORCE_CDC, JSON.writeValueAsBytes(sf)))
                .get(0);
        assertThat(staged.type()).isEqualTo("STAGE_CHANGED");
        assertThat(staged.forecastCategory()).isEqualTo("commit");
        // a change of the category alone is an update
        sf.putNull("StageName");
        sf.put("ForecastCategoryName", "Best Case");
        Event updated = events(parse(SourceFormat.SALESFORCE_CDC, JSON.writeValueAsBytes(sf)))
                .get(0);
        assertThat(updated.type()).isEqualTo("UPDATED");
        assertThat(updated.forecastCategory()).isEqualTo("best_case");
        // HubSpot's manual forecast category property: OMIT, PIPELINE, BEST_CASE, COMMIT
        com.fasterxml.jackson.databind.node.ObjectNode hs = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(fixture("hubspot/webhook-batch.json")).get(2);
        hs.put("propertyName", "hs_manual_forecast_category");
        hs.put("propertyValue", "OMIT");
        var t = new HubSpotFormat(FormatTestSettings.mappings())
                .translate(JSON.createArrayNode().add(hs));
        assertThat(t.events().get(0).fields().get("type").asText()).isEqualTo("UPDATED");
        assertThat(t.events().get(0).fields().get("forecastCategory").asText()).isEqualTo("OMIT");
        // a category no CRM has is a dead letter naming the field
        sf.put("ForecastCategoryName", "Maybe");
        Ingested bad =
                parse(SourceFormat.SALESFORCE_CDC, JSON.writeValueAsBytes(sf)).get(0);
        assertThat(bad.deadLetter().field()).isEqualTo("forecastCategory");
        assertThat(dev.revstream.model.ForecastCategory.parse("OMIT"))
                .isEqualTo(dev.revstream.model.ForecastCategory.OMITTED);
    }

    @Test
    void salesforceTaskIsASalesTouchOnItsDeal() {
        Event e = events(parse(SourceFormat.SALESFORCE_CDC, "salesforce/task-create.json"))
                .get(0);
        assertThat(e.type()).isEqualTo("SALES_CALL");
        assertThat(e.accountId()).isEqualTo("001xx000003DGb2AAG");
        assertThat(e.contactId()).isEqualTo("003xx000004TmiQAAS");
        assertThat(e.dealId()).isEqualTo("006xx000001a2bCAAQ");
    }

    @Test
    void salesforceLeadStatusWithoutAMappingIsSkipped() {
        assertThat(parse(SourceFormat.SALESFORCE_CDC, "salesforce/lead-update.json"))
                .singleElement()
                .satisfies(i -> assertThat(i.skipped().reason()).contains("Working - Contacted"));
    }

    // ---- Stripe ---------------------------------------------------------------------------------

    @Test
    void stripeSubscriptionsMoveArrAsWonDeals() {
        Event created = events(parse(SourceFormat.STRIPE, "stripe/subscription-created.json"))
                .get(0);
        assertThat(created.type()).isEqualTo("CLOSED_WON");
        assertThat(created.dealType()).isEqualTo("new_business");
        assertThat(created.accountId()).isEqualTo("cus_Acme123");
        assertThat(created.amount()).isEqualByComparingTo("48000"); // 40 seats at 1,200.00 a year
        assertThat(created.occurredAt()).isEqualTo(1795537801000L); // Unix seconds, not ms
        Event updated = events(parse(SourceFormat.STRIPE, "stripe/subscription-updated.json"))
                .get(0);
        assertThat(updated.dealType()).isEqualTo("expansion");
        assertThat(updated.amount()).isEqualByComparingTo("6000"); // 40 -> 45 seats
        assertThat(updated.dealId()).isNotEqualTo(created.dealId());
        Event deleted = events(parse(SourceFormat.STRIPE, "stripe/subscription-deleted.json"))
                .get(0);
        assertThat(deleted.dealType()).isEqualTo("contraction");
        assertThat(deleted.amount()).isEqualByComparingTo("5880"); // 10 x 49.00 a month
    }

    @Test
    void stripeInvoicesAreTouchpointsWhenMapped() {
        Event failed = events(parse(SourceFormat.STRIPE, "stripe/invoice-payment-failed.json"))
                .get(0);
        assertThat(failed.type()).isEqualTo("PAYMENT_FAILED");
        assertThat(failed.accountId()).isEqualTo("cus_Acme123");
        assertThat(parse(SourceFormat.STRIPE, "stripe/invoice-paid.json"))
                .singleElement()
                .satisfies(i -> assertThat(i.skipped()).isNotNull());
    }

    // ---- Debezium -------------------------------------------------------------------------------

    @Test
    void debeziumRowsOfAMappedTableAreDealEvents() {
        Event inserted = events(parse(SourceFormat.DEBEZIUM, "debezium/opportunity-insert.json"))
                .get(0);
        assertThat(inserted.type()).isEqualTo("CREATED");
        assertThat(inserted.source()).isEqualTo("crm");
        assertThat(inserted.dealId()).isEqualTo("1042");
        assertThat(inserted.accountId()).isEqualTo("acme");
        assertThat(inserted.stage()).isEqualTo("QUALIFICATION");
        assertThat(inserted.amount()).isEqualByComparingTo("36000.00"); // "Nu6A": precise decimal, scale 2
        assertThat(inserted.expectedCloseDate()).isEqualTo("2026-12-15"); // 20802 days
        assertThat(inserted.occurredAt()).isEqualTo(ms("2026-11-04T10:06:00.123Z"));
        for (String fixture :
                List.of("debezium/opportunity-update.json", "debezium/opportunity-update-with-schema.json")) {
            Event updated = events(parse(SourceFormat.DEBEZIUM, fixture)).get(0);
            assertThat(updated.type()).as(fixture).isEqualTo("STAGE_CHANGED");
            assertThat(updated.stage()).as(fixture).isEqualTo("NEGOTIATION");
            assertThat(updated.amount()).as(fixture).isEqualByComparingTo(new BigDecimal("48000.00"));
        }
        assertThat(events(parse(SourceFormat.DEBEZIUM, "debezium/opportunity-snapshot.json"))
                        .get(0)
                        .type())
                .isEqualTo("CREATED");
    }

    @Test
    void debeziumDeletesAndTombstonesAreSkippedNotRejected() {
        assertThat(parse(SourceFormat.DEBEZIUM, "debezium/opportunity-delete.json"))
                .singleElement()
                .satisfies(i -> assertThat(i.skipped()).isNotNull());
        assertThat(parse(SourceFormat.DEBEZIUM, (byte[]) null))
                .singleElement()
                .satisfies(i -> assertThat(i.skipped().reason()).contains("tombstone"));
    }

    // ---- auto -----------------------------------------------------------------------------------

    @Test
    void autoTellsEveryFixtureApartByItsShape() {
        for (SourceFormat f : List.of(
                SourceFormat.SEGMENT,
                SourceFormat.HUBSPOT,
                SourceFormat.SALESFORCE_CDC,
                SourceFormat.STRIPE,
                SourceFormat.DEBEZIUM)) {
            for (String fixture : fixtures(f)) {
                List<String> own = parse(f, fixture).stream()
                        .map(VendorFormatsTest::summary)
                        .toList();
                List<String> auto = parse(SourceFormat.AUTO, fixture).stream()
                        .map(VendorFormatsTest::summary)
                        .toList();
                assertThat(auto).as(fixture).isNotEmpty().isEqualTo(own);
            }
        }
        String canonical =
                "{\"eventId\":\"e1\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"source\":\"x\",\"dealId\":\"d\","
                        + "\"accountId\":\"a\",\"type\":\"UPDATED\"}";
        assertThat(parse(SourceFormat.AUTO, canonical.getBytes(StandardCharsets.UTF_8)))
                .singleElement()
                .satisfies(i -> assertThat(i.event().dealId()).isEqualTo("d"));
    }

    /** What a parse yields, apart from where it was read. */
    static String summary(Ingested i) {
        if (i.event() != null) {
            Event e = i.event();
            return String.join(
                    "|",
                    "event",
                    e.source(),
                    e.eventId(),
                    e.type(),
                    String.valueOf(e.accountId()),
                    String.valueOf(e.dealId()),
                    String.valueOf(e.amount()),
                    String.valueOf(e.occurredAt()));
        }
        if (i.deadLetter() != null) {
            return "dead letter|" + i.deadLetter().errorCode() + "|"
                    + i.deadLetter().message();
        }
        return "skipped|" + i.skipped().source() + "|" + i.skipped().reason();
    }

    static List<String> fixtures(SourceFormat f) {
        return switch (f) {
            case SEGMENT ->
                List.of(
                        "segment/track.json",
                        "segment/track-anonymous.json",
                        "segment/page.json",
                        "segment/identify.json",
                        "segment/group.json",
                        "segment/alias.json",
                        "segment/batch.json");
            case HUBSPOT -> List.of("hubspot/webhook-batch.json", "hubspot/deal-associations.json");
            case SALESFORCE_CDC ->
                List.of(
                        "salesforce/opportunity-create.json",
                        "salesforce/opportunity-update.json",
                        "salesforce/lead-update.json",
                        "salesforce/task-create.json");
            case STRIPE ->
                List.of(
                        "stripe/invoice-paid.json",
                        "stripe/invoice-paid-dahlia.json",
                        "stripe/invoice-payment-failed.json",
                        "stripe/subscription-created.json",
                        "stripe/subscription-updated.json",
                        "stripe/subscription-deleted.json");
            case DEBEZIUM ->
                List.of(
                        "debezium/opportunity-insert.json",
                        "debezium/opportunity-update.json",
                        "debezium/opportunity-delete.json",
                        "debezium/opportunity-snapshot.json",
                        "debezium/opportunity-update-with-schema.json");
            default -> List.of();
        };
    }
}
