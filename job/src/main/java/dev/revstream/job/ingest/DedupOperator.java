package dev.revstream.job.ingest;

import dev.revstream.model.Event;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Deduplicator} and, once at start, moves de-duplication state restored from before
 * the shards (each id a key, with a value and a timer) into the ids' shards.
 *
 * <p>Assumes the stream is keyed by {@link DedupShards} of the job's max parallelism: an id and its
 * shard share a key group, so the subtask that restored the id owns its shard. The ids' old timers
 * stay and find nothing when they fire. The restored ids are listed once (their keys, in memory) at
 * the first start on a savepoint from 0.1.0 or 0.2.0, and not again: the old state is emptied.
 */
public final class DedupOperator extends KeyedProcessOperator<String, Event, Event> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DedupOperator.class);

    private final Deduplicator dedup;
    private final DedupShards shards;

    public DedupOperator(Deduplicator dedup, DedupShards shards) {
        super(dedup);
        this.dedup = dedup;
        this.shards = shards;
    }

    @Override
    public void open() throws Exception {
        super.open();
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        List<String> ids;
        try (Stream<String> keys = backend.getKeys(Deduplicator.LEGACY, VoidNamespace.INSTANCE)) {
            ids = keys.filter(k -> !DedupShards.isShard(k)).collect(Collectors.toList());
        }
        if (ids.isEmpty()) {
            return;
        }
        SimpleTimerService timers =
                new SimpleTimerService(getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this));
        int moved = 0;
        for (String id : ids) {
            setCurrentKey(id);
            Long first = dedup.takeLegacy();
            if (first != null) {
                String shard = shards.of(id);
                setCurrentKey(shard);
                dedup.adopt(id, first, timers, shard);
                moved++;
            }
        }
        LOG.info("de-duplication: {} ids restored as keys of their own moved into their shards", moved);
    }
}
