package dev.revstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.EventKind;
import dev.revstream.model.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    private static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
    private static final String T = "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"source\":\"hubspot\"";
    private static final String SF = "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"source\":\"salesforce\"";
    private final EventParser parser = new EventParser(TestSettings.ingest());

    private Ingested touchpoint(String json) {
        return parse(TestSettings.TOUCHPOINTS, json.getBytes(StandardCharsets.UTF_8));
    }

    private Ingested deal(String json) {
        return parse(TestSettings.DEALS, json.getBytes(StandardCharsets.UTF_8));
    }

    private Ingested parse(String topic, byte[] value) {
        return parser.parse(topic, 2, 41, "acct-1".getBytes(StandardCharsets.UTF_8), value, NOW - 5, NOW);
    }

    private Event accepted(Ingested in) {
        assertThat(in.deadLetter()).as("dead letter %s", in.deadLetter()).isNull();
        return in.event();
    }

    private DeadLetter rejected(Ingested in, ErrorCode code) {
        assertThat(in.event()).isNull();
        assertThat(in.deadLetter().errorCode()).as(in.deadLetter().message()).isEqualTo(code);
        assertThat(in.eventTime()).isEqualTo(Long.MIN_VALUE);
        return in.deadLetter();
    }

    @Test
    void acceptsATouchpointInTheSourcesOwnVocabulary() {
        Event e = accepted(
                touchpoint(
                        "{\"eventId\":\"e1\"," + T + ",\"accountId\":\"acct-1\",\"type\":\"OPEN\","
                                + "\"channel\":\"EMAIL_MARKETING\",\"contactId\":\"c-1\",\"attributes\":{\"subject\":\"Hi\",\"n\":[1,2]},\"unknownField\":1}"));
        assertThat(e.kind()).isEqualTo(EventKind.TOUCHPOINT);
        assertThat(e.type()).isEqualTo("EMAIL_OPEN");
        assertThat(e.sourceType()).isEqualTo("OPEN");
        assertThat(e.channel()).isEqualTo("email");
        assertThat(e.occurredAt())
                .isEqualTo(Instant.parse("2026-06-01T10:00:00Z").toEpochMilli());
        assertThat(e.attributes()).isEqualTo("{\"subject\":\"Hi\",\"n\":[1,2]}");
        assertThat(e.topic()).isEqualTo(TestSettings.TOUCHPOINTS);
        assertThat(e.partition()).isEqualTo(2);
        assertThat(e.offset()).isEqualTo(41);
        assertThat(e.ingestedAt()).isEqualTo(NOW - 5);
    }

    @Test
    void sourceNamesAndMappingsIgnoreCaseAndBlanks() {
        Event e = accepted(touchpoint("{\"eventId\":\"e1\",\"occurredAt\":1780000000000,\"source\":\" Marketo \","
                + "\"accountId\":\"a\",\"type\":\"open email\",\"channel\":\"CPC\"}"));
        assertThat(e.source()).isEqualTo("marketo");
        assertThat(e.type()).isEqualTo("EMAIL_OPEN");
        assertThat(e.channel()).isEqualTo("paid_search");
    }

    @Test
    void acceptsCanonicalNamesFromAnySource() {
        Event e = accepted(touchpoint("{\"eventId\":\"e1\",\"occurredAt\":1780000000000,\"source\":\"intercom\","
                + "\"accountId\":\"a\",\"type\":\"CHAT\",\"channel\":\"referral\"}"));
        assertThat(e.type()).isEqualTo("CHAT");
        assertThat(e.channel()).isEqualTo("referral");
        Event d =
                accepted(deal("{\"eventId\":\"d1\",\"occurredAt\":1780000000000,\"source\":\"newcrm\",\"dealId\":\"d\","
                        + "\"accountId\":\"a\",\"type\":\"created\",\"stage\":\"discovery\",\"amount\":5}"));
        assertThat(d.stage()).isEqualTo("DISCOVERY");
        assertThat(d.type()).isEqualTo("CREATED");
    }

    @Test
    void anUnmappedChannelBecomesOtherAndIsFlagged() {
        Ingested in = touchpoint(
                "{\"eventId\":\"e1\"," + T + ",\"accountId\":\"a\",\"type\":\"OPEN\",\"channel\":\"tiktok\"}");
        assertThat(accepted(in).channel()).isEqualTo("other");
        assertThat(accepted(in).sourceChannel()).isEqualTo("tiktok");
        assertThat(in.channelUnmapped()).isTrue();
    }

    @Test
    void readsTimesAsIsoWithOffsetsOrEpochMillis() {
        long expected = Instant.parse("2026-06-01T08:00:00Z").toEpochMilli();
        assertThat(accepted(
                                touchpoint(
                                        "{\"eventId\":\"e\",\"occurredAt\":\"2026-06-01T10:00:00+02:00\",\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"))
                        .occurredAt())
                .isEqualTo(expected);
        assertThat(accepted(touchpoint("{\"eventId\":\"e\",\"occurredAt\":" + expected
                                + ",\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"))
                        .occurredAt())
                .isEqualTo(expected);
        assertThat(accepted(
                                touchpoint(
                                        "{\"eventId\":\"e\",\"occurredAt\":\"2026-06-01T08:00:00.000Z\",\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"))
                        .occurredAt())
                .isEqualTo(expected);
    }

    @Test
    void convertsMoneyToTheReportingCurrencyAndKeepsTheOriginal() {
        Event d = accepted(
                deal("{\"eventId\":\"d1\"," + SF + ",\"dealId\":\"d\",\"accountId\":\"a\",\"type\":\"CREATED\","
                        + "\"stage\":\"Proposal/Price Quote\",\"amount\":1000.50,\"currency\":\"eur\"}"));
        assertThat(d.amount()).isEqualByComparingTo("1080.54");
        assertThat(d.sourceAmount()).isEqualByComparingTo("1000.50");
        assertThat(d.sourceCurrency()).isEqualTo("EUR");
        assertThat(d.stage()).isEqualTo("PROPOSAL");
        Event usd = accepted(deal("{\"eventId\":\"d2\"," + T
                + ",\"dealId\":\"d\",\"accountId\":\"a\",\"type\":\"UPDATED\",\"amount\":7}"));
        assertThat(usd.amount()).isEqualByComparingTo("7");
        assertThat(usd.sourceCurrency()).isEqualTo("USD");
        Event spend = accepted(touchpoint("{\"eventId\":\"s\"," + T
                + ",\"type\":\"spend\",\"channel\":\"cpc\",\"amount\":100,\"currency\":\"GBP\"}"));
        assertThat(spend.amount()).isEqualByComparingTo("127");
        assertThat(spend.accountId()).isNull();
        assertThat(spend.routingKey()).isEqualTo("channel:paid_search");
    }

    @Test
    void usageAndScoresAreNotMoney() {
        Event usage = accepted(touchpoint("{\"eventId\":\"u\"," + T
                + ",\"accountId\":\"a\",\"type\":\"PRODUCT_USAGE\",\"amount\":12,\"currency\":\"XYZ\"}"));
        assertThat(usage.amount()).isEqualByComparingTo("12");
        assertThat(usage.sourceCurrency()).isNull();
    }

    @Test
    void aStageChangeIntoATerminalStageIsTheTerminalEvent() {
        Event d = accepted(deal("{\"eventId\":\"d\"," + SF
                + ",\"dealId\":\"d\",\"accountId\":\"a\",\"type\":\"STAGE_CHANGED\",\"stage\":\"Closed Won\"}"));
        assertThat(d.type()).isEqualTo("CLOSED_WON");
        assertThat(d.sourceType()).isEqualTo("STAGE_CHANGED");
    }

    @Test
    void aHeartbeatNeedsOnlyIdentityAndTime() {
        Ingested in = touchpoint(
                "{\"eventId\":\"hb\",\"occurredAt\":1780000000000,\"source\":\"revstream\",\"type\":\"HEARTBEAT\"}");
        assertThat(accepted(in).isHeartbeat()).isTrue();
        assertThat(in.eventTime()).isEqualTo(1780000000000L);
    }

    @Test
    void aHeartbeatOnTheDealsTopicIsAHeartbeatNotADeal() {
        // a quiet deals partition holds event time back unless heartbeats move it there too
        Ingested in = deal(
                "{\"eventId\":\"hb\",\"occurredAt\":1780000000000,\"source\":\"revstream\",\"type\":\"HEARTBEAT\"}");
        assertThat(accepted(in).isHeartbeat()).isTrue();
        assertThat(in.eventTime()).isEqualTo(1780000000000L);
    }

    @Test
    void keepsDealFields() {
        Event d = accepted(
                deal(
                        "{\"eventId\":\"d\"," + T + ",\"dealId\":\"d-7\",\"accountId\":\"a\",\"type\":\"CLOSED_LOST\","
                                + "\"dealType\":\"Renewal\",\"segment\":\"smb\",\"region\":\"emea\",\"ownerId\":\"rep-1\",\"lostReason\":\"price\",\"expectedCloseDate\":\"2026-07-01\",\"segmentX\":1}"));
        assertThat(d.dealType()).isEqualTo("renewal");
        assertThat(List.of(d.segment(), d.region(), d.ownerId(), d.lostReason(), d.expectedCloseDate(), d.dealId()))
                .containsExactly("smb", "emea", "rep-1", "price", "2026-07-01", "d-7");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            NOT_JSON          | not json
            NOT_JSON          | {"eventId":"e",
            NOT_JSON          | {"a":1} {"b":2}
            NOT_JSON          | ''
            NOT_OBJECT        | [1,2]
            NOT_OBJECT        | "text"
            DUPLICATE_FIELD   | {"eventId":"e","eventId":"f","occurredAt":1,"source":"x","accountId":"a","type":"MQL"}
            DUPLICATE_FIELD   | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"MQL","attributes":{"k":1,"k":2}}
            MISSING_FIELD     | {"occurredAt":1780000000000,"source":"x","accountId":"a","type":"MQL"}
            MISSING_FIELD     | {"eventId":"e","source":"x","accountId":"a","type":"MQL"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"accountId":"a","type":"MQL"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"  ","accountId":"a","type":"MQL"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","type":"MQL"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":null,"type":"MQL"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","type":"SPEND"}
            WRONG_TYPE        | {"eventId":7,"occurredAt":1780000000000,"source":"x","accountId":"a","type":"MQL"}
            WRONG_TYPE        | {"eventId":"e","occurredAt":true,"source":"x","accountId":"a","type":"MQL"}
            WRONG_TYPE        | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":{"id":1},"type":"MQL"}
            WRONG_TYPE        | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"MQL","channel":3}
            WRONG_TYPE        | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"PRODUCT_USAGE","amount":"3"}
            WRONG_TYPE        | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"MQL","attributes":[1]}
            INVALID_VALUE     | {"eventId":"","occurredAt":1780000000000,"source":"x","accountId":"a","type":"MQL"}
            INVALID_VALUE     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"NPS","amount":11}
            INVALID_TIME      | {"eventId":"e","occurredAt":"yesterday","source":"x","accountId":"a","type":"MQL"}
            INVALID_TIME      | {"eventId":"e","occurredAt":"2026-06-01","source":"x","accountId":"a","type":"MQL"}
            INVALID_TIME      | {"eventId":"e","occurredAt":1780000000000.5,"source":"x","accountId":"a","type":"MQL"}
            INVALID_TIME      | {"eventId":"e","occurredAt":99999999999999999999,"source":"x","accountId":"a","type":"MQL"}
            INVALID_TIME      | {"eventId":"e","occurredAt":-99999999999999,"source":"x","accountId":"a","type":"MQL"}
            INVALID_TIME      | {"eventId":"e","occurredAt":NaN,"source":"x","accountId":"a","type":"MQL"}
            FUTURE_TIME       | {"eventId":"e","occurredAt":"2026-06-01T13:00:01Z","source":"x","accountId":"a","type":"MQL"}
            NON_FINITE_NUMBER | {"eventId":"e","occurredAt":1780000000000,"source":"x","type":"SPEND","amount":Infinity}
            NON_FINITE_NUMBER | {"eventId":"e","occurredAt":1780000000000,"source":"x","type":"SPEND","amount":1e999}
            NEGATIVE_AMOUNT   | {"eventId":"e","occurredAt":1780000000000,"source":"x","type":"SPEND","amount":-0.01}
            UNMAPPED_TYPE     | {"eventId":"e","occurredAt":1780000000000,"source":"hubspot","accountId":"a","type":"SOMETHING_NEW"}
            UNKNOWN_CURRENCY  | {"eventId":"e","occurredAt":1780000000000,"source":"x","type":"SPEND","amount":1,"currency":"XYZ"}
            """)
    void rejectsTouchpoint(ErrorCode code, String json) {
        DeadLetter dl = rejected(touchpoint(json), code);
        assertThat(dl.message()).isNotBlank();
        assertThat(dl.topic()).isEqualTo(TestSettings.TOUCHPOINTS);
        assertThat(dl.offset()).isEqualTo(41);
        assertThat(new String(dl.key(), StandardCharsets.UTF_8)).isEqualTo("acct-1");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"CREATED","stage":"DISCOVERY"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"CREATED","amount":1,"dealId":"d"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"STAGE_CHANGED","dealId":"d"}
            WRONG_TYPE        | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":7,"type":"UPDATED","dealId":"d"}
            MISSING_FIELD     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED"}
            UNKNOWN_DEAL_TYPE | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"REOPENED","dealId":"d"}
            UNMAPPED_STAGE    | {"eventId":"e","occurredAt":1780000000000,"source":"salesforce","accountId":"a","type":"STAGE_CHANGED","dealId":"d","stage":"Weird"}
            UNMAPPED_STAGE    | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","stage":"closed"}
            INVALID_VALUE     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","expectedCloseDate":"2026-13-01"}
            INVALID_VALUE     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","expectedCloseDate":"01/02/2026"}
            INVALID_VALUE     | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","dealType":"upsell"}
            NEGATIVE_AMOUNT   | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","amount":-1}
            NON_FINITE_NUMBER | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","amount":NaN}
            UNKNOWN_CURRENCY  | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","amount":1,"currency":"BTC"}
            UNKNOWN_CURRENCY  | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":"d","currency":"BTC"}
            WRONG_TYPE        | {"eventId":"e","occurredAt":1780000000000,"source":"x","accountId":"a","type":"UPDATED","dealId":42}
            """)
    void rejectsDeal(ErrorCode code, String json) {
        rejected(deal(json), code);
    }

    @Test
    void aDealWithoutItsAccountIsAcceptedForTheDealsAccountToBeLookedUp() {
        Ingested in = deal(
                "{\"eventId\":\"e\",\"occurredAt\":1780000000000,\"source\":\"x\",\"type\":\"UPDATED\",\"dealId\":\"d\"}");
        assertThat(in.event()).isNotNull();
        assertThat(in.event().accountId()).isNull();
        assertThat(in.event().dealId()).isEqualTo("d");
    }

    @Test
    void aTouchpointNeedsItsAccountOrAPersonOrAVisitorWhoseAccountCanBeFound() {
        String base = "{\"eventId\":\"e\",\"occurredAt\":1780000000000,\"source\":\"x\",\"type\":\"WEB_VISIT\"";
        rejected(
                parse(TestSettings.TOUCHPOINTS, (base + "}").getBytes(StandardCharsets.UTF_8)),
                ErrorCode.MISSING_FIELD);
        Event visitor = parse(
                        TestSettings.TOUCHPOINTS, (base + ",\"anonymousId\":\"v-1\"}").getBytes(StandardCharsets.UTF_8))
                .event();
        assertThat(visitor.anonymousId()).isEqualTo("v-1");
        assertThat(visitor.accountId()).isNull();
        Event person = parse(
                        TestSettings.TOUCHPOINTS, (base + ",\"contactId\":\"c-1\"}").getBytes(StandardCharsets.UTF_8))
                .event();
        assertThat(person.contactId()).isEqualTo("c-1");
    }

    @Test
    void anIdentifyLinksTwoIdentities() {
        String base = "{\"eventId\":\"e\",\"occurredAt\":1780000000000,\"source\":\"x\",\"type\":\"IDENTIFY\"";
        rejected(
                parse(TestSettings.TOUCHPOINTS, (base + ",\"anonymousId\":\"v\"}").getBytes(StandardCharsets.UTF_8)),
                ErrorCode.MISSING_FIELD);
        rejected(
                parse(TestSettings.TOUCHPOINTS, (base + ",\"accountId\":\"a\"}").getBytes(StandardCharsets.UTF_8)),
                ErrorCode.MISSING_FIELD);
        assertThat(parse(
                                TestSettings.TOUCHPOINTS,
                                (base + ",\"anonymousId\":\"v\",\"contactId\":\"c\"}").getBytes(StandardCharsets.UTF_8))
                        .event()
                        .isIdentify())
                .isTrue();
        assertThat(parse(
                                TestSettings.TOUCHPOINTS,
                                (base + ",\"contactId\":\"c\",\"accountId\":\"a\"}").getBytes(StandardCharsets.UTF_8))
                        .event())
                .isNotNull();
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        rejected(
                parse(TestSettings.TOUCHPOINTS, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}),
                ErrorCode.NOT_UTF8);
        rejected(
                parse(TestSettings.TOUCHPOINTS, "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_16LE)),
                ErrorCode.NOT_UTF8);
        rejected(
                parse(TestSettings.TOUCHPOINTS, "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_16)),
                ErrorCode.NOT_UTF8);
    }

    @Test
    void rejectsAMissingValueAndDeepNesting() {
        rejected(parse(TestSettings.TOUCHPOINTS, null), ErrorCode.NOT_JSON);
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        rejected(touchpoint(deep), ErrorCode.NOT_JSON);
    }

    @Test
    void namesTheSourceAndValueOfAnUnmappedName() {
        DeadLetter dl = rejected(
                touchpoint("{\"eventId\":\"e\"," + T + ",\"accountId\":\"a\",\"type\":\"SOMETHING_NEW\"}"),
                ErrorCode.UNMAPPED_TYPE);
        assertThat(dl.source()).isEqualTo("hubspot");
        assertThat(dl.field()).isEqualTo("type");
        assertThat(dl.value()).isEqualTo("SOMETHING_NEW");
        assertThat(dl.message()).contains("hubspot").contains("SOMETHING_NEW");
    }

    @Test
    void rejectsValuesOverTheSizeLimitAndCapsTheStoredPayload() {
        EventParser small = new EventParser(TestSettings.ingest(3_600_000L, 100));
        byte[] big = ("{\"eventId\":\"e\",\"x\":\"" + "y".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        DeadLetter dl =
                small.parse(TestSettings.TOUCHPOINTS, 0, 0, null, big, 0, NOW).deadLetter();
        assertThat(dl.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(dl.payload()).hasSize(100);
        assertThat(dl.payloadLength()).isEqualTo(big.length);
        assertThat(dl.truncated()).isTrue();
        assertThat(dl.payloadSha256()).isEqualTo(EventParser.sha256(big));
        assertThat(dl.key()).isNull();

        DeadLetter whole = rejected(touchpoint("nope"), ErrorCode.NOT_JSON);
        assertThat(whole.truncated()).isFalse();
        assertThat(new String(whole.payload(), StandardCharsets.UTF_8)).isEqualTo("nope");
    }

    @Test
    void theFutureCheckCanBeTurnedOff() {
        EventParser noCheck = new EventParser(TestSettings.ingest(0, 512));
        Ingested in = noCheck.parse(
                TestSettings.TOUCHPOINTS,
                0,
                0,
                null,
                "{\"eventId\":\"e\",\"occurredAt\":\"2030-01-01T00:00:00Z\",\"source\":\"x\",\"accountId\":\"a\",\"type\":\"MQL\"}"
                        .getBytes(StandardCharsets.UTF_8),
                0,
                NOW);
        assertThat(in.event()).isNotNull();
    }

    @Test
    void mappingsToNonCanonicalNamesFailAtConstruction() {
        assertThatThrownBy(() -> new SourceMappings(
                        Map.of("x", Map.of("a", "NOT_A_TYPE")), Map.of(), Map.of(), TestSettings.STAGES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOT_A_TYPE");
        assertThatThrownBy(() ->
                        new SourceMappings(Map.of(), Map.of("x", Map.of("a", "tv")), Map.of(), TestSettings.STAGES))
                .hasMessageContaining("tv");
        assertThatThrownBy(() ->
                        new SourceMappings(Map.of(), Map.of(), Map.of("x", Map.of("a", "WON")), TestSettings.STAGES))
                .hasMessageContaining("WON");
    }
}
