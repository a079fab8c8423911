package dev.revstream.job.ingest;

import dev.revstream.job.RunSummary;
import dev.revstream.model.Event;
import dev.revstream.model.LateEvent;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets the first arrival of each (source, eventId) through and drops later copies, and routes
 * events that arrive further behind the watermark than the correction horizon to the late output
 * instead of applying them (within the horizon they go on: the journey corrects with them).
 *
 * <p>Keyed by {@link Event#dedupKey()}. A copy is a duplicate while the watermark is at most
 * {@code horizon} past the first copy's {@code occurredAt}; after that the key's state is gone and a
 * copy counts as a new event. This is also the first keyed operator, so it is where lateness is
 * decided: an event with {@code occurredAt <= watermark - correctionHorizon} cannot be corrected downstream.
 * A late event is not remembered, so a later copy of it is late again rather than a duplicate.
 *
 * <p>State: one long per key (the first copy's {@code occurredAt}), cleared by an event-time timer
 * at {@code occurredAt + horizon + 1 ms}. A processing-time TTL ({@code ttl}) is only a safety net
 * for keys whose timer cannot fire (an input that stops forever).
 */
public class Deduplicator extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    /** Events that arrived further behind the watermark than the correction horizon. */
    public static final OutputTag<LateEvent> LATE = new OutputTag<>("late-events", Types.POJO(LateEvent.class)) {};

    /** Data-quality samples for duplicates and late events. */
    public static final OutputTag<QualitySample> QUALITY =
            new OutputTag<>("dedup-quality", Types.POJO(QualitySample.class)) {};

    private final long horizonMillis;
    private final Duration ttl;
    private final long correctionHorizonMillis;

    private transient ValueState<Long> firstSeen;
    private transient Counter duplicates;
    private transient LateRouting late;
    private transient SourceCounters outBySource;
    private transient LongCounter duplicatesInRun;
    private transient LongCounter appliedInRun;

    /** Without corrections: everything behind the watermark is late. */
    public Deduplicator(long horizonMillis, Duration ttl) {
        this(horizonMillis, ttl, 0);
    }

    /** @param correctionHorizonMillis how far behind the watermark an event is still applied (corrected) */
    public Deduplicator(long horizonMillis, Duration ttl, long correctionHorizonMillis) {
        this.horizonMillis = horizonMillis;
        this.ttl = ttl;
        this.correctionHorizonMillis = correctionHorizonMillis;
    }

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("first-occurred-at", Types.LONG);
        if (ttl != null && !ttl.isZero()) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        }
        firstSeen = getRuntimeContext().getState(d);
        duplicates = getRuntimeContext().getMetricGroup().addGroup("revstream").counter("duplicates");
        late = new LateRouting(getRuntimeContext(), correctionHorizonMillis);
        outBySource = new SourceCounters(getRuntimeContext().getMetricGroup().addGroup("revstream"), "eventsOut");
        duplicatesInRun = getRuntimeContext().getLongCounter(RunSummary.DUPLICATES);
        appliedInRun = getRuntimeContext().getLongCounter(RunSummary.APPLIED);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        if (firstSeen.value() != null) {
            duplicates.inc();
            duplicatesInRun.add(1);
            QualitySample.emit(e.source(), e.ingestedAt(), QualityOutcome.DUPLICATE, null, s -> ctx.output(QUALITY, s));
            return;
        }
        if (late.routed(
                e, ctx.timerService().currentWatermark(), l -> ctx.output(LATE, l), s -> ctx.output(QUALITY, s))) {
            return;
        }
        firstSeen.update(e.occurredAt());
        ctx.timerService().registerEventTimeTimer(expiry(e.occurredAt()));
        outBySource.inc(e.source());
        appliedInRun.add(1);
        out.collect(e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        Long first = firstSeen.value();
        if (first != null && expiry(first) <= timestamp) {
            firstSeen.clear();
        }
    }

    private long expiry(long occurredAt) {
        // "more than the horizon past": a watermark of exactly occurredAt + horizon still de-duplicates
        return occurredAt + horizonMillis + 1;
    }
}
