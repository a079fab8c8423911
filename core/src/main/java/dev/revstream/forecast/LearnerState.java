package dev.revstream.forecast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ForecastLearner} keeps besides its open deals and their exposures: the next step, the
 * periods whose examples are not resolved yet, the win counts per group, and the won amounts of deals
 * created and won within a period. A Flink POJO.
 */
public class LearnerState {
    /** The next step start at which the open deals become examples. */
    public long nextStep;
    /** Periods started at a step and not yet ended, oldest first. */
    public List<Batch> pending = new ArrayList<>();
    /** Per group ({@link WinRates}): {examples, wins}. */
    public Map<String, long[]> rates = new HashMap<>();
    /** The end of each resolved period within the history, oldest first, and beside it its new deals' wins in cents. */
    public List<Long> newWonEnds = new ArrayList<>();

    public List<Long> newWonCents = new ArrayList<>();

    public LearnerState() {}

    /** The examples of one step: deals open at its start, by group, and those of them won before its end. */
    public static class Batch {
        public long start;
        public long end;
        /** Narrowest group to the number of deals in it. */
        public Map<String, Long> exposed = new HashMap<>();
        /** Narrowest group to the number of those deals won before the end. */
        public Map<String, Long> wins = new HashMap<>();
        /** Won in the period by deals created in it, in cents. */
        public long newWonCents;

        public Batch() {}

        Batch(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }
}
