package dev.revstream.model;

import java.util.Locale;

/**
 * A deal's forecast category, as sales teams call their commitment to it: Salesforce's and HubSpot's
 * five. An open deal is in one of {@code pipeline}, {@code best_case}, {@code commit} or {@code
 * omitted}; a won deal is {@code closed}.
 */
public enum ForecastCategory {
    PIPELINE,
    BEST_CASE,
    COMMIT,
    OMITTED,
    CLOSED;

    /** The contract's wire name, e.g. {@code best_case}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** An open stage's category when none is configured: commit from a win probability of 0.7, best_case from 0.4, else pipeline. */
    public static ForecastCategory forWinProbability(double p) {
        return p >= 0.7 ? COMMIT : p >= 0.4 ? BEST_CASE : PIPELINE;
    }

    /**
     * Parses a category as CRMs write it, ignoring case, blanks, hyphens and underscores: {@code best_case},
     * {@code Best Case}, {@code BestCase}, {@code BEST-CASE}; Salesforce's {@code Closed} and HubSpot's
     * {@code closed_won} are {@code closed}, HubSpot's {@code OMIT} and {@code not_forecasted} are {@code omitted}. Null when
     * unknown.
     */
    public static ForecastCategory parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", "");
        return switch (n) {
            case "pipeline" -> PIPELINE;
            case "bestcase" -> BEST_CASE;
            case "commit" -> COMMIT;
            case "omitted", "omit", "notforecasted" -> OMITTED;
            case "closed", "closedwon" -> CLOSED;
            default -> null;
        };
    }
}
