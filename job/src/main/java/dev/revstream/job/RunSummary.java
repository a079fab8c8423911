package dev.revstream.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedValue;

/**
 * What a run did with its input, counted by the job's functions as Flink accumulators (so a bounded
 * run's result carries them) and said in one sentence at its end: events applied (of those, how
 * many as corrections), dead-lettered, duplicates and late (older than the correction horizon).
 */
public final class RunSummary {
    public static final String APPLIED = "revstream.applied";
    public static final String DEAD_LETTERED = "revstream.deadLettered";
    public static final String DUPLICATES = "revstream.duplicates";
    public static final String LATE = "revstream.late";
    public static final String CORRECTED = "revstream.corrected";

    private RunSummary() {}

    /** A finished job's accumulators, by name (any that cannot be read are left out). */
    public static Map<String, Object> counts(JobResult result) {
        return counts(result.getAccumulatorResults());
    }

    /**
     * Accumulators as a job's result or its running execution graph holds them, by name (any that
     * cannot be read are left out).
     */
    public static Map<String, Object> counts(Map<String, SerializedValue<OptionalFailure<Object>>> serialized) {
        Map<String, Object> out = new HashMap<>();
        serialized.forEach((name, value) -> {
            try {
                out.put(
                        name,
                        value.deserializeValue(RunSummary.class.getClassLoader())
                                .getUnchecked());
            } catch (Exception e) {
                // the summary goes without it
            }
        });
        return out;
    }

    /** @param accumulators the job result's accumulators, by name */
    public static String sentence(Map<String, Object> accumulators) {
        return String.format(
                "%,d events applied (%,d of them late, as corrections), %,d dead-lettered, %,d duplicates,"
                        + " %,d late (older than the correction horizon: in the late topic, not applied)",
                count(accumulators, APPLIED),
                count(accumulators, CORRECTED),
                count(accumulators, DEAD_LETTERED),
                count(accumulators, DUPLICATES),
                count(accumulators, LATE));
    }

    /** @return the named count, 0 when the job has not reported it (yet) */
    public static long count(Map<String, Object> accumulators, String name) {
        return accumulators.get(name) instanceof Number n ? n.longValue() : 0;
    }
}
