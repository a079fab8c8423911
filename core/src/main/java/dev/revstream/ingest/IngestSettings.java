package dev.revstream.ingest;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Map;

/**
 * What the ingest stage needs from the configuration, validated by the loader before a job starts.
 *
 * @param touchpointsTopic records from this topic are touchpoints; every other topic carries deals
 * @param maxValueBytes larger values are dead letters ({@code TOO_LARGE})
 * @param maxFutureMillis an {@code occurredAt} further ahead of the wall clock is a dead letter; 0 turns the check off
 * @param deadLetterMaxPayloadBytes how many bytes of a rejected value its dead letter keeps
 * @param reportingCurrency the currency every amount is reported in
 * @param currencyRates units of the reporting currency per unit of each other currency
 * @param formats the format of each input topic that is not revstream's own ({@code ingest.formats})
 */
public record IngestSettings(
        String touchpointsTopic,
        int maxValueBytes,
        long maxFutureMillis,
        int deadLetterMaxPayloadBytes,
        String reportingCurrency,
        Map<String, BigDecimal> currencyRates,
        SourceMappings mappings,
        Map<String, SourceFormat> formats)
        implements Serializable {

    /** The format of a topic's records: revstream's own unless configured. */
    public SourceFormat format(String topic) {
        return formats.getOrDefault(topic, SourceFormat.CANONICAL);
    }
}
