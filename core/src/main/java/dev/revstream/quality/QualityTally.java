package dev.revstream.quality;

import dev.revstream.model.ErrorCode;
import java.util.Arrays;

/**
 * The counts of one window as a flat {@code long[]} (a type Flink serializes natively): one slot
 * per {@link QualityOutcome}, then one per {@link ErrorCode}. Both enums are append-only, and a
 * shorter array from older state reads as zeros in the new slots.
 */
public final class QualityTally {
    private static final int OUTCOMES = QualityOutcome.values().length;
    static final int SIZE = OUTCOMES + ErrorCode.values().length;

    private QualityTally() {}

    public static long[] add(long[] tally, QualitySample s) {
        long[] t = tally == null ? new long[SIZE] : tally.length < SIZE ? Arrays.copyOf(tally, SIZE) : tally;
        t[s.outcome().ordinal()] += s.count();
        if (s.code() != null) {
            t[OUTCOMES + s.code().ordinal()] += s.count();
        }
        return t;
    }

    static long get(long[] tally, QualityOutcome o) {
        return o.ordinal() < tally.length ? tally[o.ordinal()] : 0;
    }

    static long rejected(long[] tally, ErrorCode code) {
        int i = OUTCOMES + code.ordinal();
        return i < tally.length ? tally[i] : 0;
    }
}
