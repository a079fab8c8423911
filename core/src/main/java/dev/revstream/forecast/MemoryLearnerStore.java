package dev.revstream.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link LearnerStore} in plain maps: for the backtest and tests. */
public final class MemoryLearnerStore implements LearnerStore {
    private final MapBook<ForecastDeal> deals = new MapBook<>();
    private final MapBook<List<String>> exposures = new MapBook<>();
    private LearnerState state;

    @Override
    public Book<String, ForecastDeal> deals() {
        return deals;
    }

    @Override
    public Book<String, List<String>> exposures() {
        return exposures;
    }

    @Override
    public LearnerState state() {
        return state;
    }

    @Override
    public void putState(LearnerState state) {
        this.state = state;
    }

    private static final class MapBook<V> implements Book<String, V> {
        private final Map<String, V> map = new LinkedHashMap<>();

        @Override
        public V get(String key) {
            return map.get(key);
        }

        @Override
        public void put(String key, V value) {
            map.put(key, value);
        }

        @Override
        public void remove(String key) {
            map.remove(key);
        }

        @Override
        public Iterable<V> values() {
            return map.values();
        }
    }
}
