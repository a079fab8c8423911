package dev.revstream.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.junit.jupiter.api.Test;

/**
 * Staged writes over a map (reads see them, keys come in the order entries do) and over a list (appends
 * and replacements in order); commit and discard hold.
 */
class StagedStateTest {

    @Test
    void keysAndEntriesAgreeWhateverWasStaged() throws Exception {
        Random r = new Random(5);
        for (int round = 0; round < 2_000; round++) {
            Map<Long, String> committed = new LinkedHashMap<>();
            for (int i = 0, n = r.nextInt(6); i < n; i++) {
                committed.put((long) r.nextInt(10), "v" + i);
            }
            StagedState staging = new StagedState();
            MapState<Long, String> m = staging.map(new InMemory(new LinkedHashMap<>(committed)));
            Map<Long, String> expected = new LinkedHashMap<>(committed);
            for (int op = 0, n = r.nextInt(6); op < n; op++) {
                long k = r.nextInt(10);
                switch (r.nextInt(5)) {
                    case 0, 1 -> {
                        m.put(k, "w" + op);
                        expected.put(k, "w" + op);
                    }
                    case 2, 3 -> {
                        m.remove(k);
                        expected.remove(k);
                    }
                    default -> {
                        if (r.nextInt(4) == 0) {
                            m.clear();
                            expected.clear();
                        }
                    }
                }
            }
            List<Long> fromEntries = new ArrayList<>();
            m.entries().forEach(e -> fromEntries.add(e.getKey()));
            List<Long> keys = new ArrayList<>();
            m.keys().forEach(keys::add);
            assertThat(keys).as("round %d", round).isEqualTo(fromEntries);
            assertThat(keys).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (long k = 0; k < 10; k++) {
                assertThat(m.get(k)).isEqualTo(expected.get(k));
            }
            if (r.nextBoolean()) {
                staging.commit();
            } else {
                staging.discard();
                expected = committed;
            }
            List<Long> after = new ArrayList<>();
            m.keys().forEach(after::add);
            assertThat(after).containsExactlyInAnyOrderElementsOf(expected.keySet());
        }
    }

    @Test
    void aListReadsWhatWasStagedAndCommitsItInOrder() throws Exception {
        Random r = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            List<String> committed = new ArrayList<>();
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                committed.add("c" + i);
            }
            InMemoryList held = new InMemoryList(new ArrayList<>(committed));
            StagedState staging = new StagedState();
            ListState<String> l = staging.list(held);
            List<String> expected = new ArrayList<>(committed);
            for (int op = 0, n = r.nextInt(6); op < n; op++) {
                switch (r.nextInt(4)) {
                    case 0 -> {
                        l.add("a" + op);
                        expected.add("a" + op);
                    }
                    case 1 -> {
                        l.addAll(List.of("b" + op, "B" + op));
                        expected.addAll(List.of("b" + op, "B" + op));
                    }
                    case 2 -> {
                        List<String> kept = expected.subList(0, r.nextInt(expected.size() + 1));
                        expected = new ArrayList<>(kept);
                        l.update(expected);
                    }
                    default -> {
                        l.clear();
                        expected = new ArrayList<>();
                    }
                }
                List<String> read = new ArrayList<>();
                l.get().forEach(read::add);
                assertThat(read).as("round %d", round).isEqualTo(expected);
            }
            if (r.nextBoolean()) {
                staging.commit();
            } else {
                staging.discard();
                expected = committed;
            }
            assertThat(held.list()).as("round %d: what the state holds", round).isEqualTo(expected);
            List<String> after = new ArrayList<>();
            l.get().forEach(after::add);
            assertThat(after).isEqualTo(expected);
        }
    }

    /** A list state over a list: as RocksDB's, an empty list reads as null. */
    private record InMemoryList(List<String> list) implements ListState<String> {
        @Override
        public Iterable<String> get() {
            return list.isEmpty() ? null : new ArrayList<>(list);
        }

        @Override
        public void add(String value) {
            list.add(value);
        }

        @Override
        public void addAll(List<String> values) {
            list.addAll(values);
        }

        @Override
        public void update(List<String> values) {
            list.clear();
            list.addAll(values);
        }

        @Override
        public void clear() {
            list.clear();
        }
    }

    /** A map state over a map (the staging under test needs nothing of Flink's). */
    private record InMemory(Map<Long, String> map) implements MapState<Long, String> {
        @Override
        public String get(Long key) {
            return map.get(key);
        }

        @Override
        public void put(Long key, String value) {
            map.put(key, value);
        }

        @Override
        public void putAll(Map<Long, String> m) {
            map.putAll(m);
        }

        @Override
        public void remove(Long key) {
            map.remove(key);
        }

        @Override
        public boolean contains(Long key) {
            return map.containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<Long, String>> entries() {
            return new ArrayList<>(map.entrySet());
        }

        @Override
        public Iterable<Long> keys() {
            return new ArrayList<>(map.keySet());
        }

        @Override
        public Iterable<String> values() {
            return new ArrayList<>(map.values());
        }

        @Override
        public Iterator<Map.Entry<Long, String>> iterator() {
            return entries().iterator();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public void clear() {
            map.clear();
        }
    }
}
