package dev.revstream.journey;

import dev.revstream.attribution.AttributionSettings;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The defaults of docs/metrics.md and docs/alerts.md, for tests. */
public final class TestJourneySettings {
    public static final long MIN = 60_000L;
    public static final long HOUR = 60 * MIN;
    public static final long DAY = 24 * HOUR;

    private TestJourneySettings() {}

    public static HealthSettings health() {
        return new HealthSettings(
                50, 60, 30, 30, 0.5, 14 * DAY, 20, 3, 14 * DAY, 20, 6, 90 * DAY, 25, 90 * DAY, 15, 30 * DAY);
    }

    public static JourneySettings defaults() {
        return new JourneySettings(
                List.of(
                        new StageConfig("QUALIFICATION", 14 * DAY, 0.1),
                        new StageConfig("DISCOVERY", 14 * DAY, 0.2),
                        new StageConfig("SOLUTION", 14 * DAY, 0.4),
                        new StageConfig("PROPOSAL", 10 * DAY, 0.6),
                        new StageConfig("NEGOTIATION", 7 * DAY, 0.8)),
                Map.of(),
                24 * HOUR,
                Map.of(),
                null,
                2,
                3,
                "NEGOTIATION",
                100_000,
                400 * DAY,
                ZoneOffset.UTC,
                health(),
                AttributionSettings.defaults(),
                null);
    }

    /** The defaults with other stages (a stage list or a win probability configured otherwise). */
    public static JourneySettings withStages(List<StageConfig> stages) {
        JourneySettings d = defaults();
        return new JourneySettings(
                stages,
                d.stallSlaBySegment(),
                d.leadSlaMillis(),
                d.leadSlaBySegment(),
                d.businessCalendar(),
                d.slippageAlertFrom(),
                d.slippageWarningFrom(),
                d.criticalStage(),
                d.criticalAmount(),
                d.tombstoneMillis(),
                d.zone(),
                d.health(),
                d.attribution(),
                d.asOf());
    }
}
