package dev.revstream.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The latency mode of the benchmark: the live job on the embedded Flink (RocksDB, checkpoints as
 * configured) and a broker in its own JVM; generator records are written, by a JVM of their own
 * ({@link LatencyLoad}), at a fixed rate with
 * {@code occurredAt} set to the moment they are sent, and a read-committed consumer notes when
 * each output appears. The delay of an output one event causes (a journey update, through its
 * {@code causeEventId}; a {@code DEAL_SLIPPAGE} or {@code CHURN_RISK} alert, through its account
 * and trigger time) is counted from the event's arrival in Kafka; a deadline alert
 * ({@code STALLED_DEAL}, {@code LEAD_SLA_BREACH}) from its deadline (its {@code triggeredAt}).
 * Distributions are HdrHistograms; the first seconds (start-up, JIT) are not counted.
 *
 * <p>Each delivery mode runs on topics of its own. Short stall and hand-off SLAs (unless set by
 * the user) make deadline alerts happen within a run of seconds.
 */
public final class LatencyBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Outputs measured from the event that caused them. */
    public static final String JOURNEY = "journey update",
            EVENT_ALERT = "alert caused by an event (DEAL_SLIPPAGE, CHURN_RISK)",
            DEADLINE_ALERT = "deadline alert after its deadline (STALLED_DEAL, LEAD_SLA_BREACH)";

    /** @param deliveries {@code exactly-once} and/or {@code at-least-once}, run in turn */
    public record Options(
            double rate,
            Duration duration,
            Duration warmup,
            int accounts,
            long seed,
            List<String> deliveries,
            List<String> sets,
            Path workDir,
            Consumer<String> progress) {}

    /** One distribution, in milliseconds. */
    public record Percentiles(long count, long p50, long p99, long p999, long max) {
        static Percentiles of(Histogram h) {
            return new Percentiles(
                    h.getTotalCount(),
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9),
                    h.getMaxValue());
        }
    }

    /** One delivery mode's run. */
    public record Run(
            String delivery,
            String outOfOrderness,
            String watermarkInterval,
            String checkpointInterval,
            long sent,
            double achievedRate,
            Map<String, Percentiles> latency,
            JourneyCounts journey) {}

    /**
     * What the journey did in a run (warm-up included): why a run fell behind is often in them.
     *
     * @param eventsIn events that reached the journey
     * @param firings its timer firings
     * @param applied events applied in order
     * @param corrected events that arrived behind their account (a correction replays its log)
     */
    public record JourneyCounts(long eventsIn, long firings, long applied, long corrected) {
        static JourneyCounts of(Map<String, Long> counters) {
            return new JourneyCounts(
                    counters.getOrDefault("journey.numRecordsIn", 0L),
                    counters.getOrDefault("journey.firings", 0L),
                    counters.getOrDefault("journey.eventsApplied", 0L),
                    counters.getOrDefault("journey.corrections", 0L));
        }
    }

    private LatencyBench() {}

    public static List<Run> run(Options o) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (BrokerProcess broker =
                BrokerProcess.start(o.workDir().resolve("kafka"), o.workDir().resolve("broker.log"))) {
            for (String delivery : o.deliveries()) {
                runs.add(runOne(o, broker, delivery));
            }
        }
        return runs;
    }

    private static Run runOne(Options o, BrokerProcess broker, String delivery) throws Exception {
        String prefix = "lat-" + delivery;
        List<String> sets = new ArrayList<>(List.of(
                "kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "job.rest-port=0",
                "kafka.delivery=" + delivery,
                "kafka.group-id=" + prefix,
                "kafka.transactional-id-prefix=" + prefix + "-" + System.currentTimeMillis(),
                "kafka.starting-offsets=earliest"));
        // the low-latency settings (the user's --set wins): no disorder allowed, so an event is released at the next
        // watermark, which comes every 50 ms. Flink's network buffer timeout stays at its 100 ms: 25 ms and 5 ms cost
        // so much throughput at 2,000 events/s that p99 rose from 0.6 s to 2.0 s and 4.3 s (see docs/performance.md)
        sets.addAll(List.of("time.out-of-orderness=0s", "time.watermark-interval=50ms"));
        sets.addAll(RevstreamConfig.Topics.prefixedSets(prefix));
        sets.add("alerts.lead-sla=5s");
        for (RevstreamConfig.Stage stage :
                ConfigLoader.load(null, o.sets()).deals().stages()) { // the user's stages
            sets.add("deals.stage." + stage.name() + ".stall-sla=5s");
        }
        sets.addAll(o.sets()); // the user's settings win
        RevstreamConfig cfg = ConfigLoader.load(null, sets);
        KafkaTopics.ensure(cfg);
        Map<String, Long> sentAt =
                new ConcurrentHashMap<>(); // source|eventId and account|occurredAt -> arrival in Kafka
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (String k : List.of(JOURNEY, EVENT_ALERT, DEADLINE_ALERT)) {
            histograms.put(k, new Histogram(3_600_000L, 3));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // shared by the writer, the reader and this thread
        AtomicLong measuredFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastOutput = new AtomicLong(System.nanoTime());
        Thread reader = new Thread(
                () -> {
                    try {
                        read(cfg, sentAt, histograms, stop, measuredFrom, lastOutput);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "latency-reader");
        OperatorCounters.reset();
        try (LocalFlink flink = LocalFlink.start(
                o.workDir().resolve("flink-" + delivery), 1, cfg.job().parallelism(), 0, Benchmark.options(cfg))) {
            JobID job = LocalRunner.submit(flink, cfg, RunKind.LIVE, null);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (flink.status(job) != JobStatus.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the job did not start within 60 s");
                }
                LockSupport.parkNanos(50_000_000L); // polling the job's status, bounded above
            }
            reader.start();
            o.progress()
                    .accept(String.format(
                            "latency %s: writing %,.0f events/s for %s (the first %s not counted)",
                            delivery, o.rate(), o.duration(), o.warmup()));
            long[] sent = {0};
            double seconds = produce(delivery, sets, o, sentAt, measuredFrom, sent, () -> failure.get() != null);
            // the last outputs (an exactly-once run shows them at a checkpoint): until none came for two checkpoint
            // intervals plus the out-of-orderness, so a job that fell behind has its slowest outputs counted too
            long quiet = Math.max(
                            cfg.job().checkpointInterval().toNanos() * 2,
                            Duration.ofSeconds(3).toNanos())
                    + cfg.time().outOfOrderness().toNanos();
            long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() - lastOutput.get() < quiet
                    && System.nanoTime() < giveUp
                    && failure.get() == null) {
                LockSupport.parkNanos(100_000_000L); // letting the tail of outputs arrive, bounded above
            }
            stop.set(true);
            reader.join(30_000);
            flink.cancel(job);
            JourneyCounts journey = JourneyCounts.of(OperatorCounters.now());
            if (failure.get() != null) {
                throw new IllegalStateException("latency reader failed: " + failure.get(), failure.get());
            }
            Map<String, Percentiles> latency = new LinkedHashMap<>();
            synchronized (histograms) {
                histograms.forEach((k, h) -> latency.put(k, Percentiles.of(h)));
            }
            Run r = new Run(
                    delivery,
                    cfg.time().outOfOrderness().toString(),
                    cfg.time().watermarkInterval().toString(),
                    cfg.job().checkpointInterval().toString(),
                    sent[0],
                    sent[0] / seconds,
                    latency,
                    journey);
            latency.forEach((k, p) -> o.progress()
                    .accept(String.format(
                            "latency %s: %s: %,d; p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms",
                            delivery, k, p.count(), p.p50(), p.p99(), p.p999(), p.max())));
            return r;
        }
    }

    /**
     * Writes generator records at the rate, each with occurredAt = now, from a JVM of its own ({@link LatencyLoad}),
     * and notes when each was sent as it says so; returns the seconds it took.
     */
    private static double produce(
            String delivery,
            List<String> sets,
            Options o,
            Map<String, Long> sentAt,
            AtomicLong measuredFrom,
            long[] sent,
            BooleanSupplier failed)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the generator queues each account's life at its arrival: a run of millions of events holds about a
                // million records ahead (512 MiB ran out 3.5 minutes into 5,000/s)
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                LatencyLoad.class.getName(),
                Double.toString(o.rate()),
                Long.toString(o.duration().toMillis()),
                Long.toString(o.warmup().toMillis()),
                Integer.toString(o.accounts()),
                Long.toString(o.seed())));
        cmd.addAll(sets);
        Path log = o.workDir().resolve("load-" + System.nanoTime() + ".log");
        Process load = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        double seconds = -1;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (failed.getAsBoolean()) {
                    // the reader failed: the caller says why; the load stops here (it would block on a full pipe)
                    load.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    return 1;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "S" -> sentAt.put(f[1], Long.parseLong(f[2]));
                    case "M" -> measuredFrom.set(Long.parseLong(f[1]));
                    case "P" ->
                        o.progress()
                                .accept(String.format(
                                        "latency %s: %s s, %,d events written by the load generator (pid %d)",
                                        delivery, f[1], Long.parseLong(f[2]), load.pid()));
                    case "E" -> {
                        sent[0] = Long.parseLong(f[1]);
                        seconds = Double.parseDouble(f[2]);
                    }
                    default -> {}
                }
            }
        }
        if (!load.waitFor(30, TimeUnit.SECONDS)) {
            load.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (seconds < 0) {
            throw new IllegalStateException("the load generator ended without finishing"
                    + (load.isAlive() ? "" : " (exit " + load.exitValue() + ")") + ": " + Files.readString(log));
        }
        return seconds;
    }

    /** Reads journey updates and alerts as they become visible (read committed) and records their delays. */
    private static void read(
            RevstreamConfig cfg,
            Map<String, Long> sentAt,
            Map<String, Histogram> histograms,
            AtomicBoolean stop,
            AtomicLong measuredFrom,
            AtomicLong lastOutput)
            throws Exception {
        Properties p = KafkaTopics.committedConsumerProperties(cfg);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            KafkaTopics.assignFromBeginning(
                    c, List.of(cfg.topics().journey(), cfg.topics().alerts()));
            while (!stop.get()) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                if (!records.isEmpty()) {
                    lastOutput.set(System.nanoTime());
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    JsonNode n = JSON.readTree(r.value());
                    String kind;
                    Long from;
                    if (r.topic().equals(cfg.topics().journey())) {
                        kind = JOURNEY;
                        from = sentAt.get(n.path("causeSource").asText() + "|"
                                + n.path("causeEventId").asText());
                    } else {
                        String type = n.path("type").asText();
                        long triggered =
                                Instant.parse(n.path("triggeredAt").asText()).toEpochMilli();
                        if (type.equals("STALLED_DEAL") || type.equals("LEAD_SLA_BREACH")) {
                            kind = DEADLINE_ALERT;
                            from = triggered >= measuredFrom.get() ? triggered : null;
                        } else {
                            kind = EVENT_ALERT;
                            from = sentAt.get(n.path("accountId").asText() + "|" + triggered);
                        }
                    }
                    if (from != null) {
                        synchronized (histograms) {
                            histograms.get(kind).recordValue(Math.max(0, now - from));
                        }
                    }
                }
            }
        }
    }
}
