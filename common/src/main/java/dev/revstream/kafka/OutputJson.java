package dev.revstream.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.revstream.actions.Recommendation;
import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.config.Units;
import dev.revstream.forecast.Forecast;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.kpi.ForecastRecord;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiValues;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.LateEvent;
import dev.revstream.quality.QualityReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * The JSON wire formats of revstream's output topics (documented in docs/outputs.md). Written with a
 * streaming generator: no reflection, no intermediate tree, absent fields left out.
 */
public final class OutputJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private OutputJson() {}

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] object(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A normalized event on {@code revops.events}. */
    public static byte[] event(Event e) {
        return object(g -> eventFields(g, e));
    }

    /**
     * An event on {@code revops.late}: the event as on {@code revops.events}, then {@code late}: how far
     * behind event time it arrived, the horizon it missed, and why it was not applied.
     */
    public static byte[] late(LateEvent l) {
        return object(g -> {
            eventFields(g, l.event());
            g.writeObjectFieldStart("late");
            g.writeStringField("eventTime", Instant.ofEpochMilli(l.eventTime()).toString());
            g.writeNumberField("behindMillis", l.eventTime() - l.event().occurredAt());
            g.writeStringField("correctionHorizon", Units.format(java.time.Duration.ofMillis(l.horizonMillis())));
            g.writeStringField("reason", l.reason());
            g.writeEndObject();
        });
    }

    private static void eventFields(JsonGenerator g, Event e) throws IOException {
        {
            g.writeStringField("kind", e.kind().name().toLowerCase(Locale.ROOT));
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("source", e.source());
            g.writeStringField(
                    "occurredAt", Instant.ofEpochMilli(e.occurredAt()).toString());
            str(g, "accountId", e.accountId());
            str(g, "contactId", e.contactId());
            str(g, "anonymousId", e.anonymousId());
            str(g, "dealId", e.dealId());
            str(g, "ownerId", e.ownerId());
            g.writeStringField("type", e.type());
            str(g, "sourceType", e.sourceType());
            str(g, "channel", e.channel());
            str(g, "sourceChannel", e.sourceChannel());
            str(g, "campaign", e.campaign());
            num(g, "amount", e.amount());
            num(g, "sourceAmount", e.sourceAmount());
            str(g, "sourceCurrency", e.sourceCurrency());
            str(g, "stage", e.stage());
            str(g, "sourceStage", e.sourceStage());
            str(g, "expectedCloseDate", e.expectedCloseDate());
            str(g, "dealType", e.dealType());
            str(g, "segment", e.segment());
            str(g, "region", e.region());
            str(g, "lostReason", e.lostReason());
            if (e.attributes() != null) {
                g.writeFieldName("attributes");
                g.writeRawValue(e.attributes());
            }
            g.writeObjectFieldStart("ingestion");
            g.writeStringField("topic", e.topic());
            g.writeNumberField("partition", e.partition());
            g.writeNumberField("offset", e.offset());
            g.writeStringField("timestamp", Instant.ofEpochMilli(e.ingestedAt()).toString());
            g.writeEndObject();
        }
    }

    /** A rejected input record on {@code revops.deadletter}. */
    public static byte[] deadLetter(DeadLetter d) {
        return object(g -> {
            g.writeStringField("errorCode", d.errorCode().name());
            str(g, "field", d.field());
            str(g, "value", d.value());
            g.writeStringField("message", d.message());
            str(g, "source", d.source());
            g.writeStringField(
                    "rejectedAt", Instant.ofEpochMilli(d.rejectedAt()).toString());
            if (d.topic() != null) {
                g.writeStringField("topic", d.topic());
                g.writeNumberField("partition", d.partition());
                g.writeNumberField("offset", d.offset());
            }
            if (d.key() != null) {
                String key = utf8(d.key());
                if (key != null) {
                    g.writeStringField("key", key);
                } else {
                    g.writeStringField("keyBase64", Base64.getEncoder().encodeToString(d.key()));
                }
            }
            // a rule failure is no input record: its time is the event time of the evaluation
            g.writeStringField(
                    d.topic() == null ? "evaluatedAt" : "ingestedAt",
                    Instant.ofEpochMilli(d.ingestedAt()).toString());
            g.writeNumberField("payloadLength", d.payloadLength());
            str(g, "payloadSha256", d.payloadSha256());
            g.writeBooleanField("truncated", d.truncated());
            String text = utf8(d.payload());
            if (text != null) {
                g.writeStringField("payloadEncoding", "utf8");
                g.writeStringField("payload", text);
            } else {
                // not UTF-8 as a whole (or cut inside a character): the exact bytes, in base64
                g.writeStringField("payloadEncoding", "base64");
                g.writeStringField("payload", Base64.getEncoder().encodeToString(d.payload()));
            }
        });
    }

    /** A data-quality window on {@code revops.dataquality}. */
    public static byte[] quality(QualityReport r, String windowSize) {
        return object(g -> {
            g.writeStringField(
                    "windowStart", Instant.ofEpochMilli(r.windowStart()).toString());
            g.writeStringField("windowEnd", Instant.ofEpochMilli(r.windowEnd()).toString());
            g.writeStringField("windowSize", windowSize);
            g.writeStringField("timeBasis", "ingestion");
            g.writeStringField("dimension", "source");
            g.writeStringField("dimensionValue", r.dimension());
            g.writeNumberField("eventsAccepted", r.eventsAccepted());
            g.writeNumberField("eventsRejected", r.eventsRejected());
            g.writeObjectFieldStart("eventsRejectedByCode");
            for (ErrorCode code : ErrorCode.values()) {
                long n = code.ordinal() < r.rejectedByCode().length ? r.rejectedByCode()[code.ordinal()] : 0;
                if (n > 0) {
                    g.writeNumberField(code.name(), n);
                }
            }
            g.writeEndObject();
            g.writeNumberField("duplicates", r.duplicates());
            g.writeNumberField("lateEvents", r.lateEvents());
            g.writeNumberField("ignoredEvents", r.ignoredEvents());
            g.writeNumberField("channelsUnmapped", r.channelsUnmapped());
            g.writeBooleanField("correction", r.correction());
        });
    }

    /** An alert on {@code revops.alerts}. */
    public static byte[] alert(Alert a) {
        return object(g -> {
            g.writeStringField("alertId", a.alertId());
            g.writeStringField("status", a.status());
            g.writeStringField("type", a.type().name());
            g.writeStringField("severity", a.severity().wireName());
            g.writeStringField("accountId", a.accountId());
            str(g, "dealId", a.dealId());
            str(g, "ownerId", a.ownerId());
            g.writeStringField(
                    "triggeredAt", Instant.ofEpochMilli(a.triggeredAt()).toString());
            g.writeStringField("reason", a.reason());
            num(g, "amount", a.amount());
            str(g, "stage", a.stage());
            if (a.durationMillis() > 0) {
                g.writeNumberField("durationDays", Math.round(a.durationMillis() / 86_400.0) / 1000.0);
            }
            str(g, "lastActivity", a.lastActivity());
            if (a.lastActivityAt() != null) {
                g.writeStringField(
                        "lastActivityAt",
                        Instant.ofEpochMilli(a.lastActivityAt()).toString());
            }
            g.writeStringField("rule", a.rule());
            g.writeStringField("threshold", a.threshold());
            if (a.healthScore() != null) {
                g.writeNumberField("healthScore", a.healthScore());
            }
            str(g, "signals", a.signals());
            str(g, "segment", a.segment());
            str(g, "region", a.region());
            g.writeBooleanField("late", a.late());
            if (a.withdrawnAt() != null) {
                g.writeStringField(
                        "withdrawnAt", Instant.ofEpochMilli(a.withdrawnAt()).toString());
            }
            str(g, "withdrawnBecause", a.withdrawnBecause());
        });
    }

    /** A recommendation opening or closing on {@code revops.actions}; {@code facts} is embedded as JSON. */
    public static byte[] recommendation(Recommendation r) {
        return object(g -> {
            g.writeStringField("recordId", r.recordId());
            g.writeStringField("actionId", r.actionId());
            g.writeStringField("status", r.status());
            g.writeBooleanField("retracted", r.retracted());
            g.writeStringField("ruleId", r.ruleId());
            g.writeStringField("action", r.action());
            g.writeStringField("team", r.team());
            g.writeNumberField("priority", r.priority());
            g.writeStringField("scope", r.scope());
            g.writeStringField("accountId", r.accountId());
            str(g, "dealId", r.dealId());
            str(g, "ownerId", r.ownerId());
            g.writeStringField("at", Instant.ofEpochMilli(r.at()).toString());
            g.writeStringField("openedAt", Instant.ofEpochMilli(r.openedAt()).toString());
            g.writeStringField("message", r.message());
            g.writeFieldName("facts");
            g.writeRawValue(r.facts());
            str(g, "closeReason", r.closeReason());
        });
    }

    /** A model's credit to a touch on {@code revops.attribution}. */
    public static byte[] attribution(AttributionRecord r) {
        return object(g -> {
            g.writeStringField("attributionId", r.attributionId());
            g.writeBooleanField("retracted", r.retracted());
            g.writeStringField("accountId", r.accountId());
            g.writeStringField("dealId", r.dealId());
            g.writeStringField("model", r.model());
            g.writeStringField("wonAt", Instant.ofEpochMilli(r.wonAt()).toString());
            num(g, "dealAmount", r.dealAmount());
            g.writeStringField("channel", r.channel());
            num(g, "credit", r.credit());
            if (r.touchAt() != null) {
                g.writeObjectFieldStart("touch");
                g.writeStringField("at", Instant.ofEpochMilli(r.touchAt()).toString());
                g.writeStringField("source", r.touchSource());
                g.writeStringField("eventId", r.touchEventId());
                g.writeStringField("type", r.touchType());
                g.writeEndObject();
            }
        });
    }

    /**
     * A KPI snapshot on {@code revops.kpis}: the window, the dimension value, then the metrics in the
     * order {@link KpiValues#visit} gives them: counts as integers, money with two decimals, ratios
     * and day counts with six, nulls where undefined.
     */
    public static byte[] kpi(KpiSnapshot k) {
        return object(g -> {
            g.writeStringField("windowSize", k.windowSize());
            g.writeStringField(
                    "windowStart", Instant.ofEpochMilli(k.windowStart()).toString());
            g.writeStringField("windowEnd", Instant.ofEpochMilli(k.windowEnd()).toString());
            g.writeStringField("dimension", k.dimension());
            g.writeStringField("dimensionValue", k.dimensionValue());
            g.writeNumberField("revision", k.revision());
            if (k.isWithdrawn()) {
                g.writeBooleanField("withdrawn", true);
                return;
            }
            k.values().visit(new KpiValues.Visitor<IOException>() {
                @Override
                public void count(String name, long value) throws IOException {
                    g.writeNumberField(name, value);
                }

                @Override
                public void money(String name, BigDecimal value) throws IOException {
                    decimal(g, name, value, 2);
                }

                @Override
                public void ratio(String name, BigDecimal value) throws IOException {
                    decimal(g, name, value, 6);
                }
            });
        });
    }

    /** A number with {@code scale} decimals (rounding half to even), or null. */
    /** A learned forecast on {@code revops.forecasts}, with the open deals' parts, largest first. */
    public static byte[] forecast(ForecastRecord f) {
        return object(g -> {
            g.writeStringField("windowSize", f.windowSize());
            g.writeStringField(
                    "windowStart", Instant.ofEpochMilli(f.windowStart()).toString());
            g.writeStringField("windowEnd", Instant.ofEpochMilli(f.windowEnd()).toString());
            g.writeStringField("dimension", f.dimension());
            g.writeStringField("dimensionValue", f.dimensionValue());
            decimal(g, "expected", f.expected(), 2);
            decimal(g, "low", f.low(), 2);
            decimal(g, "high", f.high(), 2);
            decimal(g, "fromOpen", f.fromOpen(), 2);
            decimal(g, "fromNew", f.fromNew(), 2);
            decimal(g, "fixedWeights", f.fixedWeights(), 2);
            decimal(g, "quota", f.quota(), 2);
            g.writeNumberField("openDeals", f.openDeals());
            g.writeArrayFieldStart("deals");
            for (Forecast.Contribution c : f.deals()) {
                g.writeStartObject();
                g.writeStringField("dealId", c.dealId());
                g.writeStringField("stage", c.stage());
                decimal(g, "amount", c.amount(), 2);
                decimal(g, "probability", BigDecimal.valueOf(c.probability()), 6);
                decimal(g, "expected", c.expected(), 2);
                g.writeStringField("group", c.group());
                g.writeNumberField("examples", c.examples());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void decimal(JsonGenerator g, String name, BigDecimal value, int scale) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeFieldName(name);
            g.writeNumber(value.setScale(scale, RoundingMode.HALF_EVEN).toPlainString());
        }
    }

    /** A lifecycle or deal stage change on {@code revops.journey}. */
    public static byte[] journey(JourneyUpdate u) {
        return object(g -> {
            g.writeStringField("updateId", u.updateId());
            g.writeBooleanField("retracted", u.retracted());
            g.writeStringField("kind", u.kind());
            g.writeStringField("accountId", u.accountId());
            str(g, "dealId", u.dealId());
            str(g, "fromStage", u.fromStage());
            g.writeStringField("toStage", u.toStage());
            g.writeStringField("at", Instant.ofEpochMilli(u.at()).toString());
            if (u.timeInStageMillis() != null) {
                g.writeNumberField("daysInFromStage", Math.round(u.timeInStageMillis() / 86_400.0) / 1000.0);
            }
            if (u.cumulativeInStageMillis() != null) {
                g.writeNumberField(
                        "cumulativeDaysInFromStage", Math.round(u.cumulativeInStageMillis() / 86_400.0) / 1000.0);
            }
            if (u.forward() != null) {
                g.writeBooleanField("forward", u.forward());
            }
            if (u.dealId() != null) {
                g.writeBooleanField("adopted", u.adopted());
            }
            str(g, "dealType", u.dealType());
            num(g, "amount", u.amount());
            str(g, "ownerId", u.ownerId());
            str(g, "segment", u.segment());
            str(g, "region", u.region());
            g.writeStringField("causeSource", u.causeSource());
            g.writeStringField("causeEventId", u.causeEventId());
        });
    }

    private static void str(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void num(JsonGenerator g, String name, BigDecimal value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.toPlainString());
        }
    }

    /** The bytes as a string when they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
