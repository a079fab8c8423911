package dev.revstream.job.warehouse;

import static dev.revstream.job.warehouse.Column.Kind.BOOLEAN;
import static dev.revstream.job.warehouse.Column.Kind.DATE;
import static dev.revstream.job.warehouse.Column.Kind.DECIMAL;
import static dev.revstream.job.warehouse.Column.Kind.INT;
import static dev.revstream.job.warehouse.Column.Kind.LONG;
import static dev.revstream.job.warehouse.Column.Kind.STRING;
import static dev.revstream.job.warehouse.Column.Kind.TIMESTAMP;
import static dev.revstream.job.warehouse.Column.of;

import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.model.Event;
import java.util.List;
import java.util.Locale;

/** The warehouse's tables and their columns (docs/outputs.md documents the same). */
public final class Tables {
    private Tables() {}

    public static final ParquetTable<Event> EVENTS = new ParquetTable<>(
            "events",
            List.of(
                    of("kind", STRING, e -> e.kind().name().toLowerCase(Locale.ROOT)),
                    of("eventId", STRING, Event::eventId),
                    of("source", STRING, Event::source),
                    of("occurredAt", TIMESTAMP, Event::occurredAt),
                    of("accountId", STRING, Event::accountId),
                    of("contactId", STRING, Event::contactId),
                    of("anonymousId", STRING, Event::anonymousId),
                    of("dealId", STRING, Event::dealId),
                    of("ownerId", STRING, Event::ownerId),
                    of("type", STRING, Event::type),
                    of("sourceType", STRING, Event::sourceType),
                    of("channel", STRING, Event::channel),
                    of("sourceChannel", STRING, Event::sourceChannel),
                    of("campaign", STRING, Event::campaign),
                    of("amount", DECIMAL, Event::amount),
                    of("sourceAmount", DECIMAL, Event::sourceAmount),
                    of("sourceCurrency", STRING, Event::sourceCurrency),
                    of("stage", STRING, Event::stage),
                    of("sourceStage", STRING, Event::sourceStage),
                    of("expectedCloseDate", DATE, Event::expectedCloseDate),
                    of("dealType", STRING, Event::dealType),
                    of("segment", STRING, Event::segment),
                    of("region", STRING, Event::region),
                    of("lostReason", STRING, Event::lostReason),
                    of("attributes", STRING, Event::attributes),
                    of("ingestionTopic", STRING, Event::topic),
                    of("ingestionPartition", INT, Event::partition),
                    of("ingestionOffset", LONG, Event::offset),
                    of("ingestedAt", TIMESTAMP, Event::ingestedAt)),
            Event::occurredAt);

    public static final ParquetTable<KpiRow> KPIS = new ParquetTable<>(
            "kpis",
            List.of(
                    of("windowSize", STRING, KpiRow::windowSize),
                    of("windowStart", TIMESTAMP, KpiRow::windowStart),
                    of("windowEnd", TIMESTAMP, KpiRow::windowEnd),
                    of("dimension", STRING, KpiRow::dimension),
                    of("dimensionValue", STRING, KpiRow::dimensionValue),
                    of("metric", STRING, KpiRow::metric),
                    of("value", DECIMAL, KpiRow::value),
                    of("revision", LONG, KpiRow::revision)),
            KpiRow::windowStart);

    public static final ParquetTable<Alert> ALERTS = new ParquetTable<>(
            "alerts",
            List.of(
                    of("alertId", STRING, Alert::alertId),
                    of("type", STRING, a -> a.type().name()),
                    of("severity", STRING, a -> a.severity().wireName()),
                    of("accountId", STRING, Alert::accountId),
                    of("dealId", STRING, Alert::dealId),
                    of("ownerId", STRING, Alert::ownerId),
                    of("triggeredAt", TIMESTAMP, Alert::triggeredAt),
                    of("reason", STRING, Alert::reason),
                    of("amount", DECIMAL, Alert::amount),
                    of("stage", STRING, Alert::stage),
                    of("durationMillis", LONG, Alert::durationMillis),
                    of("lastActivity", STRING, Alert::lastActivity),
                    of("lastActivityAt", TIMESTAMP, Alert::lastActivityAt),
                    of("rule", STRING, Alert::rule),
                    of("threshold", STRING, Alert::threshold),
                    of("healthScore", INT, Alert::healthScore),
                    of("signals", STRING, Alert::signals),
                    of("segment", STRING, Alert::segment),
                    of("region", STRING, Alert::region),
                    of("status", STRING, Alert::status),
                    of("late", BOOLEAN, Alert::late),
                    of("withdrawnAt", TIMESTAMP, Alert::withdrawnAt),
                    of("withdrawnBecause", STRING, Alert::withdrawnBecause)),
            Alert::triggeredAt);

    public static final ParquetTable<AttributionRecord> ATTRIBUTION = new ParquetTable<>(
            "attribution",
            List.of(
                    of("attributionId", STRING, AttributionRecord::attributionId),
                    of("accountId", STRING, AttributionRecord::accountId),
                    of("dealId", STRING, AttributionRecord::dealId),
                    of("model", STRING, AttributionRecord::model),
                    of("wonAt", TIMESTAMP, AttributionRecord::wonAt),
                    of("dealAmount", DECIMAL, AttributionRecord::dealAmount),
                    of("touchAt", TIMESTAMP, AttributionRecord::touchAt),
                    of("touchSource", STRING, AttributionRecord::touchSource),
                    of("touchEventId", STRING, AttributionRecord::touchEventId),
                    of("touchType", STRING, AttributionRecord::touchType),
                    of("channel", STRING, AttributionRecord::channel),
                    of("credit", DECIMAL, AttributionRecord::credit),
                    of("retracted", BOOLEAN, AttributionRecord::retracted)),
            AttributionRecord::wonAt);

    public static final List<ParquetTable<?>> ALL = List.of(EVENTS, KPIS, ALERTS, ATTRIBUTION);
}
