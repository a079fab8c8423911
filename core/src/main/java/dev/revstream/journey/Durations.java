package dev.revstream.journey;

import java.util.Locale;

/** Durations as people read them in alerts. */
public final class Durations {
    private static final long DAY = 86_400_000L;

    private Durations() {}

    /** {@code 10d}, {@code 36h}, {@code 90s}: the largest whole unit. */
    public static String days(long millis) {
        if (millis % DAY == 0) {
            return millis / DAY + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** Fractional days with one decimal, e.g. {@code 12.5 days}. */
    public static String fractionalDays(long millis) {
        return String.format(Locale.ROOT, "%.1f days", millis / (double) DAY);
    }
}
