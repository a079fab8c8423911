package dev.revstream.forecast;

import java.util.List;

/** Where a {@link ForecastLearner} keeps its books: Flink keyed state in the job, maps elsewhere. */
public interface LearnerStore {
    /** The open deals as the forecast sees them, by deal id. */
    Book<String, ForecastDeal> deals();

    /** Each open deal's examples not yet resolved: "step start|group". */
    Book<String, List<String>> exposures();

    /** The rest, or null before the learner's first instant. */
    LearnerState state() throws Exception;

    void putState(LearnerState state) throws Exception;
}
