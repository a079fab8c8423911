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
 */
public record IngestSettings(
        String touchpointsTopic,
        int maxValueBytes,
        long maxFutureMillis,
        int deadLetterMaxPayloadBytes,
        String reportingCurrency,
        Map<String, BigDecimal> currencyRates,
        SourceMappings mappings)
        implements Serializable {}
