package dev.revstream.job.settings;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * The global job parameters of a run, in one place: a bounded run's as-of time and earliest accepted
 * event time. They are set where the job is configured and read by the functions in {@code open}.
 */
public record JobParameters(Long asOf, Long earliest) {
    private static final String AS_OF = "revstream.as-of";
    private static final String EARLIEST = "revstream.earliest";

    /** No bounded-run parameters: a live run. */
    public static final JobParameters NONE = new JobParameters(null, null);

    /** The parameters as Flink's global job parameters (empty for a live run). */
    public Map<String, String> toMap() {
        Map<String, String> params = new HashMap<>();
        if (asOf != null) {
            params.put(AS_OF, Long.toString(asOf));
        }
        if (earliest != null) {
            params.put(EARLIEST, Long.toString(earliest));
        }
        return params;
    }

    /** The parameters a function's runtime context carries. */
    public static JobParameters of(RuntimeContext ctx) {
        Map<String, String> params = ctx.getGlobalJobParameters();
        if (params == null) {
            return NONE;
        }
        String a = params.get(AS_OF);
        String e = params.get(EARLIEST);
        return new JobParameters(a == null ? null : Long.valueOf(a), e == null ? null : Long.valueOf(e));
    }
}
