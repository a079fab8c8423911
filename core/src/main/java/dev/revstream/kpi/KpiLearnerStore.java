package dev.revstream.kpi;

import dev.revstream.forecast.Book;
import dev.revstream.forecast.ForecastDeal;
import dev.revstream.forecast.LearnerState;
import dev.revstream.forecast.LearnerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The books of one window size's learned forecast in a dimension value's KPI tables, shared by the sizes
 * under a prefix ({@code 1Q|<deal id>}): the open deals, their exposures, and the learner's state.
 */
public final class KpiLearnerStore implements LearnerStore {
    private final String prefix;
    private final String size;
    private final Book<String, ForecastDeal> deals;
    private final Book<String, List<String>> exposures;
    private final KpiStore.Table<String, LearnerState> states;

    public KpiLearnerStore(
            String size,
            KpiStore.Table<String, ForecastDeal> deals,
            KpiStore.Table<String, List<String>> exposures,
            KpiStore.Table<String, LearnerState> states) {
        this.size = size;
        this.prefix = size + "|";
        this.deals = new Prefixed<>(prefix, deals);
        this.exposures = new Prefixed<>(prefix, exposures);
        this.states = states;
    }

    @Override
    public Book<String, ForecastDeal> deals() {
        return deals;
    }

    @Override
    public Book<String, List<String>> exposures() {
        return exposures;
    }

    @Override
    public LearnerState state() throws Exception {
        return states.get(size);
    }

    @Override
    public void putState(LearnerState state) throws Exception {
        states.put(size, state);
    }

    private record Prefixed<V>(String prefix, KpiStore.Table<String, V> table) implements Book<String, V> {
        @Override
        public V get(String key) throws Exception {
            return table.get(prefix + key);
        }

        @Override
        public void put(String key, V value) throws Exception {
            table.put(prefix + key, value);
        }

        @Override
        public void remove(String key) throws Exception {
            table.remove(prefix + key);
        }

        @Override
        public Iterable<V> values() throws Exception {
            List<V> out = new ArrayList<>();
            for (Map.Entry<String, V> e : table.entries()) {
                if (e.getKey().startsWith(prefix)) {
                    out.add(e.getValue());
                }
            }
            return out;
        }
    }
}
