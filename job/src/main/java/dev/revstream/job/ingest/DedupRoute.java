package dev.revstream.job.ingest;

import dev.revstream.identity.Resolution;
import dev.revstream.job.state.KeyedDedupUpgrade;
import dev.revstream.model.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each accepted event to where it is de-duplicated. One that names its account goes straight on to
 * the journey, which de-duplicates it in the account's state (no state entry or timer of its own) and writes
 * it to the events topic when it applies it ({@link Event#pendingWrite()}); the rest
 * (deal events, events whose account identity resolution finds, events without an account, identity links
 * and privacy requests) go to {@link #KEYED}, for the keyed {@link Deduplicator}, which writes them as they
 * arrive. An event of the first kind
 * that is as far behind event time as the correction horizon goes to {@link Deduplicator#LATE} here, as the
 * keyed path does for the rest ({@link LateRouting}); this operator sees its source subtask's event time,
 * which is at or ahead of the job's.
 *
 * <p>Upgrades: restored from state of the keyed de-duplication of every event, events up to a time take the
 * keyed path as before ({@link KeyedDedupUpgrade}). State: that time, as operator state.
 */
public class DedupRoute extends ProcessFunction<Event, Event> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Events for the keyed de-duplication. */
    public static final OutputTag<Event> KEYED = new OutputTag<>("keyed-dedup", Types.POJO(Event.class)) {};

    private final long correctionHorizonMillis;
    private final long dedupHorizonMillis;
    private final long maxFutureMillis;

    private transient LateRouting late;
    private transient KeyedDedupUpgrade upgrade;

    /**
     * @param maxFutureMillis {@code ingest.max-future}; 0 when events ahead of the wall clock are not bounded
     */
    public DedupRoute(long correctionHorizonMillis, long dedupHorizonMillis, long maxFutureMillis) {
        this.correctionHorizonMillis = correctionHorizonMillis;
        this.dedupHorizonMillis = dedupHorizonMillis;
        this.maxFutureMillis = maxFutureMillis;
    }

    /** Whether the journey de-duplicates {@code e} (and writes it to the events topic once applied). */
    public static boolean toAccount(Event e) {
        return Resolution.of(e) == Resolution.Route.ACCOUNT;
    }

    @Override
    public void open(OpenContext ctx) {
        late = new LateRouting(getRuntimeContext(), correctionHorizonMillis);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        upgrade = KeyedDedupUpgrade.restore(context, maxFutureMillis, dedupHorizonMillis);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        upgrade.snapshot();
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) {
        if (!toAccount(e) || upgrade.keyed(e.occurredAt())) {
            ctx.output(KEYED, e);
            return;
        }
        if (late.routed(
                e,
                ctx.timerService().currentWatermark(),
                l -> ctx.output(Deduplicator.LATE, l),
                s -> ctx.output(Deduplicator.QUALITY, s))) {
            return;
        }
        out.collect(e.withPendingWrite());
    }
}
