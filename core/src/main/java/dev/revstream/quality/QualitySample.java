package dev.revstream.quality;

import dev.revstream.model.ErrorCode;
import java.util.function.Consumer;

/**
 * {@code count} records of one outcome, counted under one dimension value ({@code all} or a
 * source) in the ingestion-time window holding {@code ingestedAt}.
 *
 * @param code the error code for {@link QualityOutcome#REJECTED}, else null
 */
public record QualitySample(String dimension, long ingestedAt, QualityOutcome outcome, ErrorCode code, long count) {

    /** The dimension value for counts over every source. */
    public static final String ALL = "all";

    /** The source name used when a rejected record's source could not be read. */
    public static final String UNKNOWN_SOURCE = "unknown";

    /** Emits one sample for the record's source and one for {@link #ALL}. */
    public static void emit(
            String source, long ingestedAt, QualityOutcome outcome, ErrorCode code, Consumer<QualitySample> out) {
        out.accept(new QualitySample(source == null ? UNKNOWN_SOURCE : source, ingestedAt, outcome, code, 1));
        out.accept(new QualitySample(ALL, ingestedAt, outcome, code, 1));
    }
}
