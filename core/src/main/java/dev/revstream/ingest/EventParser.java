package dev.revstream.ingest;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.model.Channel;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.DealEventType;
import dev.revstream.model.DealType;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.EventKind;
import dev.revstream.model.ForecastCategory;
import dev.revstream.model.Ingested;
import dev.revstream.model.TouchpointType;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The input contract as code: turns one Kafka record into an accepted {@link Event} (validated and
 * normalized) or a {@link DeadLetter} that says exactly what is wrong. Never throws for bad input.
 *
 * <p>Assumes the record's topic decides its kind: the configured touchpoints topic carries
 * touchpoints, any other input topic deals. Stateless and thread-confined (one per subtask).
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int MAX_EVENT_ID_LENGTH = 128;
    /** The longest identifier or name kept (ids, source, owner, campaign, segment, region, reasons, source names). */
    static final int MAX_TEXT_LENGTH = 256;

    /** Text fields where a control character becomes a space instead of a rejection. */
    private static final Set<String> FREE_TEXT = Set.of("lostReason", "campaign");

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** Amounts are kept below this (the warehouse's DECIMAL(38,9) and the attribution's cents in a long hold it). */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1E+15");

    /** Amounts are kept to this many decimals (the warehouse's DECIMAL(38,9)); more are rounded half-even. */
    static final int AMOUNT_SCALE = 9;

    private static final long MIN_TIME = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_TIME =
            Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    private static final BigDecimal NPS_MAX = BigDecimal.TEN;

    private static final ObjectMapper JSON = JsonMapper.builder(new JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxNumberLength(400)
                            .build())
                    .build())
            // NaN and Infinity are read so that they get their own code, not "not JSON"
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private final IngestSettings settings;
    /** The vendors' adapters, made at first use (the parser is shipped serialized). */
    private transient Formats formats;

    public EventParser(IngestSettings settings) {
        this.settings = settings;
    }

    /**
     * Parses, validates and normalizes one record.
     *
     * @param ingestedAt the Kafka record timestamp
     * @param now the wall clock, for the future-time check
     */
    public Ingested parse(
            String topic, int partition, long offset, byte[] key, byte[] value, long ingestedAt, long now) {
        Context ctx = new Context(topic, partition, offset, key, value, ingestedAt);
        try {
            return read(ctx, now);
        } catch (Rejection r) {
            return Ingested.rejected(deadLetter(ctx, r.code, r.field, r.value, r.getMessage(), now));
        } catch (RuntimeException | StackOverflowError e) {
            return Ingested.rejected(failed(ctx, e, now));
        }
    }

    /** A record no rule rejects must still not stop the job: a dead letter that says what failed. */
    private DeadLetter failed(Context ctx, Throwable e, long now) {
        return deadLetter(
                ctx,
                ErrorCode.RECORD_FAILED,
                null,
                null,
                "parsing this record failed: " + e.getClass().getName() + ": "
                        + abbreviate(String.valueOf(e.getMessage())),
                now);
    }

    /**
     * Parses one record of any configured format into what it yields, in order: for revstream's own
     * format exactly one {@link Ingested}; for a vendor's, one per canonical event it translates to
     * (each checked by the contract, a rejected one a dead letter with the whole record) and one per
     * part that yields nothing (a tombstone, an event revstream does not read). Never throws.
     */
    public void parse(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            long ingestedAt,
            long now,
            Consumer<Ingested> out) {
        SourceFormat format = settings.format(topic);
        if (format == SourceFormat.CANONICAL) {
            out.accept(parse(topic, partition, offset, key, value, ingestedAt, now));
            return;
        }
        Context ctx = new Context(topic, partition, offset, key, value, ingestedAt);
        try {
            if (value == null) {
                // a tombstone: Kafka Connect writes one after each delete, for compaction
                String source = format == SourceFormat.SALESFORCE_CDC ? "salesforce" : format.wireName();
                out.accept(Ingested.skipped(source, ingestedAt, "a tombstone (a null value)"));
                return;
            }
            checkSize(value);
            JsonNode root = readJson(value);
            if (Formats.isHeartbeat(root)) {
                // revstream's own heartbeat moves event time on any input topic, whatever its format
                out.accept(validated(ctx, EventKind.TOUCHPOINT, object(root), now));
                return;
            }
            SourceFormat f = format == SourceFormat.AUTO ? Formats.detect(root) : format;
            if (f == SourceFormat.CANONICAL) {
                out.accept(validated(ctx, kindOf(topic), object(root), now));
                return;
            }
            Translation t = formats().adapter(f).translate(root);
            ctx.source = t.source();
            for (String reason : t.skipped()) {
                out.accept(Ingested.skipped(t.source(), ingestedAt, reason));
            }
            int n = t.events().size();
            for (int i = 0; i < n; i++) {
                Translation.Canonical c = t.events().get(i);
                try {
                    out.accept(validated(ctx, c.kind(), c.fields(), now));
                } catch (Rejection r) {
                    String which = n == 1 ? "" : "event " + (i + 1) + " of " + n + " in the record: ";
                    out.accept(
                            Ingested.rejected(deadLetter(ctx, r.code, r.field, r.value, which + r.getMessage(), now)));
                }
            }
        } catch (Rejection r) {
            out.accept(Ingested.rejected(deadLetter(ctx, r.code, r.field, r.value, r.getMessage(), now)));
        } catch (RuntimeException | StackOverflowError e) {
            out.accept(Ingested.rejected(failed(ctx, e, now)));
        }
    }

    private Formats formats() {
        if (formats == null) {
            formats = new Formats(settings.mappings());
        }
        return formats;
    }

    private EventKind kindOf(String topic) {
        return settings.touchpointsTopic().equals(topic) ? EventKind.TOUCHPOINT : EventKind.DEAL;
    }

    private void checkSize(byte[] value) throws Rejection {
        if (value.length > settings.maxValueBytes()) {
            throw new Rejection(
                    ErrorCode.TOO_LARGE,
                    null,
                    "the value is " + value.length + " bytes, more than the limit of " + settings.maxValueBytes());
        }
    }

    private Ingested read(Context ctx, long now) throws Rejection {
        byte[] value = ctx.value;
        if (value == null) {
            throw new Rejection(ErrorCode.NOT_JSON, null, "the record has no value (a tombstone)");
        }
        checkSize(value);
        JsonNode root = readJson(value);
        // revstream's own heartbeat moves event time on any input topic, the deals topic too
        EventKind kind = Formats.isHeartbeat(root) ? EventKind.TOUCHPOINT : kindOf(ctx.topic);
        return validated(ctx, kind, object(root), now);
    }

    /** One event in revstream's own fields, checked and normalized. */
    private Ingested validated(Context ctx, EventKind kind, ObjectNode root, long now) throws Rejection {
        ctx.source = optionalString(root, "source");
        String eventId = requiredString(root, "eventId");
        if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH) {
            throw new Rejection(
                    ErrorCode.INVALID_VALUE,
                    "eventId",
                    "eventId must have 1 to " + MAX_EVENT_ID_LENGTH + " characters, it has " + eventId.length());
        }
        long occurredAt = time(root, now);
        String rawSource = requiredString(root, "source");
        if (rawSource.isBlank()) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "source", "source is empty");
        }
        String source = rawSource.trim().toLowerCase(Locale.ROOT);
        ctx.source = source;
        Fields f = new Fields(ctx, eventId, source, occurredAt);
        return kind == EventKind.TOUCHPOINT ? touchpoint(root, f) : deal(root, f);
    }

    private Ingested touchpoint(ObjectNode root, Fields f) throws Rejection {
        String rawType = requiredString(root, "type");
        TouchpointType type = settings.mappings().type(f.source, rawType);
        if (type == null) {
            throw new Rejection(
                    ErrorCode.UNMAPPED_TYPE,
                    "type",
                    rawType,
                    "source '" + f.source + "' has no mapping for touchpoint type '" + rawType + "'");
        }
        if (type == TouchpointType.HEARTBEAT) {
            // a heartbeat only moves event time: everything but its identity and time is ignored
            return Ingested.accepted(
                    f.event(
                            EventKind.TOUCHPOINT,
                            null,
                            null,
                            null,
                            null,
                            type.name(),
                            rawType,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null),
                    false);
        }
        String accountId = optionalString(root, "accountId");
        String contactId = optionalString(root, "contactId");
        String anonymousId = optionalString(root, "anonymousId");
        if (type == TouchpointType.FORGET && anonymousId == null && contactId == null) {
            throw new Rejection(
                    ErrorCode.MISSING_FIELD,
                    "contactId",
                    "a FORGET names the visitor (anonymousId) or the person (contactId) to forget");
        }
        if (type == TouchpointType.IDENTIFY) {
            int named = (accountId != null ? 1 : 0) + (contactId != null ? 1 : 0) + (anonymousId != null ? 1 : 0);
            if (anonymousId == null && contactId == null || named < 2) {
                throw new Rejection(
                        ErrorCode.MISSING_FIELD,
                        anonymousId == null && contactId == null ? "contactId" : "accountId",
                        "an IDENTIFY links a visitor (anonymousId) or a person (contactId) to a person or an account:"
                                + " it needs two of anonymousId, contactId, accountId");
            }
        } else if (accountId == null
                && contactId == null
                && anonymousId == null
                && type != TouchpointType.SPEND
                && type != TouchpointType.FORGET) {
            throw new Rejection(
                    ErrorCode.MISSING_FIELD,
                    "accountId",
                    "accountId is required for a " + type
                            + " touchpoint (or a contactId or anonymousId whose account identity resolution finds)");
        }
        String rawChannel = optionalString(root, "channel");
        Channel channel = null;
        boolean channelUnmapped = false;
        if (rawChannel != null) {
            channel = settings.mappings().channel(f.source, rawChannel);
            if (channel == null) {
                channel = Channel.OTHER;
                channelUnmapped = true;
            }
        }
        BigDecimal rawAmount = amount(root);
        if (type == TouchpointType.SPEND && rawAmount == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "amount", "a SPEND touchpoint needs an amount");
        }
        if (type == TouchpointType.NPS && rawAmount != null && rawAmount.compareTo(NPS_MAX) > 0) {
            throw new Rejection(
                    ErrorCode.INVALID_VALUE, "amount", "an NPS score is 0 to 10, not " + rawAmount.toPlainString());
        }
        String currency = optionalString(root, "currency");
        BigDecimal amount = rawAmount;
        String sourceCurrency = null;
        if (type == TouchpointType.SPEND) {
            // only spend is money among touchpoints; usage quantities and scores are not converted
            sourceCurrency = currency(currency);
            amount = convert(rawAmount, sourceCurrency);
        }
        Event e = f.event(
                EventKind.TOUCHPOINT,
                accountId,
                contactId,
                optionalString(root, "dealId"),
                optionalString(root, "ownerId"),
                type.name(),
                rawType,
                channel == null ? null : channel.wireName(),
                rawChannel,
                optionalString(root, "campaign"),
                amount,
                rawAmount,
                sourceCurrency,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                attributes(root),
                anonymousId,
                null);
        return Ingested.accepted(e, channelUnmapped);
    }

    private Ingested deal(ObjectNode root, Fields f) throws Rejection {
        String dealId = requiredString(root, "dealId");
        // without an account, the deal's account is looked up from its earlier events (docs/sources.md)
        String accountId = optionalString(root, "accountId");
        if (dealId.isBlank()) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "dealId", "dealId is empty");
        }
        String rawType = requiredString(root, "type");
        DealEventType type = DealEventType.parse(rawType);
        if (type == null) {
            throw new Rejection(
                    ErrorCode.UNKNOWN_DEAL_TYPE,
                    "type",
                    rawType,
                    "deal event type '" + rawType
                            + "' is not one of CREATED, STAGE_CHANGED, UPDATED, CLOSED_WON, CLOSED_LOST");
        }
        String rawStage = optionalString(root, "stage");
        String stage = null;
        if (rawStage != null) {
            stage = settings.mappings().stage(f.source, rawStage);
            if (stage == null) {
                throw new Rejection(
                        ErrorCode.UNMAPPED_STAGE,
                        "stage",
                        rawStage,
                        "source '" + f.source + "' has no mapping for deal stage '" + rawStage + "'");
            }
        } else if (type == DealEventType.CREATED || type == DealEventType.STAGE_CHANGED) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "stage", "a " + type + " deal event needs a stage");
        }
        if (type == DealEventType.STAGE_CHANGED && ("CLOSED_WON".equals(stage) || "CLOSED_LOST".equals(stage))) {
            // a move into a terminal stage means the same as the terminal event
            type = DealEventType.valueOf(stage);
        }
        BigDecimal rawAmount = amount(root);
        if (type == DealEventType.CREATED && rawAmount == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "amount", "a CREATED deal event needs an amount");
        }
        String currency = optionalString(root, "currency");
        String sourceCurrency = rawAmount == null ? null : currency(currency);
        if (rawAmount == null && currency != null) {
            currency(currency); // a currency without a rate is bad input even without an amount
        }
        String expectedCloseDate = optionalString(root, "expectedCloseDate");
        if (expectedCloseDate != null) {
            try {
                int year = LocalDate.parse(expectedCloseDate, DateTimeFormatter.ISO_LOCAL_DATE)
                        .getYear();
                if (year < 1900 || year > 9999) {
                    throw new Rejection(
                            ErrorCode.OUT_OF_RANGE,
                            "expectedCloseDate",
                            expectedCloseDate,
                            "expectedCloseDate " + expectedCloseDate + " is outside the years 1900 to 9999");
                }
            } catch (DateTimeParseException e) {
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        "expectedCloseDate",
                        expectedCloseDate,
                        "expectedCloseDate must be a date YYYY-MM-DD, not '" + expectedCloseDate + "'");
            }
        }
        String rawDealType = optionalString(root, "dealType");
        String dealType = null;
        if (rawDealType != null) {
            DealType dt = DealType.parse(rawDealType);
            if (dt == null) {
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        "dealType",
                        rawDealType,
                        "dealType '" + rawDealType + "' is not one of new_business, expansion, renewal, contraction");
            }
            dealType = dt.wireName();
        }
        String rawCategory = optionalString(root, "forecastCategory");
        String category = null;
        if (rawCategory != null) {
            ForecastCategory c = ForecastCategory.parse(rawCategory);
            if (c == null) {
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        "forecastCategory",
                        rawCategory,
                        "forecastCategory '" + rawCategory
                                + "' is not one of pipeline, best_case, commit, omitted, closed");
            }
            category = c.wireName();
        }
        Event e = f.event(
                EventKind.DEAL,
                accountId,
                null,
                dealId,
                optionalString(root, "ownerId"),
                type.name(),
                rawType,
                null,
                null,
                null,
                convert(rawAmount, sourceCurrency),
                rawAmount,
                sourceCurrency,
                stage,
                rawStage,
                expectedCloseDate,
                dealType,
                optionalString(root, "segment"),
                optionalString(root, "region"),
                optionalString(root, "lostReason"),
                attributes(root),
                null,
                category);
        return Ingested.accepted(e, false);
    }

    // ---- field readers -------------------------------------------------------------------------

    private static JsonNode readJson(byte[] value) throws Rejection {
        if (!looksLikeUtf8(value)) {
            throw new Rejection(ErrorCode.NOT_UTF8, null, "the value is not UTF-8 (it looks like UTF-16 or UTF-32)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (MismatchedInputException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                throw new Rejection(
                        ErrorCode.DUPLICATE_FIELD,
                        fieldOf(e.getOriginalMessage()),
                        "a field is given twice: " + firstLine(e.getOriginalMessage()));
            }
            throw notJson(value, e);
        } catch (JsonProcessingException e) {
            throw notJson(value, e);
        } catch (IOException e) {
            throw notJson(value, e);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Rejection(
                    ErrorCode.OUT_OF_RANGE,
                    null,
                    "a number is out of range: " + abbreviate(String.valueOf(e.getMessage())));
        }
        if (node == null || node.isMissingNode()) {
            throw new Rejection(ErrorCode.NOT_JSON, null, "the value is empty");
        }
        return node;
    }

    private static ObjectNode object(JsonNode node) throws Rejection {
        if (!node.isObject()) {
            throw new Rejection(
                    ErrorCode.NOT_OBJECT,
                    null,
                    "the value is JSON but not an object: it is "
                            + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) node;
    }

    private static Rejection notJson(byte[] value, Exception e) {
        if (!validUtf8(value)) {
            return new Rejection(ErrorCode.NOT_UTF8, null, "the value is not valid UTF-8");
        }
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new Rejection(ErrorCode.NOT_JSON, null, "the value is not valid JSON: " + firstLine(detail));
    }

    private static String requiredString(ObjectNode root, String field) throws Rejection {
        String s = optionalStringKeepEmpty(root, field);
        if (s == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, field, field + " is required");
        }
        return s;
    }

    /** An optional string; empty or blank counts as absent. */
    private static String optionalString(ObjectNode root, String field) throws Rejection {
        String s = optionalStringKeepEmpty(root, field);
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String optionalStringKeepEmpty(ObjectNode root, String field) throws Rejection {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new Rejection(ErrorCode.WRONG_TYPE, field, field + " must be a string, not " + describe(n));
        }
        String text = n.textValue();
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new Rejection(
                    ErrorCode.INVALID_TEXT,
                    field,
                    abbreviate(text),
                    field + " has " + text.length() + " characters, more than the limit of " + MAX_TEXT_LENGTH);
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            if (FREE_TEXT.contains(field)) {
                return CONTROL.matcher(text).replaceAll(" "); // a CRM's multi-line text: kept, on one line
            }
            throw new Rejection(
                    ErrorCode.INVALID_TEXT,
                    field,
                    CONTROL.matcher(text).replaceAll("?"),
                    field + " has control characters (line breaks, tabs, escapes), which an identifier cannot have");
        }
        return text;
    }

    private long time(ObjectNode root, long now) throws Rejection {
        JsonNode n = root.get("occurredAt");
        if (n == null || n.isNull()) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "occurredAt", "occurredAt is required");
        }
        long millis;
        if (n.isTextual()) {
            String text = n.textValue().trim();
            try {
                millis = DateTimeFormatter.ISO_OFFSET_DATE_TIME
                        .parse(text, Instant::from)
                        .toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new Rejection(
                        ErrorCode.INVALID_TIME,
                        "occurredAt",
                        text,
                        "occurredAt '" + abbreviate(text)
                                + "' is not an ISO-8601 instant such as 2026-03-01T10:15:00Z");
            }
        } else if (n.isNumber()) {
            if (!isFinite(n)) {
                throw new Rejection(
                        ErrorCode.INVALID_TIME,
                        "occurredAt",
                        "occurredAt must be a finite number of epoch milliseconds");
            }
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            // the digits before the point and the scale bound the work before any conversion: 1e-999999999
            // written out would be a billion characters
            if (d.scale() > 0 || (long) d.precision() - d.scale() > 19) {
                throw new Rejection(
                        ErrorCode.INVALID_TIME,
                        "occurredAt",
                        abbreviate(d.toString()),
                        "occurredAt as a number must be whole epoch milliseconds between the years 1900 and 9999, not "
                                + abbreviate(d.toString()));
            }
            try {
                millis = d.longValueExact();
            } catch (ArithmeticException e) {
                throw new Rejection(
                        ErrorCode.INVALID_TIME,
                        "occurredAt",
                        abbreviate(d.toString()),
                        "occurredAt " + abbreviate(d.toString()) + " is outside the years 1900 to 9999");
            }
        } else {
            throw new Rejection(
                    ErrorCode.WRONG_TYPE,
                    "occurredAt",
                    "occurredAt must be an ISO-8601 string or epoch milliseconds, not " + describe(n));
        }
        if (millis < MIN_TIME || millis > MAX_TIME) {
            throw new Rejection(
                    ErrorCode.INVALID_TIME,
                    "occurredAt",
                    Long.toString(millis),
                    "occurredAt " + millis + " is outside the years 1900 to 9999");
        }
        if (settings.maxFutureMillis() > 0 && millis > now + settings.maxFutureMillis()) {
            throw new Rejection(
                    ErrorCode.FUTURE_TIME,
                    "occurredAt",
                    Instant.ofEpochMilli(millis).toString(),
                    "occurredAt " + Instant.ofEpochMilli(millis) + " is more than "
                            + (settings.maxFutureMillis() / 1000) + " s ahead of the wall clock ("
                            + Instant.ofEpochMilli(now) + ")");
        }
        return millis;
    }

    private static BigDecimal amount(ObjectNode root) throws Rejection {
        JsonNode n = root.get("amount");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new Rejection(ErrorCode.WRONG_TYPE, "amount", "amount must be a number, not " + describe(n));
        }
        if (!isFinite(n)) {
            throw new Rejection(ErrorCode.NON_FINITE_NUMBER, "amount", "amount must be a finite number");
        }
        BigDecimal d = n.decimalValue();
        if (d.signum() < 0) {
            throw new Rejection(
                    ErrorCode.NEGATIVE_AMOUNT,
                    "amount",
                    abbreviate(d.toString()),
                    "amount must not be negative, it is " + abbreviate(d.toString()));
        }
        return bounded(d, "amount");
    }

    /**
     * An amount within what the outputs keep exactly, to {@link #AMOUNT_SCALE} decimals, checked from
     * its digits and scale before any arithmetic (which on {@code 1e999999999} or {@code 1e-999999999}
     * would take minutes or all memory).
     */
    private static BigDecimal bounded(BigDecimal d, String what) throws Rejection {
        if (d.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long integerDigits = (long) d.precision() - d.scale(); // d < 10^integerDigits
        if (integerDigits > 15) {
            throw new Rejection(
                    ErrorCode.OUT_OF_RANGE,
                    "amount",
                    abbreviate(d.toString()),
                    what + " " + abbreviate(d.toString()) + " is not below 10^15, the largest amount revstream keeps");
        }
        if (d.scale() <= AMOUNT_SCALE) {
            return d;
        }
        if (integerDigits < -AMOUNT_SCALE) {
            return BigDecimal.ZERO.setScale(AMOUNT_SCALE); // below 10^-10: rounds to nothing
        }
        BigDecimal rounded = d.setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
        if (rounded.compareTo(MAX_AMOUNT) >= 0) {
            throw new Rejection(
                    ErrorCode.OUT_OF_RANGE,
                    "amount",
                    abbreviate(d.toString()),
                    what + " " + abbreviate(d.toString()) + " is not below 10^15, the largest amount revstream keeps");
        }
        return rounded;
    }

    /** Finite as a double: NaN, infinities and numbers beyond a double's range are not amounts. */
    private static boolean isFinite(JsonNode n) {
        if (n.isDouble() || n.isFloat()) {
            return Double.isFinite(n.doubleValue());
        }
        if (n.isBigDecimal()) {
            return Double.isFinite(n.decimalValue().doubleValue());
        }
        if (n.isBigInteger()) {
            BigInteger i = n.bigIntegerValue();
            return Double.isFinite(i.doubleValue());
        }
        return true;
    }

    /** The ISO-4217 code to convert from; the reporting currency when none is given. */
    private String currency(String given) throws Rejection {
        if (given == null) {
            return settings.reportingCurrency();
        }
        String code = given.toUpperCase(Locale.ROOT);
        if (!code.equals(settings.reportingCurrency())
                && !settings.currencyRates().containsKey(code)) {
            throw new Rejection(
                    ErrorCode.UNKNOWN_CURRENCY,
                    "currency",
                    given,
                    "currency '" + given + "' has no configured rate to " + settings.reportingCurrency());
        }
        return code;
    }

    private BigDecimal convert(BigDecimal amount, String currency) throws Rejection {
        if (amount == null || currency == null || currency.equals(settings.reportingCurrency())) {
            return amount;
        }
        return bounded(
                amount.multiply(settings.currencyRates().get(currency), MathContext.DECIMAL64),
                "amount converted to " + settings.reportingCurrency());
    }

    private static String attributes(ObjectNode root) throws Rejection {
        JsonNode n = root.get("attributes");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new Rejection(ErrorCode.WRONG_TYPE, "attributes", "attributes must be an object, not " + describe(n));
        }
        return n.toString();
    }

    // ---- dead letters --------------------------------------------------------------------------

    private DeadLetter deadLetter(Context ctx, ErrorCode code, String field, String value, String message, long now) {
        byte[] payload = ctx.value == null ? new byte[0] : ctx.value;
        int keep = Math.min(payload.length, settings.deadLetterMaxPayloadBytes());
        byte[] kept = keep == payload.length ? payload : Arrays.copyOf(payload, keep);
        return new DeadLetter(
                code,
                field,
                value == null ? null : abbreviate(value),
                message,
                ctx.source,
                now,
                ctx.topic,
                ctx.partition,
                ctx.offset,
                ctx.key,
                ctx.ingestedAt,
                kept,
                payload.length,
                sha256(payload),
                keep < payload.length);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    // ---- small helpers -------------------------------------------------------------------------

    /** JSON text starts with an ASCII character: zero bytes among the first four mean UTF-16 or UTF-32. */
    private static boolean looksLikeUtf8(byte[] value) {
        if (value.length >= 2
                && ((value[0] == (byte) 0xFE && value[1] == (byte) 0xFF)
                        || (value[0] == (byte) 0xFF && value[1] == (byte) 0xFE))) {
            return false;
        }
        for (int i = 0; i < Math.min(4, value.length); i++) {
            if (value[i] == 0) {
                return false;
            }
        }
        return true;
    }

    static boolean validUtf8(byte[] value) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String fieldOf(String message) {
        // Jackson: "Duplicate field 'x' for `ObjectNode`: ..."
        if (message == null) {
            return null;
        }
        int a = message.indexOf('\'');
        int b = a < 0 ? -1 : message.indexOf('\'', a + 1);
        return b > a ? message.substring(a + 1, b) : null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Where a record came from, and the source once it is known. */
    private static final class Context {
        final String topic;
        final int partition;
        final long offset;
        final byte[] key;
        final byte[] value;
        final long ingestedAt;
        String source;

        Context(String topic, int partition, long offset, byte[] key, byte[] value, long ingestedAt) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.key = key;
            this.value = value;
            this.ingestedAt = ingestedAt;
        }
    }

    /** The fields every event has, to build the record in one place. */
    private record Fields(Context ctx, String eventId, String source, long occurredAt) {
        Event event(
                EventKind kind,
                String accountId,
                String contactId,
                String dealId,
                String ownerId,
                String type,
                String sourceType,
                String channel,
                String sourceChannel,
                String campaign,
                BigDecimal amount,
                BigDecimal sourceAmount,
                String sourceCurrency,
                String stage,
                String sourceStage,
                String expectedCloseDate,
                String dealType,
                String segment,
                String region,
                String lostReason,
                String attributes,
                String anonymousId,
                String forecastCategory) {
            return new Event(
                    kind,
                    eventId,
                    source,
                    occurredAt,
                    accountId,
                    contactId,
                    dealId,
                    ownerId,
                    type,
                    sourceType,
                    channel,
                    sourceChannel,
                    campaign,
                    amount,
                    sourceAmount,
                    sourceCurrency,
                    stage,
                    sourceStage,
                    expectedCloseDate,
                    dealType,
                    segment,
                    region,
                    lostReason,
                    attributes,
                    ctx.topic,
                    ctx.partition,
                    ctx.offset,
                    ctx.ingestedAt,
                    anonymousId,
                    forecastCategory,
                    false);
        }
    }
}
