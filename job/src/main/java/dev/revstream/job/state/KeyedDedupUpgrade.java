package dev.revstream.job.state;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * The upgrade from the keyed de-duplication of every event to the journey's (in the account's state). A job
 * from before kept the id of every event it had seen in the keyed operator. Restored from such state, events
 * up to a time still take the keyed path (which writes them to the events topic as they arrive; the journey
 * applies and remembers them without writing them): the wall clock at the restore plus
 * {@code ingest.max-future} (no event accepted before was further ahead) plus {@code ingest.dedup-horizon}
 * (an old id matters no longer then). Without {@code ingest.max-future} the time is unbounded.
 *
 * <p>Kept as operator state (a union: after rescaling every subtask takes the latest), so a later restore
 * goes on with it; a new job has none ({@link Long#MIN_VALUE}). A restore in which the operator finds none
 * of it is one from before.
 */
public final class KeyedDedupUpgrade {
    private final ListState<Long> state;
    private final long until;

    private KeyedDedupUpgrade(ListState<Long> state, long until) {
        this.state = state;
        this.until = until;
    }

    /**
     * In {@code initializeState}: the time restored, or (a restore of state from before) computed.
     *
     * @param maxFutureMillis {@code ingest.max-future}; 0 for unbounded
     */
    public static KeyedDedupUpgrade restore(
            FunctionInitializationContext context, long maxFutureMillis, long horizonMillis) throws Exception {
        ListState<Long> state = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("keyed-dedup-until", Types.LONG));
        long until = Long.MIN_VALUE;
        boolean found = false;
        for (Long t : state.get()) {
            until = Math.max(until, t);
            found = true;
        }
        if (context.isRestored() && !found) {
            until = maxFutureMillis <= 0
                    ? Long.MAX_VALUE
                    : saturatedAdd(System.currentTimeMillis(), maxFutureMillis + horizonMillis);
        }
        return new KeyedDedupUpgrade(state, until);
    }

    /** Whether {@code e}'s time is one the keyed path de-duplicates and writes, as before the upgrade. */
    public boolean keyed(long occurredAt) {
        return until != Long.MIN_VALUE && occurredAt <= until;
    }

    /** In {@code snapshotState}. */
    public void snapshot() throws Exception {
        state.update(List.of(until));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
