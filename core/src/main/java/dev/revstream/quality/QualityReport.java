package dev.revstream.quality;

import dev.revstream.model.ErrorCode;

/**
 * The data-quality counts of one ingestion-time window for one dimension value (a source, or
 * {@code all}). A {@code correction} carries counts that arrived after the window was reported;
 * add it to the earlier record.
 *
 * @param rejectedByCode counts indexed by {@link ErrorCode#ordinal()}
 */
public record QualityReport(
        long windowStart,
        long windowEnd,
        String dimension,
        long eventsAccepted,
        long eventsRejected,
        long[] rejectedByCode,
        long duplicates,
        long lateEvents,
        long ignoredEvents,
        long channelsUnmapped,
        boolean correction) {

    /** Builds a report from the counter layout of {@link QualityTally}. */
    public static QualityReport of(
            long windowStart, long windowEnd, String dimension, long[] tally, boolean correction) {
        long[] byCode = new long[ErrorCode.values().length];
        for (int i = 0; i < byCode.length; i++) {
            byCode[i] = QualityTally.rejected(tally, ErrorCode.values()[i]);
        }
        return new QualityReport(
                windowStart,
                windowEnd,
                dimension,
                QualityTally.get(tally, QualityOutcome.ACCEPTED),
                QualityTally.get(tally, QualityOutcome.REJECTED),
                byCode,
                QualityTally.get(tally, QualityOutcome.DUPLICATE),
                QualityTally.get(tally, QualityOutcome.LATE),
                QualityTally.get(tally, QualityOutcome.IGNORED),
                QualityTally.get(tally, QualityOutcome.CHANNEL_UNMAPPED),
                correction);
    }
}
