package dev.revstream.kpi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The KPI books of one dimension value in plain maps, with the wake-ups as a timer queue the way
 * Flink fires event-time timers: {@link #advanceTo} fires every wake-up at or before the watermark,
 * in time order, each instant once (also those asked for while firing).
 */
final class MemoryKpiStore implements KpiStore, KpiOutput {
    private final KpiSettings settings;
    private final String key;
    private final TreeSet<Long> wakeUps = new TreeSet<>();
    private long watermark = Long.MIN_VALUE;
    final List<KpiSnapshot> snapshots = new ArrayList<>();
    /** How many instants the engine was fired at. */
    int firings;

    private KpiCounters totals;
    private long[] nextEnds;
    private Long firstFactAt;
    private Long firedThrough;
    private long revision;
    private final List<KpiFact> late = new ArrayList<>();
    private final List<KpiFact> waiting = new ArrayList<>();
    /** Facts as an earlier release kept them waiting, by instant (each with a wake-up). */
    final TreeMap<Long, List<KpiFact>> legacyWaiting = new TreeMap<>();

    final MapTable<Long, KpiCounters> marks = new MapTable<>();
    final MapTable<Long, Boolean> wantedMarks = new MapTable<>();
    final MapTable<Long, Long> sqlAfterMql = new MapTable<>();
    final MapTable<Long, long[]> sqlTimesAfterMql = new MapTable<>();
    final MapTable<Long, long[]> churns = new MapTable<>();
    final MapTable<String, OpenDeal> openDeals = new MapTable<>();
    final MapTable<String, BigDecimal> forecasts = new MapTable<>();
    final MapTable<String, List<ArrPoint>> arrHistory = new MapTable<>();

    MemoryKpiStore(KpiSettings settings, String key) {
        this.settings = settings;
        this.key = key;
    }

    private KpiEngine engine() {
        return new KpiEngine(settings, key, this, this);
    }

    /** A fact, under this store's dimension value; one behind the last firing corrects at the next watermark. */
    MemoryKpiStore add(KpiFact f) throws Exception {
        int eq = key.indexOf('=');
        if (engine().add(f.under(key.substring(0, eq), key.substring(eq + 1)))) {
            wakeUps.add(watermark + 1);
        }
        return this;
    }

    /** Lets time pass to {@code w}; {@code Long.MAX_VALUE} is the end of the input. */
    MemoryKpiStore advanceTo(long w) throws Exception {
        watermark = w;
        while (!wakeUps.isEmpty() && wakeUps.first() <= w) {
            engine().fire(wakeUps.pollFirst(), w == Long.MAX_VALUE, w);
            firings++;
        }
        return this;
    }

    /** As after a restore: the books and wake-ups are kept, the watermark is not known yet. */
    MemoryKpiStore restored() {
        watermark = Long.MIN_VALUE;
        return this;
    }

    int wakeUpsLeft() {
        return wakeUps.size();
    }

    @Override
    public void snapshot(KpiSnapshot snapshot) {
        snapshots.add(snapshot);
    }

    @Override
    public void wakeUpAt(long t) {
        wakeUps.add(t);
    }

    @Override
    public KpiCounters totals() {
        return totals;
    }

    @Override
    public void putTotals(KpiCounters c) {
        totals = c;
    }

    @Override
    public long[] nextEnds() {
        return nextEnds == null ? null : nextEnds.clone();
    }

    @Override
    public void putNextEnds(long[] ends) {
        nextEnds = ends.clone();
    }

    @Override
    public Long firstFactAt() {
        return firstFactAt;
    }

    @Override
    public void putFirstFactAt(long at) {
        firstFactAt = at;
    }

    @Override
    public Long firedThrough() {
        return firedThrough;
    }

    @Override
    public void putFiredThrough(long at) {
        firedThrough = at;
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public void putRevision(long r) {
        revision = r;
    }

    @Override
    public List<KpiFact> late() {
        return new ArrayList<>(late);
    }

    @Override
    public void addLate(KpiFact f) {
        late.add(f);
    }

    @Override
    public void clearLate() {
        late.clear();
    }

    @Override
    public List<KpiFact> waiting() {
        return new ArrayList<>(waiting);
    }

    @Override
    public void addWaiting(KpiFact f) {
        waiting.add(f);
    }

    @Override
    public void putWaiting(List<KpiFact> facts) {
        waiting.clear();
        waiting.addAll(facts);
    }

    @Override
    public List<KpiFact> takeWaitingBefore() {
        List<KpiFact> all = new ArrayList<>();
        legacyWaiting.values().forEach(all::addAll);
        legacyWaiting.clear();
        return all;
    }

    /**
     * Adds a fact (on time) as a release before waiting lists kept it: under its instant, with a wake-up
     * there.
     */
    MemoryKpiStore addAsBefore(KpiFact f) throws Exception {
        add(f);
        KpiFact kept = waiting.remove(waiting.size() - 1);
        legacyWaiting.computeIfAbsent(kept.at(), at -> new ArrayList<>()).add(kept);
        wakeUps.add(kept.at());
        return this;
    }

    @Override
    public Table<Long, KpiCounters> marks() {
        return marks;
    }

    @Override
    public Table<Long, Boolean> wantedMarks() {
        return wantedMarks;
    }

    @Override
    public Table<Long, Long> sqlAfterMql() {
        return sqlAfterMql;
    }

    @Override
    public Table<Long, long[]> sqlTimesAfterMql() {
        return sqlTimesAfterMql;
    }

    @Override
    public Table<Long, long[]> churns() {
        return churns;
    }

    @Override
    public Table<String, OpenDeal> openDeals() {
        return openDeals;
    }

    @Override
    public Table<String, BigDecimal> forecasts() {
        return forecasts;
    }

    @Override
    public Table<String, List<ArrPoint>> arrHistory() {
        return arrHistory;
    }

    final MapTable<String, PipelineLevel> pipelineLevels = new MapTable<>();

    @Override
    public Table<String, PipelineLevel> pipelineLevels() {
        return pipelineLevels;
    }

    final MapTable<String, dev.revstream.forecast.ForecastDeal> forecastDeals = new MapTable<>();
    final MapTable<String, List<String>> forecastExposures = new MapTable<>();
    final MapTable<String, dev.revstream.forecast.LearnerState> forecastLearners = new MapTable<>();

    @Override
    public dev.revstream.forecast.LearnerStore learner(String size) {
        return new KpiLearnerStore(size, forecastDeals, forecastExposures, forecastLearners);
    }

    static final class MapTable<K, V> implements Table<K, V> {
        final TreeMap<K, V> map = new TreeMap<>();

        @Override
        public V get(K key) {
            return map.get(key);
        }

        @Override
        public boolean contains(K key) {
            return map.containsKey(key);
        }

        @Override
        public void put(K key, V value) {
            map.put(key, value);
        }

        @Override
        public void remove(K key) {
            map.remove(key);
        }

        @Override
        public Iterable<K> keys() {
            return new ArrayList<>(map.keySet());
        }

        @Override
        public Iterable<V> values() {
            return new ArrayList<>(map.values());
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() {
            return new ArrayList<>(map.entrySet());
        }
    }
}
