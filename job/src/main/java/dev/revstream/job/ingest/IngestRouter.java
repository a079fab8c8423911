package dev.revstream.job.ingest;

import dev.revstream.job.RunSummary;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits what the source parsed: accepted events go on (heartbeats stop here, they have done their
 * work on the watermark), dead letters go to their own output, the parts of vendors' records that
 * yield nothing are counted (as ignored), and every record leaves a data-quality sample. Counts dead letters by code and accepted events by source as Flink metrics.
 *
 * <p>Stateless.
 */
public class IngestRouter extends ProcessFunction<Ingested, Event> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", Types.POJO(DeadLetter.class)) {};

    public static final OutputTag<QualitySample> QUALITY =
            new OutputTag<>("ingest-quality", Types.POJO(QualitySample.class)) {};

    private transient Map<ErrorCode, Counter> deadLettersByCode;
    private transient Counter accepted;
    private transient MetricGroup metrics;
    /** Per source, created as sources appear, capped. */
    private transient SourceCounters acceptedBySource;
    /** Parts of vendors' records that yield no event (tombstones, events revstream does not read), per source. */
    private transient SourceCounters skippedBySource;

    private transient LongCounter deadLetteredInRun;

    @Override
    public void open(OpenContext ctx) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("revstream");
        accepted = group.counter("eventsAccepted");
        deadLetteredInRun = getRuntimeContext().getLongCounter(RunSummary.DEAD_LETTERED);
        metrics = group;
        acceptedBySource = new SourceCounters(metrics, "eventsIn");
        skippedBySource = new SourceCounters(metrics, "recordsSkipped", acceptedBySource.overCap());
        deadLettersByCode = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            deadLettersByCode.put(
                    code, group.addGroup("deadLetters", code.name()).counter("count"));
        }
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<Event> out) {
        Ingested.Skipped skipped = in.skipped();
        if (skipped != null) {
            skippedBySource.inc(skipped.source());
            QualitySample.emit(
                    skipped.source(), skipped.ingestedAt(), QualityOutcome.IGNORED, null, s -> ctx.output(QUALITY, s));
            return;
        }
        DeadLetter dl = in.deadLetter();
        if (dl != null) {
            ctx.output(DEAD_LETTERS, dl);
            deadLettersByCode.get(dl.errorCode()).inc();
            deadLetteredInRun.add(1);
            QualitySample.emit(
                    dl.source(), dl.ingestedAt(), QualityOutcome.REJECTED, dl.errorCode(), s -> ctx.output(QUALITY, s));
            return;
        }
        Event e = in.event();
        accepted.inc();
        acceptedBySource.inc(e.source());
        QualitySample.emit(e.source(), e.ingestedAt(), QualityOutcome.ACCEPTED, null, s -> ctx.output(QUALITY, s));
        if (in.channelUnmapped()) {
            QualitySample.emit(
                    e.source(), e.ingestedAt(), QualityOutcome.CHANNEL_UNMAPPED, null, s -> ctx.output(QUALITY, s));
        }
        if (!e.isHeartbeat()) {
            out.collect(e);
        }
    }
}
