package dev.revstream.job;

import dev.revstream.actions.Recommendation;
import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.cli.CommandLines;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.identity.Resolution;
import dev.revstream.identity.Resolution.Route;
import dev.revstream.job.identity.AccountResolver;
import dev.revstream.job.identity.AccountResolver.Stage;
import dev.revstream.job.ingest.DedupRoute;
import dev.revstream.job.ingest.Deduplicator;
import dev.revstream.job.ingest.IngestRouter;
import dev.revstream.job.journey.JourneyFunction;
import dev.revstream.job.kpi.KpiFanOut;
import dev.revstream.job.kpi.KpiFunction;
import dev.revstream.job.kpi.KpiSums;
import dev.revstream.job.quality.DataQualityCounter;
import dev.revstream.job.quality.QualitySums;
import dev.revstream.job.settings.JobParameters;
import dev.revstream.job.time.LiveWatermarks;
import dev.revstream.job.time.SubtaskReads;
import dev.revstream.job.warehouse.KpiRow;
import dev.revstream.job.warehouse.KpiRows;
import dev.revstream.job.warehouse.WarehouseSinks;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.ForecastRecord;
import dev.revstream.kpi.KpiFact;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.model.Channel;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.model.LateEvent;
import dev.revstream.model.TouchpointType;
import dev.revstream.quality.QualityReport;
import dev.revstream.quality.QualitySample;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompressionType;

/**
 * revstream's one job graph: a single Kafka source over both input topics (parsed and validated
 * inside the source, watermarks per partition), then routing of dead letters and late events, de-duplication
 * (in the account's journey for events that name their account, else keyed by (source, eventId)), identity
 * resolution, the journey, the KPIs, the normalized-events sink and the data-quality counts.
 * Sources and sinks are injected ({@link Io}; {@link KafkaIo} is the production wiring), so tests can wire the same
 * graph to what they need.
 */
public final class RevstreamJob {
    private RevstreamJob() {}

    /** The job jar's entry point on a Flink cluster; see {@link dev.revstream.job.ClusterSubmit}. */
    public static void main(String[] args) {
        int code = CommandLines.of(new ClusterSubmit()).execute(args);
        if (code != 0) {
            // no System.exit: in application mode this main runs inside the JobManager
            throw new IllegalStateException("revstream-job exited with code " + code);
        }
    }

    /** Live runs follow the wall clock when idle; bounded replays never do and end at the input's end. */
    public enum RunKind {
        LIVE,
        BOUNDED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the job reads and writes. */
    public record Io(
            Source<Ingested, ?, ?> input,
            Sink<Event> events,
            Sink<DeadLetter> deadLetters,
            Sink<LateEvent> late,
            Sink<QualityReport> quality,
            Sink<JourneyUpdate> journey,
            Sink<Alert> alerts,
            Sink<KpiSnapshot> kpis,
            Sink<ForecastRecord> forecasts,
            Sink<AttributionRecord> attribution,
            Sink<Recommendation> actions,
            WarehouseSinks warehouse) {}

    /** Settings every environment of this job gets, local or cluster. */
    public static void configure(StreamExecutionEnvironment env, RevstreamConfig cfg, Long asOf) {
        configure(env, cfg, asOf, null);
    }

    /**
     * @param asOf a bounded run's as-of time, or null
     * @param earliest a bounded run's earliest accepted event time (KPI windows start there), or null
     */
    public static void configure(StreamExecutionEnvironment env, RevstreamConfig cfg, Long asOf, Long earliest) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false); // a Kryo fallback is a bug: fail at start-up
        // every record on a stream is an immutable Java record: chained operators may share it uncopied
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, cfg.time().watermarkInterval());
        c.set(PipelineOptions.MAX_PARALLELISM, cfg.job().maxParallelism());
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // most reads look up a key that is not there (a new event id, an account without waiting events):
        // a bloom filter answers from memory instead of reading and decompressing a block of each level
        c.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        // LZ4 in place of Flink's default Snappy: RocksDB compresses every flush and compaction and decompresses
        // every block read from its files; LZ4 does both for less CPU at about the same size (docs/performance.md)
        c.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.LZ4_COMPRESSION));
        c.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, cfg.job().checkpointTimeout());
        Map<String, String> params = new JobParameters(asOf, earliest).toMap();
        if (!params.isEmpty()) {
            c.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, params);
        }
        // anything else Flink offers, as flink.<option> in revstream's configuration
        cfg.flinkOptions().forEach(c::setString);
        env.configure(c);
        env.setParallelism(cfg.job().parallelism());
        env.enableCheckpointing(cfg.job().checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /** Wires the graph onto {@code env}; a bounded run holds event time until its input ends. */
    public static void build(StreamExecutionEnvironment env, RevstreamConfig cfg, RunKind kind, Io io) {
        build(env, cfg, kind, io, null);
    }

    /**
     * Wires the graph onto {@code env}.
     *
     * @param disorderMillis a bounded run's input disorder ({@link AsOfScanner.Span#disorderMillis()}): its
     *     watermarks allow that much, so nothing is behind them; null to hold event time until the input ends
     */
    public static void build(
            StreamExecutionEnvironment env, RevstreamConfig cfg, RunKind kind, Io io, Long disorderMillis) {
        if (kind == RunKind.BOUNDED && cfg.job().boundedInBatch()) {
            // sorted input per key, every record before any timer, no checkpoints (job.bounded-execution)
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        }
        if (kind == RunKind.BOUNDED) {
            // a replay: an account or KPI value fires once for everything it received between two watermarks
            env.getConfig()
                    .setAutoWatermarkInterval(
                            cfg.time().boundedWatermarkInterval().toMillis());
        }
        DataStream<Ingested> ingested = env.fromSource(io.input(), watermarks(cfg, kind, disorderMillis), "kafka-input")
                .uid("kafka-input");

        SingleOutputStreamOperator<Event> accepted =
                ingested.process(new IngestRouter()).uid("ingest-router").name("ingest-router");

        // events that name their account are de-duplicated in the account's state by the journey, the rest keyed
        SingleOutputStreamOperator<Event> toAccount = accepted.process(new DedupRoute(
                        cfg.time().correctionHorizon().toMillis(),
                        cfg.ingest().dedupHorizon().toMillis(),
                        cfg.ingest().maxFuture().toMillis()))
                .uid("dedup-route")
                .name("dedup-route");
        SingleOutputStreamOperator<Event> unique = toAccount
                .getSideOutput(DedupRoute.KEYED)
                .keyBy(Event::dedupKey, Types.STRING)
                .process(new Deduplicator(
                        cfg.ingest().dedupHorizon().toMillis(),
                        cfg.ingest().dedupTtl(),
                        cfg.time().correctionHorizon().toMillis()))
                .uid("dedup")
                .name("dedup");

        // events that name no account find it by their deal, person or visitor (docs/sources.md#identity)
        SingleOutputStreamOperator<Event> byDeal = unique.filter(e -> Resolution.of(e) == Route.DEAL)
                .name("deal-events")
                .keyBy(Resolution::dealKey, Types.STRING)
                .process(new AccountResolver(Stage.DEAL, cfg.identity()))
                .uid("deal-accounts")
                .name("deal-accounts");
        SingleOutputStreamOperator<Event> byVisitor = unique.filter(e -> Resolution.of(e) == Route.VISITOR)
                .name("visitor-events")
                .keyBy(Event::anonymousId, Types.STRING)
                .process(new AccountResolver(Stage.VISITOR, cfg.identity()))
                .uid("visitor-identity")
                .name("visitor-identity");
        SingleOutputStreamOperator<Event> byPerson = unique.filter(e -> Resolution.of(e) == Route.PERSON)
                .name("person-events")
                .union(byVisitor.getSideOutput(AccountResolver.TO_PERSON))
                .keyBy(Event::contactId, Types.STRING)
                .process(new AccountResolver(Stage.PERSON, cfg.identity()))
                .uid("person-identity")
                .name("person-identity");
        SingleOutputStreamOperator<JourneyUpdate> journey = unique.filter(e -> Resolution.of(e) == Route.ACCOUNT)
                .name("with-account")
                .union(toAccount, byDeal, byVisitor, byPerson)
                .keyBy(Event::accountId, Types.STRING)
                .process(new JourneyFunction(
                                cfg.journeySettings(),
                                cfg.alerts().journeyStateTtl(),
                                cfg.rules(),
                                cfg.time().correctionHorizon())
                        .deduplicating(cfg.ingest().dedupHorizon()))
                .uid("journey")
                .name("journey");
        // every event once: the keyed path's as they arrive, those that name their account as the journey applies them
        DataStream<Event> applied = journey.getSideOutput(JourneyFunction.EVENTS);
        DataStream<Event> events = unique.union(applied);
        events.sinkTo(io.events()).uid("events-sink").name("events-sink");
        unique.getSideOutput(Deduplicator.LATE)
                .union(toAccount.getSideOutput(Deduplicator.LATE), journey.getSideOutput(JourneyFunction.LATE))
                .sinkTo(io.late())
                .uid("late-sink")
                .name("late-sink");
        journey.sinkTo(io.journey()).uid("journey-sink").name("journey-sink");
        journey.getSideOutput(JourneyFunction.ATTRIBUTION)
                .sinkTo(io.attribution())
                .uid("attribution-sink")
                .name("attribution-sink");

        // filtered where they are made (chained): only spend events cross to the facts
        DataStream<KpiFact> spend = spendOf(unique, "spend")
                .union(spendOf(applied, "applied-spend"))
                .map(e -> new KpiFact(
                        FactKind.SPEND,
                        e.occurredAt(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        e.channel() == null ? Channel.OTHER.wireName() : e.channel(),
                        1,
                        e.amount(),
                        null,
                        0,
                        false,
                        e.accountId(),
                        null,
                        null,
                        -1))
                .returns(Types.POJO(KpiFact.class))
                .name("spend-facts");
        // facts fanned out and summed in the operators that make them: one serialization, on the way to the KPIs
        SingleOutputStreamOperator<KpiSnapshot> kpis = kpiFacts(
                        journey.getSideOutput(JourneyFunction.FACTS), cfg, "journey")
                .union(kpiFacts(spend, cfg, "spend"))
                .keyBy(KpiFact::key, Types.STRING)
                .process(new KpiFunction(
                                cfg.kpi().windows(),
                                cfg.deals().stages().stream()
                                        .map(RevstreamConfig.Stage::name)
                                        .toList(),
                                cfg.kpi().lookback().toMillis(),
                                cfg.kpi().retentionLookback().toMillis(),
                                cfg.kpi().grossMargin(),
                                null,
                                cfg.time().correctionHorizon().toMillis())
                        .withQuotas(cfg.kpi().quotas()))
                .uid("kpis")
                .name("kpis");
        kpis.sinkTo(io.kpis()).uid("kpis-sink").name("kpis-sink");
        kpis.getSideOutput(KpiFunction.FORECASTS)
                .sinkTo(io.forecasts())
                .uid("forecasts-sink")
                .name("forecasts-sink");
        journey.getSideOutput(JourneyFunction.ALERTS)
                .sinkTo(io.alerts())
                .uid("alerts-sink")
                .name("alerts-sink");
        journey.getSideOutput(JourneyFunction.ACTIONS)
                .sinkTo(io.actions())
                .uid("actions-sink")
                .name("actions-sink");
        if (io.warehouse() != null) {
            WarehouseSinks w = io.warehouse();
            events.sinkTo(w.events()).uid("warehouse-events").name("warehouse-events");
            journey.getSideOutput(JourneyFunction.ALERTS)
                    .sinkTo(w.alerts())
                    .uid("warehouse-alerts")
                    .name("warehouse-alerts");
            journey.getSideOutput(JourneyFunction.ATTRIBUTION)
                    .sinkTo(w.attribution())
                    .uid("warehouse-attribution")
                    .name("warehouse-attribution");
            kpis.flatMap(new KpiRows())
                    .returns(KpiRow.class)
                    .name("kpi-rows")
                    .sinkTo(w.kpis())
                    .uid("warehouse-kpis")
                    .name("warehouse-kpis");
        }
        // rejected input, failing rules (RULE_FAILED) and events or firings whose processing failed (RECORD_FAILED)
        // share the dead-letter topic
        accepted.getSideOutput(IngestRouter.DEAD_LETTERS)
                .union(
                        journey.getSideOutput(JourneyFunction.DEAD_LETTERS),
                        kpis.getSideOutput(KpiFunction.DEAD_LETTERS),
                        byDeal.getSideOutput(AccountResolver.DEAD_LETTERS),
                        byVisitor.getSideOutput(AccountResolver.DEAD_LETTERS),
                        byPerson.getSideOutput(AccountResolver.DEAD_LETTERS))
                .sinkTo(io.deadLetters())
                .uid("deadletter-sink")
                .name("deadletter-sink");

        long qualityWindow = cfg.dataQuality().window().toMillis();
        summed(accepted.getSideOutput(IngestRouter.QUALITY), "router", qualityWindow)
                .union(
                        summed(unique.getSideOutput(Deduplicator.QUALITY), "dedup", qualityWindow),
                        summed(toAccount.getSideOutput(Deduplicator.QUALITY), "dedup-route", qualityWindow),
                        summed(journey.getSideOutput(JourneyFunction.QUALITY), "journey", qualityWindow),
                        byDeal.getSideOutput(AccountResolver.QUALITY),
                        byVisitor.getSideOutput(AccountResolver.QUALITY),
                        byPerson.getSideOutput(AccountResolver.QUALITY))
                .keyBy(QualitySample::dimension, Types.STRING)
                .process(new DataQualityCounter(
                        cfg.dataQuality().window().toMillis(),
                        cfg.dataQuality().grace().toMillis(),
                        kind == RunKind.LIVE,
                        cfg.time().idleTimeout().toMillis()))
                .uid("data-quality")
                .name("data-quality")
                // one subtask: it gets sums (a few hundredths of a record per event), and its few keys (all and each
                // source) would leave most subtasks of a wider operator idle and one of them holding all
                .setParallelism(1)
                .sinkTo(io.quality())
                .uid("dataquality-sink")
                .name("dataquality-sink");
    }

    /** The spend events of a stream (channel spend: the marketing spend KPIs), chained to its operator. */
    private static DataStream<Event> spendOf(DataStream<Event> events, String name) {
        return events.filter(e -> TouchpointType.SPEND.name().equals(e.type())).name(name);
    }

    /** An operator's KPI facts under each dimension value, summed where they only add up; chained to it. */
    private static DataStream<KpiFact> kpiFacts(DataStream<KpiFact> facts, RevstreamConfig cfg, String from) {
        return facts.flatMap(new KpiFanOut())
                .returns(Types.POJO(KpiFact.class))
                .name("kpi-dimensions-" + from)
                .transform(
                        "kpi-sums-" + from,
                        Types.POJO(KpiFact.class),
                        new KpiSums(cfg.kpi().windows(), cfg.kpi().lookback().toMillis()))
                .uid("kpi-sums-" + from)
                .name("kpi-sums-" + from);
    }

    /** An operator's data-quality samples summed before the counter's keyBy, chained to it. */
    private static DataStream<QualitySample> summed(DataStream<QualitySample> samples, String from, long windowMillis) {
        return samples.transform("quality-sums-" + from, Types.POJO(QualitySample.class), new QualitySums(windowMillis))
                .uid("quality-sums-" + from)
                .name("quality-sums-" + from);
    }

    /**
     * Per-partition watermarks in live runs (wall-clock following and idleness). A bounded replay's
     * watermarks allow the disorder its pre-scan measured (or, not knowing it, hold event time until
     * the input ends), so every accepted event is applied in event-time order whatever the order in
     * the topics, and run after run gives the same outputs.
     */
    static WatermarkStrategy<Ingested> watermarks(RevstreamConfig cfg, RunKind kind, Long disorderMillis) {
        if (kind == RunKind.BOUNDED && disorderMillis == null) {
            return WatermarkStrategy.<Ingested>noWatermarks().withTimestampAssigner((e, ts) -> e.eventTime());
        }
        if (kind == RunKind.BOUNDED) {
            long allowed = disorderMillis;
            return WatermarkStrategy.<Ingested>forGenerator(
                            ctx -> new LiveWatermarks<>(allowed, 0, false, System::currentTimeMillis))
                    .withTimestampAssigner((e, ts) -> e.eventTime());
        }
        long outOfOrderness = cfg.time().outOfOrderness().toMillis();
        boolean live = kind == RunKind.LIVE;
        long idle = live ? cfg.time().idleTimeout().toMillis() : 0;
        boolean follow = live && cfg.time().followWallClock();
        boolean cap = !cfg.ingest().maxFuture().isZero(); // a future beyond max-future is a dead letter already
        long grace = 2 * idle; // a backlog behind a restore is fetched within seconds; an empty partition must not hold
        // deadlines back for long
        SubtaskReads reads = new SubtaskReads(); // one per subtask: each deserializes the strategy
        return WatermarkStrategy.<Ingested>forGenerator(ctx -> new LiveWatermarks<Ingested>(
                        outOfOrderness,
                        idle,
                        follow,
                        cap,
                        grace,
                        System::currentTimeMillis,
                        // stands still while the source is backpressured: a job behind its input is not quiet
                        ctx.getInputActivityClock()::relativeTimeMillis,
                        r -> r.event() == null ? Long.MIN_VALUE : r.event().ingestedAt(),
                        reads))
                .withTimestampAssigner((e, ts) -> e.eventTime());
    }
}
