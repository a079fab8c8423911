package dev.revstream.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.job.KafkaIo;
import dev.revstream.job.RevstreamJob;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.model.Ingested;
import dev.revstream.tools.generator.FunnelGenerator;
import dev.revstream.tools.generator.GeneratedRecord;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark: a broker in its own JVM, input topics pre-loaded with generator data (fixed
 * seed), then two bounded runs over the same data on the embedded Flink with RocksDB and
 * exactly-once checkpoints: the <b>ceiling</b> (read and parse only) and the <b>full</b> job. Reports
 * events per second of each, their ratio, the job JVM's peak heap, state size and checkpoint
 * durations, as text and as JSON.
 */
public final class Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to run. {@code sets} are configuration overrides. */
    public record Options(
            long events,
            int accounts,
            int dealsPerAccount,
            long seed,
            List<String> sets,
            Path workDir,
            Consumer<String> progress) {}

    /** One phase's figures. */
    public record Phase(
            String name,
            long records,
            double seconds,
            double eventsPerSecond,
            long peakHeapBytes,
            long checkpoints,
            long maxStateBytes,
            long maxCheckpointMillis,
            long avgCheckpointMillis,
            SteadyState.Figures steady,
            Map<String, Long> counters) {}

    /** The whole run. */
    public record Result(
            long events, long accepted, double preloadSeconds, Phase ceiling, Phase full, ObjectNode json) {}

    private Benchmark() {}

    public static Result run(Options o) throws Exception {
        Files.createDirectories(o.workDir());
        try (BrokerProcess broker =
                BrokerProcess.start(o.workDir().resolve("kafka"), o.workDir().resolve("broker.log"))) {
            List<String> sets = new ArrayList<>(List.of(
                    "kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "job.rest-port=0",
                    "ingest.max-future=0",
                    "kafka.transactional-id-prefix=bench-" + System.currentTimeMillis()));
            sets.addAll(o.sets());
            RevstreamConfig cfg = ConfigLoader.load(null, sets);
            KafkaTopics.ensure(cfg);
            long t0 = System.nanoTime();
            BitSet touched = new BitSet(o.accounts());
            long written = preload(cfg, o, touched);
            long accountsWithEvents = touched.cardinality();
            double preload = (System.nanoTime() - t0) / 1e9;
            o.progress()
                    .accept(String.format(
                            "pre-loaded %,d records of %,d accounts in %.1f s (%,.0f/s)",
                            written, accountsWithEvents, preload, written / preload));
            AsOfScanner.Span span = AsOfScanner.scan(cfg);
            // the work of deadlines, daily health and rule ticks grows with the business time the data spans, not with
            // events
            double businessDays = span.latest() == null || span.earliest() == null
                    ? 0
                    : (span.latest() - span.earliest()) / 86_400_000d;
            o.progress().accept(String.format("the data spans %.0f business days", businessDays));
            try (LocalFlink flink =
                    LocalFlink.start(o.workDir().resolve("flink"), 1, cfg.job().parallelism(), 0, options(cfg))) {
                Phase ceiling = phase("ceiling", flink, o, () -> written, () -> {
                    StreamExecutionEnvironment env = flink.environment();
                    RevstreamJob.configure(env, cfg, span.latest(), span.earliest());
                    env.fromSource(
                                    KafkaIo.io(cfg, RunKind.BOUNDED, span.endOffsets())
                                            .input(),
                                    WatermarkStrategy.noWatermarks(),
                                    "kafka-input")
                            .uid("kafka-input")
                            .process(new CountingDiscard<Ingested>())
                            .returns(Types.POJO(Ingested.class))
                            .uid("discard")
                            .name("discard");
                    return flink.submit(env, "revstream-bench-ceiling");
                });
                Phase full = phase(
                        "full",
                        flink,
                        o,
                        () -> recordsCounted(cfg),
                        () -> LocalRunner.submitBounded(flink, cfg, span, null, null));
                ObjectNode json = JSON.createObjectNode();
                json.put("events", written);
                json.put("accounts", o.accounts());
                json.put("dealsPerAccount", o.dealsPerAccount());
                json.put("accountsWithEvents", accountsWithEvents);
                json.put("businessDays", businessDays);
                json.put("seed", o.seed());
                json.put("parallelism", cfg.job().parallelism());
                json.put("checkpointInterval", cfg.job().checkpointInterval().toString());
                json.put("cores", Runtime.getRuntime().availableProcessors());
                json.put("java", System.getProperty("java.version"));
                json.put("preloadSeconds", preload);
                json.set("ceiling", JSON.valueToTree(ceiling));
                json.set("full", JSON.valueToTree(full));
                json.put("fullToCeiling", full.eventsPerSecond() / ceiling.eventsPerSecond());
                return new Result(written, span.accepted(), preload, ceiling, full, json);
            }
        }
    }

    @FunctionalInterface
    private interface Submit {
        JobID submit() throws Exception;
    }

    private static Phase phase(String name, LocalFlink flink, Options o, LongSupplier readByJob, Submit submit)
            throws Exception {
        resetPeaks();
        OperatorCounters.reset();
        // the full job's progress is what the journey applied: a replay reads ahead while it only buffers
        SteadyState steady = name.equals("ceiling")
                ? new SteadyState("kafka-input")
                : new SteadyState("kafka-input", "journey.eventsApplied");
        long start = System.nanoTime();
        JobID job = submit.submit();
        JobResult result;
        for (int tick = 1; ; tick++) {
            try {
                result = flink.awaitResult(job, Duration.ofSeconds(1));
                break;
            } catch (TimeoutException e) {
                // counters read in this JVM: no execution-graph query, whose archiving costs the job measurable CPU
                steady.sample();
                if (tick % 5 == 0) {
                    o.progress()
                            .accept(String.format(
                                    "%s: %.0f s, peak heap %,d MiB",
                                    name, (System.nanoTime() - start) / 1e9, peakHeap() >> 20));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        steady.sample(); // the counters' totals, once the phase ended
        if (!result.isSuccess()) {
            throw new IllegalStateException(name + " failed: "
                    + result.getSerializedThrowable().map(Throwable::getMessage).orElse("?"));
        }
        long counted;
        if (name.equals("ceiling")) {
            Object n = result.toJobExecutionResult(Benchmark.class.getClassLoader())
                    .getAccumulatorResult(CountingDiscard.RECORDS);
            counted = n == null ? 0 : (Long) n;
        } else {
            counted = readByJob.getAsLong();
        }
        CheckpointStatsSnapshot stats = flink.miniCluster()
                .getExecutionGraph(job)
                .get(30, TimeUnit.SECONDS)
                .getCheckpointStatsSnapshot();
        long checkpoints = stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
        long maxState =
                stats == null ? 0 : stats.getSummaryStats().getStateSizeStats().getMaximum();
        long maxDuration = stats == null
                ? 0
                : stats.getSummaryStats().getEndToEndDurationStats().getMaximum();
        long avgDuration = stats == null
                ? 0
                : stats.getSummaryStats().getEndToEndDurationStats().getAverage();
        SteadyState.Figures figures = steady.figures(counted);
        Phase p = new Phase(
                name,
                counted,
                seconds,
                counted / seconds,
                peakHeap(),
                checkpoints,
                maxState,
                maxDuration,
                avgDuration,
                figures,
                steady.lastCounters());
        o.progress()
                .accept(String.format(
                        "%s: %,d records in %.1f s = %,.0f events/s; peak heap %,d MiB; %d checkpoints, "
                                + "state up to %,d KiB, checkpoint max %d ms (avg %d ms)",
                        name,
                        counted,
                        seconds,
                        p.eventsPerSecond(),
                        p.peakHeapBytes() >> 20,
                        checkpoints,
                        maxState >> 10,
                        maxDuration,
                        avgDuration));
        if (figures != null) {
            StringBuilder tasks = new StringBuilder();
            figures.taskCpuMicrosPerEvent()
                    .forEach((task, us) -> tasks.append(String.format("%n    %7.1f us  %s", us, task)));
            StringBuilder firings = new StringBuilder();
            figures.perEvent().forEach((k, v) -> {
                if (k.endsWith(".firings")) {
                    firings.append(String.format("  %s %.2f", k.substring(0, k.length() - ".firings".length()), v));
                }
            });
            o.progress()
                    .accept(String.format(
                            "%s, steady state (%.0f-%.0f %% of the %s, %,d events in %.1f s): %,.0f events/s; job JVM"
                                    + " CPU %.1f us per event; timer firings per event:%s; CPU per event by task:%s",
                            name,
                            SteadyState.FROM * 100,
                            SteadyState.TO * 100,
                            name.equals("ceiling") ? "input read" : "events the journey applied",
                            figures.records(),
                            figures.seconds(),
                            figures.eventsPerSecond(),
                            figures.jvmCpuMicrosPerEvent(),
                            firings.length() == 0 ? " none" : firings,
                            tasks));
        }
        return p;
    }

    /** What the full job read: its data-quality counts (accepted + rejected, all sources), read committed. */
    private static long recordsCounted(RevstreamConfig cfg) {
        long total = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaTopics.committedConsumerProperties(cfg))) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(cfg.topics().dataquality(), Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            // a commit returns before the broker has written its markers: wait until no transaction is pending
            Map<TopicPartition, Long> settled = c.endOffsets(parts);
            Properties all = KafkaTopics.committedConsumerProperties(cfg);
            all.put("isolation.level", "read_uncommitted");
            try (KafkaConsumer<byte[], byte[]> u = new KafkaConsumer<>(all)) {
                long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!settled.equals(u.endOffsets(parts)) && System.nanoTime() < settle) {
                    LockSupport.parkNanos(50_000_000L); // polling the broker, bounded above
                    settled = c.endOffsets(parts);
                }
            }
            Map<TopicPartition, Long> end = settled;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    var n = JSON.readTree(r.value());
                    if ("all".equals(n.path("dimensionValue").asText())) {
                        total += n.path("eventsAccepted").asLong()
                                + n.path("eventsRejected").asLong();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /** Writes the generator's first {@code events} records (business time in the past) into the input topics. */
    static long preload(RevstreamConfig cfg, Options o, BitSet accounts) throws Exception {
        Properties p = KafkaTopics.producerProperties(cfg);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long now = System.currentTimeMillis();
        FunnelGenerator gen =
                new FunnelGenerator(o.seed(), o.accounts(), now - 700L * 86_400_000L, 0.01, 0.02, o.dealsPerAccount());
        long written = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> window = new ArrayList<>();
            while (written < o.events() && gen.hasNext()) {
                GeneratedRecord r = gen.next();
                if (r.businessTime() > now - 3_600_000L) {
                    break;
                }
                window.add(producer.send(new ProducerRecord<>(
                        r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(),
                        r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                        r.value())));
                written++;
                if (r.key() != null && r.key().startsWith("acct-")) {
                    accounts.set(Integer.parseInt(r.key().substring(5)));
                }
                if (window.size() >= 10_000) {
                    for (Future<RecordMetadata> f : window) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    window.clear();
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : window) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return written;
    }

    /** The embedded Flink's options: the state memory configured, and the counters' reporter (read in this JVM). */
    static Configuration options(RevstreamConfig cfg) {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, new MemorySize(cfg.job().stateMemoryBytes()));
        c.set(
                ConfigOptions.key("metrics.reporter.bench.factory.class")
                        .stringType()
                        .noDefaultValue(),
                OperatorCounters.Factory.class.getName());
        return c;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
