package dev.revstream.job.ingest;

import dev.revstream.job.RunSummary;
import dev.revstream.model.Event;
import dev.revstream.model.LateEvent;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.util.function.Consumer;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * The ingest's rule for late events, for the operators that apply it ({@link Deduplicator}, {@link DedupRoute}):
 * an event at or further behind the watermark than the correction horizon cannot be corrected with
 * downstream, so it goes to the late output with why, counted ({@code lateEvents}, the run's late count)
 * and sampled for data quality. Holds no state.
 */
final class LateRouting {
    private final long correctionHorizonMillis;
    private final Counter lateEvents;
    private final LongCounter lateInRun;

    LateRouting(RuntimeContext ctx, long correctionHorizonMillis) {
        this.correctionHorizonMillis = correctionHorizonMillis;
        this.lateEvents = ctx.getMetricGroup().addGroup("revstream").counter("lateEvents");
        this.lateInRun = ctx.getLongCounter(RunSummary.LATE);
    }

    /** Whether {@code e} is late at {@code watermark}; if so it went to {@code late} and {@code quality}. */
    boolean routed(Event e, long watermark, Consumer<LateEvent> late, Consumer<QualitySample> quality) {
        if (watermark == Long.MIN_VALUE || e.occurredAt() > watermark - correctionHorizonMillis) {
            return false;
        }
        lateEvents.inc();
        lateInRun.add(1);
        late.accept(new LateEvent(
                e,
                watermark,
                correctionHorizonMillis,
                correctionHorizonMillis == 0
                        ? "behind event time, and corrections are off (time.correction-horizon=0)"
                        : "further behind event time than the correction horizon"));
        QualitySample.emit(e.source(), e.ingestedAt(), QualityOutcome.LATE, null, quality);
        return true;
    }
}
