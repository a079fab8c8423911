package dev.revstream.job.ingest;

import dev.revstream.job.RunSummary;
import dev.revstream.model.Event;
import dev.revstream.model.LateEvent;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets the first arrival of each (source, eventId) through and drops later copies, and routes
 * events that arrive further behind the watermark than the correction horizon to the late output
 * instead of applying them (within the horizon they go on: the journey corrects with them).
 *
 * <p>Keyed by {@link DedupShards}: a shard holds the ids of many events. A copy is a duplicate while
 * the watermark is at most {@code horizon} past the first copy's {@code occurredAt}; after that the
 * id is forgotten and a copy counts as a new event. This is also the first keyed operator, so it is
 * where lateness is decided: an event with {@code occurredAt <= watermark - correctionHorizon} cannot
 * be corrected downstream. A late event is not remembered, so a later copy of it is late again rather
 * than a duplicate.
 *
 * <p>State: per shard, a map from each id to its first copy's {@code occurredAt}, and no timer per
 * event: one event-time sweep timer per shard, on a grid of {@code horizon / 2} (staggered by shard),
 * removes the ids the watermark has passed the horizon of, so an id stays at most half a horizon
 * longer than it counts. Whether an id counts is decided by its time, not by whether the sweep has
 * run yet. A processing-time TTL ({@code ttl}) is only a safety net for shards whose timer cannot
 * fire (an input that stops forever). Before the shards each id was a key with a value and a timer
 * ({@value #LEGACY}): {@link DedupOperator} moves such restored state into the shards.
 */
public class Deduplicator extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    /** Events that arrived further behind the watermark than the correction horizon. */
    public static final OutputTag<LateEvent> LATE = new OutputTag<>("late-events", Types.POJO(LateEvent.class)) {};

    /** Data-quality samples for duplicates and late events. */
    public static final OutputTag<QualitySample> QUALITY =
            new OutputTag<>("dedup-quality", Types.POJO(QualitySample.class)) {};

    /** The state of an id as a key of its own (0.1.0 and 0.2.0 savepoints). */
    static final String LEGACY = "first-occurred-at";

    private final long horizonMillis;
    private final Duration ttl;
    private final long correctionHorizonMillis;
    private final long sweepMillis;

    private transient MapState<String, Long> firstSeen;
    private transient ValueState<Long> legacy;
    /** The sweep each shard of this subtask has pending, as far as this run knows (not checkpointed). */
    private transient Map<String, Long> sweeps;

    private transient Counter duplicates;
    private transient Counter lateEvents;
    private transient SourceCounters outBySource;
    private transient LongCounter duplicatesInRun;
    private transient LongCounter lateInRun;
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
        // each id is swept at most half a horizon after it stops counting: about three sweeps read it
        this.sweepMillis = Math.max(1_000, horizonMillis / 2);
    }

    @Override
    public void open(OpenContext ctx) {
        firstSeen = getRuntimeContext().getMapState(ids(ttl));
        legacy = getRuntimeContext().getState(legacy(ttl));
        sweeps = new HashMap<>();
        duplicates = getRuntimeContext().getMetricGroup().addGroup("revstream").counter("duplicates");
        lateEvents = getRuntimeContext().getMetricGroup().addGroup("revstream").counter("lateEvents");
        outBySource = new SourceCounters(getRuntimeContext().getMetricGroup().addGroup("revstream"), "eventsOut");
        duplicatesInRun = getRuntimeContext().getLongCounter(RunSummary.DUPLICATES);
        lateInRun = getRuntimeContext().getLongCounter(RunSummary.LATE);
        appliedInRun = getRuntimeContext().getLongCounter(RunSummary.APPLIED);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        Long first = firstSeen.get(e.dedupKey());
        if (first != null && watermark < expiry(first)) {
            duplicates.inc();
            duplicatesInRun.add(1);
            QualitySample.emit(e.source(), e.ingestedAt(), QualityOutcome.DUPLICATE, null, s -> ctx.output(QUALITY, s));
            return;
        }
        if (watermark != Long.MIN_VALUE && e.occurredAt() <= watermark - correctionHorizonMillis) {
            lateEvents.inc();
            lateInRun.add(1);
            ctx.output(
                    LATE,
                    new LateEvent(
                            e,
                            watermark,
                            correctionHorizonMillis,
                            correctionHorizonMillis == 0
                                    ? "behind event time, and corrections are off (time.correction-horizon=0)"
                                    : "further behind event time than the correction horizon"));
            QualitySample.emit(e.source(), e.ingestedAt(), QualityOutcome.LATE, null, s -> ctx.output(QUALITY, s));
            return;
        }
        firstSeen.put(e.dedupKey(), e.occurredAt());
        if (!sweeps.containsKey(ctx.getCurrentKey())) {
            sweepAt(ctx.getCurrentKey(), expiry(e.occurredAt()), ctx.timerService());
        }
        outBySource.inc(e.source());
        appliedInRun.add(1);
        out.collect(e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        String shard = ctx.getCurrentKey();
        if (!DedupShards.isShard(shard)) {
            // an id's own timer from before the shards: its value moved into a shard at the restore
            legacy.clear();
            return;
        }
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Long>> it = firstSeen.iterator(); it.hasNext(); ) {
            long expiry = expiry(it.next().getValue());
            if (expiry <= timestamp) {
                it.remove();
            } else {
                next = Math.min(next, expiry);
            }
        }
        Long pending = sweeps.get(shard);
        if (pending != null && pending > timestamp) {
            return; // another sweep is already on its way (one from before a restore met one of this run)
        }
        if (next == Long.MAX_VALUE) {
            sweeps.remove(shard);
        } else {
            sweepAt(shard, next, ctx.timerService());
        }
    }

    /** Each shard's ids and their first copies' times. */
    static MapStateDescriptor<String, Long> ids(Duration ttl) {
        MapStateDescriptor<String, Long> d =
                new MapStateDescriptor<>("first-occurred-at-by-id", Types.STRING, Types.LONG);
        if (ttl != null && !ttl.isZero()) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        }
        return d;
    }

    /** An id's first copy's time, the id the key (before the shards). */
    static ValueStateDescriptor<Long> legacy(Duration ttl) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(LEGACY, Types.LONG);
        if (ttl != null && !ttl.isZero()) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
        }
        return d;
    }

    /** Moves an id's value restored from before the shards into its shard; the current key is the id's. */
    Long takeLegacy() throws Exception {
        Long first = legacy.value();
        legacy.clear();
        return first;
    }

    /** Remembers a restored id under its shard, the current key. */
    void adopt(String dedupKey, long firstOccurredAt, TimerService timers, String shard) throws Exception {
        firstSeen.put(dedupKey, firstOccurredAt);
        if (!sweeps.containsKey(shard)) {
            sweepAt(shard, expiry(firstOccurredAt), timers);
        }
    }

    /** Registers the shard's sweep at the first instant of its grid at or after {@code expiry}. */
    private void sweepAt(String shard, long expiry, TimerService timers) {
        long offset = Math.floorMod(shard.hashCode(), sweepMillis);
        long at = expiry >= Long.MAX_VALUE - 2 * sweepMillis
                ? Long.MAX_VALUE
                : Math.floorDiv(expiry - offset + sweepMillis - 1, sweepMillis) * sweepMillis + offset;
        timers.registerEventTimeTimer(at);
        sweeps.put(shard, at);
    }

    private long expiry(long occurredAt) {
        // "more than the horizon past": a watermark of exactly occurredAt + horizon still de-duplicates
        return occurredAt + horizonMillis + 1;
    }
}
