package dev.revstream.job.kpi;

import dev.revstream.forecast.ForecastDeal;
import dev.revstream.forecast.LearnerState;
import dev.revstream.forecast.LearnerStore;
import dev.revstream.job.settings.JobParameters;
import dev.revstream.job.state.RecordFailures;
import dev.revstream.job.state.StagedState;
import dev.revstream.kpi.ArrPoint;
import dev.revstream.kpi.ForecastRecord;
import dev.revstream.kpi.KpiCounters;
import dev.revstream.kpi.KpiEngine;
import dev.revstream.kpi.KpiFact;
import dev.revstream.kpi.KpiLearnerStore;
import dev.revstream.kpi.KpiOutput;
import dev.revstream.kpi.KpiSettings;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiStore;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.kpi.OpenDeal;
import dev.revstream.kpi.PipelineLevel;
import dev.revstream.kpi.Quotas;
import dev.revstream.model.DeadLetter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Windowed KPI snapshots for one dimension value (the key, e.g. {@code segment=smb}): the rules of
 * {@link KpiEngine} over Flink keyed state (RocksDB in the job), with event-time timers for its
 * wake-ups (window ends and marks). Each fact is handed to the engine as it arrives (it waits in a
 * list); each timer fires the engine at its instant, which the watermark reaching it makes safe. A fact behind the last
 * firing (a correction) asks for a firing at the next watermark, which revises what it changes.
 *
 * <p>State (names and types fixed: savepoints of earlier releases restore into them): the totals,
 * the next window end per size, marks and the marks wanted, and the books running totals cannot
 * replace (SQLs after MQLs, churns, open deals, forecasts, ARR history); since corrections, the last
 * instant fired at, the revision and the late facts waiting ({@code late-fact-list}); the facts
 * waiting for their firing ({@code waiting-facts}, appended without a read). Release 0.1.0 kept the
 * waiting facts by instant ({@code pending-facts}, each instant with a timer): at that timer they move
 * into the list. Each call's writes
 * are staged and its snapshots held until it succeeds: a fact or a firing that throws is a dead letter
 * ({@link #DEAD_LETTERS}) and leaves the key's state as it was.
 */
public class KpiFunction extends KeyedProcessFunction<String, KpiFact, KpiSnapshot> {
    private static final long serialVersionUID = 1L;

    private final List<KpiWindow> windows;
    private final List<String> stages;
    private final long lookbackMillis;
    private final long retentionMillis;
    private final double grossMargin;
    private final Long asOfSetting;
    private final long horizonMillis;

    /** Facts and firings whose processing failed, as dead letters ({@code RECORD_FAILED}). */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("kpi-dead-letters", Types.POJO(DeadLetter.class)) {};
    /** The learned forecast of each monthly and quarterly window, as it begins (revops.forecasts). */
    public static final OutputTag<ForecastRecord> FORECASTS =
            new OutputTag<>("kpi-forecasts", Types.POJO(ForecastRecord.class)) {};

    private static final Logger LOG = LoggerFactory.getLogger(KpiFunction.class);

    private transient KpiSettings settings;
    /** A call's keyed-state writes, committed when it succeeds. */
    private transient StagedState staging;

    private transient Store store;
    private transient Counter firings;

    public KpiFunction(List<KpiWindow> windows, List<String> stages, long lookbackMillis, Long asOf) {
        this(windows, stages, lookbackMillis, 365 * 86_400_000L, 1.0, asOf);
    }

    /**
     * @param lookbackMillis L: metrics "in L" use max(L, window length)
     * @param retentionMillis R: retention uses max(R, window length)
     * @param grossMargin for CLV
     * @param asOf the as-of time when known at build time (else from the job parameters), or null
     */
    public KpiFunction(
            List<KpiWindow> windows,
            List<String> stages,
            long lookbackMillis,
            long retentionMillis,
            double grossMargin,
            Long asOf) {
        this(windows, stages, lookbackMillis, retentionMillis, grossMargin, asOf, 0);
    }

    /** @param horizonMillis the correction horizon: late facts up to this far back revise the windows */
    public KpiFunction(
            List<KpiWindow> windows,
            List<String> stages,
            long lookbackMillis,
            long retentionMillis,
            double grossMargin,
            Long asOf,
            long horizonMillis) {
        this.horizonMillis = horizonMillis;
        this.windows = List.copyOf(windows);
        this.stages = List.copyOf(stages);
        this.lookbackMillis = lookbackMillis;
        this.retentionMillis = retentionMillis;
        this.grossMargin = grossMargin;
        this.asOfSetting = asOf;
    }

    private RecordFailures.Fault<KpiFact> fault;
    private Quotas quotas = Quotas.none();

    /** The owners' quotas (kpi.quotas): each window of a quota's period reports it and its attainment. */
    public KpiFunction withQuotas(Quotas quotas) {
        this.quotas = quotas;
        return this;
    }

    /** Fault injection for tests: adding a fact that {@code fault} matches throws once the engine has taken it. */
    KpiFunction failingOn(RecordFailures.Fault<KpiFact> fault) {
        this.fault = fault;
        return this;
    }

    @Override
    public void open(OpenContext ctx) {
        JobParameters params = JobParameters.of(getRuntimeContext());
        settings = new KpiSettings(
                windows,
                stages,
                lookbackMillis,
                retentionMillis,
                grossMargin,
                params.asOf() != null ? params.asOf() : asOfSetting,
                params.earliest(),
                horizonMillis,
                quotas);
        staging = new StagedState();
        store = new Store();
        firings = getRuntimeContext().getMetricGroup().addGroup("revstream").counter("firings");
    }

    /**
     * Adds a fact. All or nothing, like a firing: if the engine throws on it (a bug), the fact is a
     * {@code RECORD_FAILED} dead letter and the key's state stays as it was; the job goes on.
     */
    @Override
    public void processElement(KpiFact f, Context ctx, Collector<KpiSnapshot> out) throws Exception {
        List<KpiSnapshot> held = new ArrayList<>();
        List<ForecastRecord> forecasts = new ArrayList<>();
        try {
            KpiEngine engine = engine(ctx.getCurrentKey(), ctx.timerService(), held, forecasts);
            boolean late = engine.add(f);
            if (fault != null && fault.hits(f)) {
                throw new IllegalStateException(
                        "a fault injected for a " + f.kind() + " fact"); // after the engine took it
            }
            if (late) {
                // a late fact: the next watermark fires the engine, which corrects with every one waiting
                long watermark = ctx.timerService().currentWatermark();
                if (watermark >= Long.MAX_VALUE - 1) {
                    engine.correctNow();
                } else {
                    ctx.timerService().registerEventTimeTimer(watermark + 1);
                }
            }
        } catch (Exception | StackOverflowError | AssertionError ex) {
            staging.discard();
            failed(
                    ctx,
                    "adding the " + f.kind() + " fact at " + Instant.ofEpochMilli(f.at())
                            + (f.weight() > 1 ? " (a sum of " + f.weight() + ")" : "")
                            + (f.accountId() == null ? "" : " of account " + f.accountId())
                            + (f.dealId() == null ? "" : " deal " + f.dealId()),
                    f.at(),
                    ex);
            return;
        }
        staging.commit();
        held.forEach(out::collect);
        forecasts.forEach(r -> ctx.output(FORECASTS, r));
    }

    /** Fires the engine at {@code t}; a firing that throws is a dead letter and leaves the key's state as it was. */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<KpiSnapshot> out) throws Exception {
        firings.inc();
        TimerService timers = ctx.timerService();
        List<KpiSnapshot> held = new ArrayList<>();
        List<ForecastRecord> forecasts = new ArrayList<>();
        try {
            long watermark = timers.currentWatermark();
            engine(ctx.getCurrentKey(), timers, held, forecasts).fire(t, watermark == Long.MAX_VALUE, watermark);
        } catch (Exception | StackOverflowError | AssertionError ex) {
            staging.discard();
            failed(ctx, "the firing at " + Instant.ofEpochMilli(t), t, ex);
            return;
        }
        staging.commit();
        held.forEach(out::collect);
        forecasts.forEach(r -> ctx.output(FORECASTS, r));
    }

    private void failed(Context ctx, String what, long at, Throwable ex) {
        String key = ctx.getCurrentKey();
        LOG.warn("KPIs of {}: {} failed", key, what, ex);
        ctx.output(
                DEAD_LETTERS,
                RecordFailures.ofComputation(
                        "kpis",
                        key,
                        at,
                        "KPIs of " + key + ": " + what + " failed: " + RecordFailures.describe(ex) + "; the windows of "
                                + key + " are as they were before it, the job goes on"));
    }

    private KpiEngine engine(String key, TimerService timers, List<KpiSnapshot> held, List<ForecastRecord> forecasts) {
        return new KpiEngine(settings, key, store, new KpiOutput() {
            @Override
            public void snapshot(KpiSnapshot snapshot) {
                held.add(snapshot);
            }

            @Override
            public void forecast(ForecastRecord forecast) {
                forecasts.add(forecast);
            }

            @Override
            public void wakeUpAt(long t) {
                timers.registerEventTimeTimer(t);
            }
        });
    }

    /** The engine's books in keyed state: one state per book, as release 0.1.0 declared them. */
    private final class Store implements KpiStore {
        private final ValueState<KpiCounters> totals = value("totals", Types.POJO(KpiCounters.class));
        private final ValueState<long[]> nextEnds =
                value("next-ends", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        private final ValueState<Long> firstFactAt = value("first-fact-at", Types.LONG);
        private final ValueState<Long> firedThrough = value("fired-through", Types.LONG);
        private final ValueState<Long> revision = value("revision", Types.LONG);
        private final ListState<KpiFact> late = list("late-fact-list", Types.POJO(KpiFact.class));
        private final ListState<KpiFact> waiting = list("waiting-facts", Types.POJO(KpiFact.class));
        /** Facts waiting by instant, as releases before waiting lists kept them: moved out at their instant. */
        private final MapState<Long, List<KpiFact>> pendingBefore = staging.map(getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("pending-facts", Types.LONG, Types.LIST(Types.POJO(KpiFact.class)))));

        private final Table<Long, KpiCounters> marks = table("marks", Types.LONG, Types.POJO(KpiCounters.class));
        private final Table<Long, Boolean> wantedMarks = table("wanted-marks", Types.LONG, Types.BOOLEAN);
        private final Table<Long, Long> sqlAfterMql = table("sql-after-mql", Types.LONG, Types.LONG);
        private final Table<Long, long[]> sqlTimesAfterMql =
                table("sql-times-after-mql", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        private final Table<Long, long[]> churns =
                table("churns", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        private final Table<String, OpenDeal> openDeals = table("open-deals", Types.STRING, Types.POJO(OpenDeal.class));
        private final Table<String, BigDecimal> forecasts = table("forecasts", Types.STRING, Types.BIG_DEC);
        private final Table<String, List<ArrPoint>> arrHistory =
                table("arr-history", Types.STRING, Types.LIST(Types.POJO(ArrPoint.class)));
        private final Table<String, PipelineLevel> pipelineLevels =
                table("pipeline-levels", Types.STRING, Types.POJO(PipelineLevel.class));
        private final Table<String, ForecastDeal> forecastDeals =
                table("forecast-deals", Types.STRING, Types.POJO(ForecastDeal.class));
        private final Table<String, List<String>> forecastExposures =
                table("forecast-exposures", Types.STRING, Types.LIST(Types.STRING));
        private final Table<String, LearnerState> forecastLearners =
                table("forecast-learners", Types.STRING, Types.POJO(LearnerState.class));

        private <T> ValueState<T> value(String name, TypeInformation<T> type) {
            return staging.value(getRuntimeContext().getState(new ValueStateDescriptor<>(name, type)));
        }

        private <T> ListState<T> list(String name, TypeInformation<T> type) {
            return staging.list(getRuntimeContext().getListState(new ListStateDescriptor<>(name, type)));
        }

        private <K, V> Table<K, V> table(String name, TypeInformation<K> key, TypeInformation<V> value) {
            return new MapTable<>(
                    staging.map(getRuntimeContext().getMapState(new MapStateDescriptor<>(name, key, value))));
        }

        @Override
        public KpiCounters totals() throws Exception {
            return totals.value();
        }

        @Override
        public void putTotals(KpiCounters c) throws Exception {
            totals.update(c);
        }

        @Override
        public long[] nextEnds() throws Exception {
            return nextEnds.value();
        }

        @Override
        public void putNextEnds(long[] ends) throws Exception {
            nextEnds.update(ends);
        }

        @Override
        public Long firstFactAt() throws Exception {
            return firstFactAt.value();
        }

        @Override
        public void putFirstFactAt(long at) throws Exception {
            firstFactAt.update(at);
        }

        @Override
        public Long firedThrough() throws Exception {
            return firedThrough.value();
        }

        @Override
        public void putFiredThrough(long at) throws Exception {
            firedThrough.update(at);
        }

        @Override
        public long revision() throws Exception {
            Long r = revision.value();
            return r == null ? 0 : r;
        }

        @Override
        public void putRevision(long r) throws Exception {
            revision.update(r);
        }

        @Override
        public List<KpiFact> late() throws Exception {
            return listOf(late.get());
        }

        @Override
        public void addLate(KpiFact f) throws Exception {
            late.add(f);
        }

        @Override
        public void clearLate() {
            late.clear();
        }

        @Override
        public List<KpiFact> waiting() throws Exception {
            return listOf(waiting.get());
        }

        @Override
        public void addWaiting(KpiFact f) throws Exception {
            waiting.add(f);
        }

        @Override
        public void putWaiting(List<KpiFact> facts) throws Exception {
            if (facts.isEmpty()) {
                waiting.clear();
            } else {
                waiting.update(facts);
            }
        }

        @Override
        public List<KpiFact> takeWaitingBefore() throws Exception {
            List<KpiFact> all = new ArrayList<>();
            for (Map.Entry<Long, List<KpiFact>> e : pendingBefore.entries()) {
                all.addAll(e.getValue());
            }
            if (!all.isEmpty()) {
                pendingBefore.clear();
            }
            return all;
        }

        private static List<KpiFact> listOf(Iterable<KpiFact> facts) {
            if (facts == null) {
                return List.of();
            }
            if (facts instanceof List<KpiFact> fresh) {
                return fresh; // the staged list's copy
            }
            List<KpiFact> list = new ArrayList<>();
            facts.forEach(list::add);
            return list;
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

        @Override
        public Table<String, PipelineLevel> pipelineLevels() {
            return pipelineLevels;
        }

        @Override
        public LearnerStore learner(String size) {
            return new KpiLearnerStore(size, forecastDeals, forecastExposures, forecastLearners);
        }
    }

    /** A book as a map state. */
    private record MapTable<K, V>(MapState<K, V> state) implements KpiStore.Table<K, V> {
        @Override
        public V get(K key) throws Exception {
            return state.get(key);
        }

        @Override
        public boolean contains(K key) throws Exception {
            return state.contains(key);
        }

        @Override
        public void put(K key, V value) throws Exception {
            state.put(key, value);
        }

        @Override
        public void remove(K key) throws Exception {
            state.remove(key);
        }

        @Override
        public Iterable<K> keys() throws Exception {
            return state.keys();
        }

        @Override
        public Iterable<V> values() throws Exception {
            return state.values();
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries() throws Exception {
            return state.entries();
        }
    }
}
