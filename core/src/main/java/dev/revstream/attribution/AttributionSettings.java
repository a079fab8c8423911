package dev.revstream.attribution;

import java.io.Serializable;

/**
 * Attribution's parameters: how far before a deal's creation touches count, the time-decay
 * half-life, and the position shares of the position-based models (the spread share is the rest).
 */
public record AttributionSettings(
        long windowMillis,
        long halfLifeMillis,
        double uFirst,
        double uLead,
        double wFirst,
        double wLead,
        double wCreation,
        double fullPathEach)
        implements Serializable {

    /** docs/metrics.md: 180 days, 7 days, U 40/40/20, W 30/30/30/10, full path 22.5 x 4 / 10. */
    public static AttributionSettings defaults() {
        return new AttributionSettings(180L * 86_400_000L, 7L * 86_400_000L, 0.4, 0.4, 0.3, 0.3, 0.3, 0.225);
    }
}
