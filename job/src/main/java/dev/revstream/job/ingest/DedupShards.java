package dev.revstream.job.ingest;

import dev.revstream.model.Event;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The de-duplication's key: one of a fixed set of shards per key group, so that the ids of many
 * events share a key (a map of ids and one sweep timer) instead of a key, a state entry and a timer
 * each.
 *
 * <p>An event's shard lies in the key group its {@link Event#dedupKey()} would have had as a key of
 * its own: a savepoint keyed by those ids (0.1.0, 0.2.0) restores onto the subtask that owns the
 * shard, which adopts it ({@link DedupOperator}). Shard keys contain no {@code '\0'}, which every
 * dedup key does. The shards are a pure function of {@code maxParallelism}: changing how they are
 * named or counted makes a restored state unreachable, like changing a key.
 */
public final class DedupShards implements KeySelector<Event, String> {
    private static final long serialVersionUID = 1L;

    /** About this many shards in all, at least one per key group. */
    static final int SHARDS = 4096;

    private final int maxParallelism;
    private final int perGroup;
    private transient String[] names;

    public DedupShards(int maxParallelism) {
        if (maxParallelism < 1) {
            throw new IllegalArgumentException("max parallelism must be positive: " + maxParallelism);
        }
        this.maxParallelism = maxParallelism;
        this.perGroup = Math.max(1, SHARDS / maxParallelism);
    }

    @Override
    public String getKey(Event e) {
        return of(e.dedupKey());
    }

    /** The shard of a (source, eventId) key. */
    public String of(String dedupKey) {
        String[] n = names();
        int group = KeyGroupRangeAssignment.assignToKeyGroup(dedupKey, maxParallelism);
        if (perGroup == 1) {
            return n[group];
        }
        // other bits of the hash than the key group's murmur of it
        int h = Integer.rotateLeft(dedupKey.hashCode() * 0x9E3779B9, 16);
        return n[group * perGroup + Math.floorMod(h, perGroup)];
    }

    /** Whether a key is a shard's rather than a single event's (a key restored from before the shards). */
    public static boolean isShard(String key) {
        return key.indexOf('\0') < 0;
    }

    /** How many shards there are. */
    int count() {
        return maxParallelism * perGroup;
    }

    private String[] names() {
        if (names == null) {
            // the first names "dedup-shard-<n>" that fall into each key group, perGroup of them per group
            String[] built = new String[maxParallelism * perGroup];
            int[] filled = new int[maxParallelism];
            int left = built.length;
            for (long n = 0; left > 0; n++) {
                String name = "dedup-shard-" + n;
                int group = KeyGroupRangeAssignment.assignToKeyGroup(name, maxParallelism);
                if (filled[group] < perGroup) {
                    built[group * perGroup + filled[group]++] = name;
                    left--;
                }
            }
            names = built;
        }
        return names;
    }
}
