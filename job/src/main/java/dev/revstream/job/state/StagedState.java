package dev.revstream.job.state;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The writes of one call (a firing or an arrival) to one account's keyed state, held back until the call
 * has succeeded: {@link #commit} writes them, {@link #discard} drops them, so that a failure half-way
 * leaves the account's state exactly as it was. Reads see the writes made so far; several writes of one
 * key in a call reach RocksDB once.
 *
 * <p>Assumes what Flink's keyed state assumes: one key at a time. Every call ends in {@code commit} or
 * {@code discard} before the key changes; nothing is held across calls.
 */
public final class StagedState {
    private final List<Staged> all = new ArrayList<>();

    private interface Staged {
        void commit() throws Exception;

        void discard();
    }

    public <K, V> MapState<K, V> map(MapState<K, V> state) {
        StagedMap<K, V> m = new StagedMap<>(state);
        all.add(m);
        return m;
    }

    public <T> ListState<T> list(ListState<T> state) {
        StagedList<T> l = new StagedList<>(state);
        all.add(l);
        return l;
    }

    public <T> ValueState<T> value(ValueState<T> state) {
        StagedValue<T> v = new StagedValue<>(state);
        all.add(v);
        return v;
    }

    /** Writes what this call staged. */
    public void commit() throws Exception {
        for (Staged s : all) {
            s.commit();
        }
    }

    /** Forgets what this call staged. */
    public void discard() {
        for (Staged s : all) {
            s.discard();
        }
    }

    private static final class StagedValue<T> implements ValueState<T>, Staged {
        private final ValueState<T> state;
        private boolean written;
        private T value;

        StagedValue(ValueState<T> state) {
            this.state = state;
        }

        @Override
        public T value() throws java.io.IOException {
            return written ? value : state.value();
        }

        @Override
        public void update(T v) {
            written = true;
            value = v;
        }

        @Override
        public void clear() {
            update(null);
        }

        @Override
        public void commit() throws Exception {
            if (written) {
                if (value == null) {
                    state.clear();
                } else {
                    state.update(value);
                }
            }
            discard();
        }

        @Override
        public void discard() {
            written = false;
            value = null;
        }
    }

    /** Staged writes of a map: a value, or null for a removal; {@code cleared} drops what the state held. */
    private static final class StagedMap<K, V> implements MapState<K, V>, Staged {
        private final MapState<K, V> state;
        private final Map<K, V> writes = new LinkedHashMap<>();
        private boolean cleared;

        StagedMap(MapState<K, V> state) {
            this.state = state;
        }

        @Override
        public V get(K key) throws Exception {
            if (writes.containsKey(key)) {
                return writes.get(key);
            }
            return cleared ? null : state.get(key);
        }

        @Override
        public void put(K key, V value) {
            writes.put(key, value);
        }

        @Override
        public void putAll(Map<K, V> map) {
            writes.putAll(map);
        }

        @Override
        public void remove(K key) {
            writes.put(key, null);
        }

        @Override
        public boolean contains(K key) throws Exception {
            return get(key) != null;
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() throws Exception {
            if (writes.isEmpty() && !cleared) {
                return state.entries(); // the common case: one iterator, as without staging
            }
            // the state's entries in its order with the staged values over them, then the new keys
            Map<K, V> merged = new LinkedHashMap<>();
            if (!cleared) {
                for (Map.Entry<K, V> e : state.entries()) {
                    merged.put(e.getKey(), e.getValue());
                }
            }
            for (Map.Entry<K, V> w : writes.entrySet()) {
                if (w.getValue() == null) {
                    merged.remove(w.getKey());
                } else {
                    merged.put(w.getKey(), w.getValue());
                }
            }
            return new ArrayList<>(merged.entrySet());
        }

        @Override
        public Iterable<K> keys() throws Exception {
            if (writes.isEmpty() && !cleared) {
                return state.keys();
            }
            // as entries() orders them, without reading the values (a buffer of events asked for its times)
            List<K> keys = new ArrayList<>();
            Set<K> held = new HashSet<>();
            if (!cleared) {
                for (K k : state.keys()) {
                    held.add(k);
                    if (!writes.containsKey(k) || writes.get(k) != null) {
                        keys.add(k);
                    }
                }
            }
            for (Map.Entry<K, V> w : writes.entrySet()) {
                if (w.getValue() != null && !held.contains(w.getKey())) {
                    keys.add(w.getKey());
                }
            }
            return keys;
        }

        @Override
        public Iterable<V> values() throws Exception {
            if (writes.isEmpty() && !cleared) {
                return state.values();
            }
            List<V> values = new ArrayList<>();
            entries().forEach(e -> values.add(e.getValue()));
            return values;
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() throws Exception {
            return entries().iterator();
        }

        @Override
        public boolean isEmpty() throws Exception {
            return !entries().iterator().hasNext();
        }

        @Override
        public void clear() {
            cleared = true;
            writes.clear();
        }

        @Override
        public void commit() throws Exception {
            if (cleared) {
                state.clear();
            }
            for (Map.Entry<K, V> w : writes.entrySet()) {
                if (w.getValue() == null) {
                    if (!cleared) {
                        state.remove(w.getKey());
                    }
                } else {
                    state.put(w.getKey(), w.getValue());
                }
            }
            discard();
        }

        @Override
        public void discard() {
            writes.clear();
            cleared = false;
        }
    }

    /**
     * Staged writes of a list: appends (RocksDB merges them without reading the list) or a replacement.
     * {@code get} returns a copy the caller may keep.
     */
    private static final class StagedList<T> implements ListState<T>, Staged {
        private final ListState<T> state;
        private final List<T> appended = new ArrayList<>();
        /** The list that replaces the state's, or null for none. */
        private List<T> replaced;

        StagedList(ListState<T> state) {
            this.state = state;
        }

        @Override
        public Iterable<T> get() throws Exception {
            List<T> all = new ArrayList<>();
            if (replaced != null) {
                all.addAll(replaced);
            } else {
                Iterable<T> held = state.get();
                if (held != null) {
                    held.forEach(all::add);
                }
            }
            all.addAll(appended);
            return all;
        }

        @Override
        public void add(T value) {
            appended.add(value);
        }

        @Override
        public void addAll(List<T> values) {
            appended.addAll(values);
        }

        @Override
        public void update(List<T> values) {
            replaced = new ArrayList<>(values);
            appended.clear();
        }

        @Override
        public void clear() {
            update(List.of());
        }

        @Override
        public void commit() throws Exception {
            if (replaced != null) {
                replaced.addAll(appended);
                if (replaced.isEmpty()) {
                    state.clear();
                } else {
                    state.update(replaced);
                }
            } else if (!appended.isEmpty()) {
                state.addAll(appended);
            }
            discard();
        }

        @Override
        public void discard() {
            appended.clear();
            replaced = null;
        }
    }
}
