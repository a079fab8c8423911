package dev.revstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser over the whole input space: JSON objects whose fields (the contract's and others) hold
 * values of every JSON type, numbers across the range JSON allows (huge and tiny exponents, long
 * digit strings), strings with control characters and of any length. Every record becomes exactly one
 * event or one dead letter, quickly, and an accepted event is within what the outputs can represent.
 *
 * <p>{@code -Djqwik.tries.default=100000} (with {@code -Dtest=EventParserPropertiesTest}) runs a long sample.
 */
class EventParserPropertiesTest {
    static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
    private static final EventParser PARSER = new EventParser(TestSettings.ingest());
    /** The largest amount the outputs keep exactly (DECIMAL(38,9) in the warehouse, cents in a long). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");

    static final List<String> FIELDS = List.of(
            "eventId",
            "occurredAt",
            "source",
            "accountId",
            "type",
            "contactId",
            "dealId",
            "ownerId",
            "channel",
            "campaign",
            "amount",
            "currency",
            "attributes",
            "stage",
            "expectedCloseDate",
            "dealType",
            "segment",
            "region",
            "lostReason",
            "forecastCategory");

    @Property
    void everyRecordIsOneEventOrOneDeadLetter(@ForAll("records") String json, @ForAll boolean deals) {
        Ingested in = parse(deals ? TestSettings.DEALS : TestSettings.TOUCHPOINTS, json);
        assertThat(in).isNotNull();
        assertThat(in.event() == null)
                .as("one of event and dead letter: %s", in)
                .isNotEqualTo(in.deadLetter() == null);
        if (in.event() != null) {
            assertRepresentable(in.event());
        } else {
            assertExplained(in.deadLetter());
        }
    }

    /** Parses in bounded time: a number written to make arithmetic slow must not hold the job up. */
    static Ingested parse(String topic, String json) {
        long start = System.nanoTime();
        Ingested in = PARSER.parse(
                topic,
                0,
                7,
                "acct-1".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8),
                NOW,
                NOW);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("parse time of %.200s", json)
                .isLessThan(Duration.ofSeconds(2));
        return in;
    }

    static void assertRepresentable(Event e) {
        assertThat(e.occurredAt())
                .isBetween(Instant.parse("1900-01-01T00:00:00Z").toEpochMilli(), NOW + 1);
        for (BigDecimal a : new BigDecimal[] {e.amount(), e.sourceAmount()}) {
            if (a != null) {
                assertThat(a.signum()).as("amount %s", a).isGreaterThanOrEqualTo(0);
                assertThat(a).as("amount").isLessThan(MAX_AMOUNT);
                assertThat(a.scale()).as("amount %s: at most 9 decimals", a).isLessThanOrEqualTo(9);
                assertThat(a.toPlainString().length()).isLessThan(40);
            }
        }
        if (e.expectedCloseDate() != null) {
            assertThat(e.expectedCloseDate()).matches("(19|[2-9][0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}");
        }
        if (e.forecastCategory() != null) {
            assertThat(e.forecastCategory()).isIn("pipeline", "best_case", "commit", "omitted", "closed");
        }
        for (String s : new String[] {
            e.eventId(),
            e.source(),
            e.accountId(),
            e.contactId(),
            e.dealId(),
            e.ownerId(),
            e.campaign(),
            e.segment(),
            e.region(),
            e.lostReason(),
            e.sourceType(),
            e.sourceStage(),
            e.sourceChannel()
        }) {
            if (s != null) {
                assertThat(s.length()).as("length of %.100s", s).isLessThanOrEqualTo(EventParser.MAX_TEXT_LENGTH);
                assertThat(s.chars().noneMatch(Character::isISOControl))
                        .as("no control characters in %s", s.replaceAll("\\p{Cntrl}", "?"))
                        .isTrue();
            }
        }
    }

    static void assertExplained(DeadLetter d) {
        // every rejection is the contract's: RECORD_FAILED is the fence for bugs, and a bug is what it would mean
        assertThat(d.errorCode()).as(d.message()).isNotNull().isNotEqualTo(ErrorCode.RECORD_FAILED);
        assertThat(d.message()).isNotBlank();
        assertThat(d.message().length()).as("message %.300s", d.message()).isLessThan(2000);
    }

    // ---- the input space -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> records() {
        Arbitrary<Map<String, String>> fields = Arbitraries.maps(
                        Arbitraries.oneOf(
                                Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(8)),
                        values())
                .ofMaxSize(FIELDS.size() + 2);
        // half the records start from a valid one, so that checks behind the first rejection are reached too
        return Combinators.combine(Arbitraries.of(true, false), fields, Arbitraries.of(true, false))
                .as((fromValid, overrides, deal) -> {
                    Map<String, String> record = new java.util.LinkedHashMap<>();
                    if (fromValid) {
                        record.putAll(valid(deal));
                    }
                    record.putAll(overrides);
                    List<String> parts = new ArrayList<>();
                    record.forEach((k, v) -> parts.add(quote(k) + ":" + v));
                    return "{" + String.join(",", parts) + "}";
                });
    }

    private static Map<String, String> valid(boolean deal) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("eventId", "\"e-1\"");
        m.put("occurredAt", "\"2026-05-01T10:00:00Z\"");
        m.put("source", "\"salesforce\"");
        m.put("accountId", "\"acct-1\"");
        if (deal) {
            m.put("dealId", "\"d-1\"");
            m.put("type", "\"CREATED\"");
            m.put("stage", "\"Prospecting\"");
            m.put("amount", "1000");
        } else {
            m.put("type", "\"Call\"");
        }
        return m;
    }

    /** A JSON value of any type, as text. */
    static Arbitrary<String> values() {
        return Arbitraries.oneOf(
                numbers(),
                strings().map(EventParserPropertiesTest::quote),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"a\"]", "{\"a\":{\"b\":[null]}}"),
                Arbitraries.of(
                        "\"2026-05-01T10:00:00Z\"",
                        "\"+999999999-12-31T23:59:59Z\"",
                        "\"-999999999-01-01T00:00:00Z\"",
                        "\"1899-12-31T23:59:59Z\"",
                        "\"2026-05-01T10:00:00+18:00\"",
                        "\"2026-05-01\"",
                        "\"+999999999-12-31\"",
                        "\"0000-01-01\"",
                        "\"CREATED\"",
                        "\"closed_won\"",
                        "\"Closed Won\"",
                        "\"EUR\"",
                        "\"usd\"",
                        "\"Prospecting\"",
                        "\"renewal\"",
                        "\"Best Case\"",
                        "\"OMIT\"",
                        "\"SPEND\"",
                        "\"HEARTBEAT\""));
    }

    static Arbitrary<String> numbers() {
        Arbitrary<String> digits =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(60);
        Arbitrary<String> exponent = Arbitraries.oneOf(
                        Arbitraries.integers().between(-400, 400),
                        Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 999_999_999, -999_999_999))
                .map(String::valueOf);
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.bigIntegers()
                        .between(
                                new java.math.BigInteger("-1" + "0".repeat(40)),
                                new java.math.BigInteger("1" + "0".repeat(40)))
                        .map(String::valueOf),
                Combinators.combine(Arbitraries.of("", "-"), digits, digits, exponent)
                        .as((sign, i, f, e) -> sign + i.replaceFirst("^0+(?=.)", "") + "." + f + "e" + e),
                Combinators.combine(Arbitraries.of("", "-"), digits, exponent)
                        .as((sign, i, e) -> sign + i.replaceFirst("^0+(?=.)", "") + "E" + e),
                Arbitraries.of(
                        "1e999999999",
                        "1e-999999999",
                        "-1e-999999999",
                        "0.1e-2147483647",
                        "1e2147483647",
                        "9223372036854775807",
                        "9223372036854775808",
                        "-9223372036854775809",
                        "1.5",
                        "0",
                        "-0",
                        "1e15",
                        "999999999999999.9999999999",
                        "0.0000000001"));
    }

    static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings()
                        .withChars('a', '\n', '\r', '\t', '\u0000', '\u001b', '\u2028', ' ')
                        .ofMaxLength(12),
                Arbitraries.strings().withChars('x').ofMinLength(200).ofMaxLength(5000));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
