package dev.revstream.journey;

import dev.revstream.model.ForecastCategory;
import java.io.Serializable;

/**
 * One canonical open stage: its stall SLA, its win probability, and the forecast category of a deal in
 * it when the source sends none.
 */
public record StageConfig(String name, long stallSlaMillis, double winProbability, String forecastCategory)
        implements Serializable {

    /** With the category that the win probability gives (commit from 0.7, best_case from 0.4, else pipeline). */
    public StageConfig(String name, long stallSlaMillis, double winProbability) {
        this(
                name,
                stallSlaMillis,
                winProbability,
                ForecastCategory.forWinProbability(winProbability).wireName());
    }
}
