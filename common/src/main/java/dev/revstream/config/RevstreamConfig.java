package dev.revstream.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.actions.RuleBook;
import dev.revstream.actions.RuleException;
import dev.revstream.actions.RuleFiles;
import dev.revstream.actions.RuleSet;
import dev.revstream.attribution.AttributionSettings;
import dev.revstream.ingest.IngestSettings;
import dev.revstream.ingest.SourceMappings;
import dev.revstream.journey.BusinessCalendar;
import dev.revstream.journey.HealthSettings;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.StageConfig;
import dev.revstream.kpi.KpiWindow;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The typed, validated configuration of revstream. Built from the flat key/value view that
 * {@link ConfigLoader} assembles (file, environment, {@code --set}); every problem is collected and
 * reported at once, each naming its key and what is allowed.
 */
public record RevstreamConfig(
        Map<String, String> raw,
        Kafka kafka,
        Topics topics,
        Time time,
        Ingest ingest,
        Deals deals,
        Alerts alerts,
        Kpi kpi,
        DataQuality dataQuality,
        Job job,
        Generator generator,
        SourceMappings mappings,
        RuleSet rules,
        Router router,
        Warehouse warehouse)
        implements Serializable {

    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    public record Kafka(
            String bootstrapServers,
            String groupId,
            StartingOffsets startingOffsets,
            Delivery delivery,
            Duration transactionTimeout,
            String transactionalIdPrefix,
            int topicPartitions,
            short topicReplication,
            int maxRecordBytes,
            Map<String, String> properties)
            implements Serializable {}

    public record Topics(
            String touchpoints,
            String deals,
            String events,
            String deadletter,
            String late,
            String dataquality,
            String journey,
            String alerts,
            String kpis,
            String attribution,
            String actions,
            String alertsDeadletter)
            implements Serializable {

        public List<String> inputs() {
            return List.of(touchpoints, deals);
        }

        public List<String> outputs() {
            return List.of(
                    events,
                    deadletter,
                    late,
                    dataquality,
                    journey,
                    alerts,
                    kpis,
                    attribution,
                    actions,
                    alertsDeadletter);
        }

        /** {@code topics.<topic>=<prefix>.<topic>} for every topic: a run on topics of its own (benchmarks, tests). */
        public static List<String> prefixedSets(String prefix) {
            List<String> sets = new ArrayList<>();
            for (String t : List.of(
                    "touchpoints",
                    "deals",
                    "events",
                    "deadletter",
                    "late",
                    "dataquality",
                    "journey",
                    "alerts",
                    "kpis",
                    "attribution",
                    "actions",
                    "alerts-deadletter")) {
                sets.add("topics." + t + "=" + prefix + "." + t);
            }
            return sets;
        }
    }

    public record Time(
            Duration outOfOrderness,
            Duration idleTimeout,
            boolean followWallClock,
            Duration watermarkInterval,
            ZoneId zone)
            implements Serializable {}

    public record Ingest(
            int maxValueBytes,
            Duration maxFuture,
            int deadletterMaxPayload,
            Duration dedupHorizon,
            Duration dedupTtl,
            String reportingCurrency,
            Map<String, BigDecimal> currencyRates,
            List<String> mappingFiles)
            implements Serializable {}

    public record Stage(String name, Duration stallSla, double winProbability) implements Serializable {}

    public record Deals(List<Stage> stages, Map<String, Map<String, Duration>> stallSlaBySegment, Duration tombstone)
            implements Serializable {}

    public enum LeadSlaMode {
        CALENDAR,
        BUSINESS_HOURS
    }

    public record Alerts(
            Duration leadSla,
            LeadSlaMode leadSlaMode,
            List<DayOfWeek> businessDays,
            LocalTime businessOpen,
            LocalTime businessClose,
            ZoneId businessZone,
            Map<String, Duration> leadSlaBySegment,
            int slippageAlertFrom,
            int slippageWarningFrom,
            String stallCriticalStage,
            double stallCriticalAmount,
            HealthSettings health,
            Duration journeyStateTtl,
            AttributionSettings attribution)
            implements Serializable {}

    public record DataQuality(Duration window, Duration grace) implements Serializable {}

    public record Kpi(
            List<KpiWindow> windows,
            Duration lookback,
            int fiscalYearStartMonth,
            Duration retentionLookback,
            double grossMargin)
            implements Serializable {}

    public record Job(
            int parallelism,
            int maxParallelism,
            Duration checkpointInterval,
            Duration checkpointTimeout,
            String stateDir,
            int restPort)
            implements Serializable {}

    public record Generator(
            double speedUp,
            Duration startAgo,
            Duration warmup,
            int accounts,
            double malformedShare,
            double duplicateShare)
            implements Serializable {}

    /**
     * The alert router: where alerts go and how hard it tries.
     *
     * @param maxAlertAge alerts written to the topic longer ago than this are skipped (zero: never)
     */
    public record Router(
            String groupId,
            Duration maxAlertAge,
            Duration requestTimeout,
            int attempts,
            Duration initialBackoff,
            Duration maxBackoff,
            int inFlight,
            String stateDir,
            List<Channel> channels)
            implements Serializable {}

    /**
     * One webhook and the alerts routed to it. The URL is a secret: it is kept as where to find
     * it ({@code url-env}, {@code url-file}, or {@code url}) and read when the router starts.
     *
     * @param types alert types routed here; empty for all
     * @param minSeverity info, warning or critical
     * @param segments, owners empty for all
     */
    public record Channel(
            String name,
            String url,
            String urlEnv,
            String urlFile,
            String format,
            List<String> types,
            String minSeverity,
            List<String> segments,
            List<String> owners)
            implements Serializable {}

    /**
     * The warehouse sink: Parquet tables under {@code path} (a Flink file system URI or a local
     * directory); empty for none.
     */
    public record Warehouse(String path, String compression) implements Serializable {
        public boolean enabled() {
            return !path.isEmpty();
        }
    }

    /** Keys that take any name after the prefix. */
    static final List<Pattern> OPEN_KEYS = List.of(
            Pattern.compile("kafka\\.properties\\..+"),
            Pattern.compile("flink\\..+"),
            Pattern.compile("ingest\\.currency-rates\\.[A-Za-z]{3}"),
            Pattern.compile("deals\\.stage\\.[A-Za-z_]+\\.(stall-sla|win-probability)"),
            Pattern.compile("deals\\.segment\\.[^.]+\\.stall-sla\\.[A-Za-z_]+"),
            Pattern.compile("alerts\\.segment\\.[^.]+\\.lead-sla"),
            Pattern.compile(
                    "router\\.channels\\.[A-Za-z0-9_-]+\\.(url|url-env|url-file|format|types|min-severity|segments|owners)"));

    /** Every fixed key, so that a typo is an error rather than a silently ignored setting. */
    static final Set<String> KEYS = new TreeSet<>(Arrays.asList(
            "kafka.bootstrap-servers",
            "kafka.group-id",
            "kafka.starting-offsets",
            "kafka.delivery",
            "kafka.transaction-timeout",
            "kafka.transactional-id-prefix",
            "kafka.topic-partitions",
            "kafka.topic-replication",
            "kafka.max-record-bytes",
            "kafka.properties",
            "topics.touchpoints",
            "topics.deals",
            "topics.events",
            "topics.deadletter",
            "topics.late",
            "topics.dataquality",
            "topics.journey",
            "topics.alerts",
            "topics.kpis",
            "topics.attribution",
            "topics.actions",
            "topics.alerts-deadletter",
            "actions.rules",
            "actions.evaluation-interval",
            "time.out-of-orderness",
            "time.idle-timeout",
            "time.follow-wall-clock",
            "time.watermark-interval",
            "time.zone",
            "ingest.max-value-bytes",
            "ingest.max-future",
            "ingest.deadletter-max-payload",
            "ingest.dedup-horizon",
            "ingest.dedup-ttl",
            "ingest.reporting-currency",
            "ingest.currency-rates",
            "ingest.mappings",
            "deals.stages",
            "deals.stage",
            "deals.segment",
            "deals.tombstone",
            "alerts.lead-sla",
            "alerts.lead-sla-mode",
            "alerts.business-days",
            "alerts.business-hours",
            "alerts.business-zone",
            "alerts.segment",
            "alerts.slippage-alert-from",
            "alerts.slippage-warning-from",
            "alerts.stall-critical-stage",
            "alerts.stall-critical-amount",
            "alerts.health.churn-below",
            "alerts.health.rearm-at",
            "alerts.health.critical-below",
            "alerts.health.usage-drop-points",
            "alerts.health.usage-drop-ratio",
            "alerts.health.usage-window",
            "alerts.health.ticket-points",
            "alerts.health.ticket-count",
            "alerts.health.ticket-window",
            "alerts.health.nps-points",
            "alerts.health.nps-max-score",
            "alerts.health.nps-window",
            "alerts.health.champion-points",
            "alerts.health.champion-window",
            "alerts.health.payment-points",
            "alerts.health.payment-window",
            "journey.state-ttl",
            "attribution.window",
            "attribution.time-decay-half-life",
            "attribution.u-shaped",
            "attribution.w-shaped",
            "attribution.full-path",
            "kpi.windows",
            "kpi.lookback",
            "kpi.fiscal-year-start-month",
            "kpi.retention-lookback",
            "kpi.gross-margin",
            "dataquality.window",
            "dataquality.grace",
            "job.parallelism",
            "job.max-parallelism",
            "job.checkpoint-interval",
            "job.checkpoint-timeout",
            "job.state-dir",
            "job.rest-port",
            "generator.speed-up",
            "generator.start-ago",
            "generator.warmup",
            "generator.accounts",
            "generator.malformed-share",
            "generator.duplicate-share",
            "router.group-id",
            "router.max-alert-age",
            "router.request-timeout",
            "router.attempts",
            "router.initial-backoff",
            "router.max-backoff",
            "router.in-flight",
            "router.state-dir",
            "router.channels",
            "warehouse.path",
            "warehouse.compression"));

    /** The broker's default {@code transaction.max.timeout.ms}. */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /**
     * Validates a flat configuration. {@code mappingsLoader} reads the named mapping files into
     * source mappings for the given canonical stages.
     */
    public static RevstreamConfig from(
            Map<String, String> flat, Function<MappingRequest, SourceMappings> mappingsLoader) {
        return from(flat, mappingsLoader, file -> {
            throw new ConfigException("actions.rules: no rule file reader");
        });
    }

    /**
     * As {@link #from(Map, Function)}; {@code rulesReader} parses the rule file named by
     * {@code actions.rules} (relative to the main file), which is then compiled to check every rule.
     */
    public static RevstreamConfig from(
            Map<String, String> flat,
            Function<MappingRequest, SourceMappings> mappingsLoader,
            Function<String, JsonNode> rulesReader) {
        Reader r = new Reader(flat);
        r.checkKnownKeys();

        Kafka kafka = new Kafka(
                r.nonEmpty("kafka.bootstrap-servers"),
                r.nonEmpty("kafka.group-id"),
                r.oneOf("kafka.starting-offsets", StartingOffsets.class),
                r.oneOf("kafka.delivery", Delivery.class),
                r.duration("kafka.transaction-timeout", Duration.ofSeconds(1), BROKER_MAX_TRANSACTION_TIMEOUT),
                r.nonEmpty("kafka.transactional-id-prefix"),
                r.intIn("kafka.topic-partitions", 1, 10_000),
                (short) r.intIn("kafka.topic-replication", 1, 100),
                (int) r.bytes("kafka.max-record-bytes", 2L * 1024 * 1024, Integer.MAX_VALUE),
                r.prefixed("kafka.properties."));
        Topics topics = new Topics(
                r.nonEmpty("topics.touchpoints"),
                r.nonEmpty("topics.deals"),
                r.nonEmpty("topics.events"),
                r.nonEmpty("topics.deadletter"),
                r.nonEmpty("topics.late"),
                r.nonEmpty("topics.dataquality"),
                r.nonEmpty("topics.journey"),
                r.nonEmpty("topics.alerts"),
                r.nonEmpty("topics.kpis"),
                r.nonEmpty("topics.attribution"),
                r.nonEmpty("topics.actions"),
                r.nonEmpty("topics.alerts-deadletter"));
        Time time = new Time(
                r.duration("time.out-of-orderness", Duration.ZERO, Duration.ofDays(1)),
                r.duration("time.idle-timeout", Duration.ZERO, Duration.ofDays(1)),
                r.bool("time.follow-wall-clock"),
                r.duration("time.watermark-interval", Duration.ofMillis(1), Duration.ofMinutes(1)),
                r.zone("time.zone"));
        Map<String, BigDecimal> rates = new TreeMap<>();
        r.prefixed("ingest.currency-rates.").forEach((code, value) -> {
            BigDecimal rate = r.positiveDecimal("ingest.currency-rates." + code, value);
            if (rate != null) {
                rates.put(code.toUpperCase(Locale.ROOT), rate);
            }
        });
        String reporting = r.nonEmpty("ingest.reporting-currency");
        if (reporting != null && !reporting.matches("[A-Za-z]{3}")) {
            r.error("ingest.reporting-currency", "'" + reporting + "' is not an ISO-4217 code such as USD");
        }
        Ingest ingest = new Ingest(
                (int) r.bytes("ingest.max-value-bytes", 1, 64L * 1024 * 1024),
                r.duration("ingest.max-future", Duration.ZERO, Duration.ofDays(3650)),
                (int) r.bytes("ingest.deadletter-max-payload", 0, 1024L * 1024),
                r.duration("ingest.dedup-horizon", Duration.ZERO, Duration.ofDays(3650)),
                r.duration("ingest.dedup-ttl", Duration.ZERO, Duration.ofDays(3650)),
                reporting == null ? null : reporting.toUpperCase(Locale.ROOT),
                rates,
                r.list("ingest.mappings"));

        List<Stage> stages = new ArrayList<>();
        List<String> stageNames = r.list("deals.stages");
        if (stageNames.isEmpty()) {
            r.error("deals.stages", "needs at least one open stage");
        }
        for (String name : stageNames) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (!upper.matches("[A-Z][A-Z0-9_]*") || upper.startsWith("CLOSED_")) {
                r.error(
                        "deals.stages",
                        "'" + name + "' is not a valid open stage name (letters, digits, _; not CLOSED_*)");
                continue;
            }
            String base = "deals.stage." + upper + ".";
            stages.add(new Stage(
                    upper,
                    r.duration(base + "stall-sla", Duration.ofMillis(1), Duration.ofDays(3650)),
                    r.doubleIn(base + "win-probability", 0, 1)));
        }
        for (String key : flat.keySet()) {
            if (key.startsWith("deals.stage.")) {
                String stage = key.substring("deals.stage.".length(), key.lastIndexOf('.'));
                if (!stageNames.stream()
                        .map(s -> s.toUpperCase(Locale.ROOT))
                        .toList()
                        .contains(stage.toUpperCase(Locale.ROOT))) {
                    r.error(key, "stage '" + stage + "' is not listed in deals.stages " + stageNames);
                }
            }
        }
        Map<String, Map<String, Duration>> stallBySegment = new TreeMap<>();
        r.prefixed("deals.segment.").forEach((rest, v) -> {
            String segment = rest.substring(0, rest.indexOf('.'));
            String stage = rest.substring(rest.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
            if (!stageNames.stream()
                    .map(x -> x.toUpperCase(Locale.ROOT))
                    .toList()
                    .contains(stage)) {
                r.error("deals.segment." + rest, "stage '" + stage + "' is not listed in deals.stages " + stageNames);
            }
            Duration d = r.duration("deals.segment." + rest, Duration.ofMillis(1), Duration.ofDays(3650));
            if (d != null) {
                stallBySegment.computeIfAbsent(segment, k -> new TreeMap<>()).put(stage, d);
            }
        });
        Deals deals = new Deals(
                stages, stallBySegment, r.duration("deals.tombstone", Duration.ofDays(1), Duration.ofDays(36500)));

        Map<String, Duration> leadBySegment = new TreeMap<>();
        r.prefixed("alerts.segment.").forEach((rest, v) -> {
            Duration d = r.duration("alerts.segment." + rest, Duration.ofMillis(1), Duration.ofDays(365));
            if (d != null) {
                leadBySegment.put(rest.substring(0, rest.lastIndexOf('.')), d);
            }
        });
        List<DayOfWeek> businessDays = new ArrayList<>();
        for (String day : r.list("alerts.business-days")) {
            try {
                businessDays.add(DayOfWeek.valueOf(expandDay(day)));
            } catch (IllegalArgumentException e) {
                r.error("alerts.business-days", "'" + day + "' is not a day such as MON or TUESDAY");
            }
        }
        LocalTime open = null;
        LocalTime close = null;
        String hours = r.nonEmpty("alerts.business-hours");
        try {
            String[] parts = hours == null ? new String[0] : hours.split("-");
            open = LocalTime.parse(parts[0].trim());
            close = LocalTime.parse(parts[1].trim());
            if (!open.isBefore(close)) {
                r.error("alerts.business-hours", "'" + hours + "': the opening must be before the closing time");
            }
        } catch (RuntimeException e) {
            r.error("alerts.business-hours", "'" + hours + "' is not a range such as 09:00-17:00");
        }
        String criticalStage = r.nonEmpty("alerts.stall-critical-stage");
        if (criticalStage != null
                && !stageNames.stream()
                        .map(x -> x.toUpperCase(Locale.ROOT))
                        .toList()
                        .contains(criticalStage.toUpperCase(Locale.ROOT))) {
            r.error(
                    "alerts.stall-critical-stage",
                    "'" + criticalStage + "' is not listed in deals.stages " + stageNames);
        }
        HealthSettings health = new HealthSettings(
                r.intIn("alerts.health.churn-below", 0, 101),
                r.intIn("alerts.health.rearm-at", 0, 101),
                r.intIn("alerts.health.critical-below", 0, 101),
                r.intIn("alerts.health.usage-drop-points", 0, 100),
                r.doubleIn("alerts.health.usage-drop-ratio", 0, 1),
                millis(r.duration("alerts.health.usage-window", Duration.ofMillis(1), Duration.ofDays(3650))),
                r.intIn("alerts.health.ticket-points", 0, 100),
                r.intIn("alerts.health.ticket-count", 1, 100000),
                millis(r.duration("alerts.health.ticket-window", Duration.ofMillis(1), Duration.ofDays(3650))),
                r.intIn("alerts.health.nps-points", 0, 100),
                r.intIn("alerts.health.nps-max-score", 0, 10),
                millis(r.duration("alerts.health.nps-window", Duration.ofMillis(1), Duration.ofDays(3650))),
                r.intIn("alerts.health.champion-points", 0, 100),
                millis(r.duration("alerts.health.champion-window", Duration.ofMillis(1), Duration.ofDays(3650))),
                r.intIn("alerts.health.payment-points", 0, 100),
                millis(r.duration("alerts.health.payment-window", Duration.ofMillis(1), Duration.ofDays(3650))));
        if (health.rearmAt() < health.churnBelow()) {
            r.error(
                    "alerts.health.rearm-at",
                    "must be at least alerts.health.churn-below (" + health.churnBelow() + ")");
        }
        List<Double> u = shares(r, "attribution.u-shaped", 2);
        List<Double> wShares = shares(r, "attribution.w-shaped", 3);
        double fullPath = r.doubleIn("attribution.full-path", 0, 0.25);
        AttributionSettings attribution = new AttributionSettings(
                millis(r.duration("attribution.window", Duration.ofDays(1), Duration.ofDays(3650))),
                millis(r.duration("attribution.time-decay-half-life", Duration.ofMinutes(1), Duration.ofDays(3650))),
                u.get(0),
                u.get(1),
                wShares.get(0),
                wShares.get(1),
                wShares.get(2),
                fullPath);
        Alerts alerts = new Alerts(
                r.duration("alerts.lead-sla", Duration.ofMillis(1), Duration.ofDays(365)),
                r.oneOf("alerts.lead-sla-mode", LeadSlaMode.class),
                businessDays,
                open,
                close,
                r.zone("alerts.business-zone"),
                leadBySegment,
                r.intIn("alerts.slippage-alert-from", 1, 1000),
                r.intIn("alerts.slippage-warning-from", 1, 1000),
                criticalStage == null ? null : criticalStage.toUpperCase(Locale.ROOT),
                r.doubleIn("alerts.stall-critical-amount", 0, 1e18),
                health,
                r.duration("journey.state-ttl", Duration.ZERO, Duration.ofDays(36500)),
                attribution);

        int fiscal = r.intIn("kpi.fiscal-year-start-month", 1, 12);
        List<KpiWindow> kpiWindows = new ArrayList<>();
        for (String w : r.list("kpi.windows")) {
            try {
                kpiWindows.add(new KpiWindow(w, time.zone() == null ? ZoneOffset.UTC : time.zone(), fiscal));
            } catch (IllegalArgumentException e) {
                r.error("kpi.windows", e.getMessage());
            }
        }
        if (kpiWindows.isEmpty()) {
            r.error("kpi.windows", "needs at least one of 1h, 1d, 1w, 1M, 1Q, 1y");
        }
        Kpi kpi = new Kpi(
                kpiWindows,
                r.duration("kpi.lookback", Duration.ofHours(1), Duration.ofDays(3650)),
                fiscal,
                r.duration("kpi.retention-lookback", Duration.ofDays(1), Duration.ofDays(3650)),
                r.doubleIn("kpi.gross-margin", 0, 1));

        DataQuality dq = new DataQuality(
                r.duration("dataquality.window", Duration.ofSeconds(1), Duration.ofDays(1)),
                r.duration("dataquality.grace", Duration.ZERO, Duration.ofDays(1)));
        Job job = new Job(
                r.intIn("job.parallelism", 1, 1024),
                r.intIn("job.max-parallelism", 1, 32768),
                r.duration("job.checkpoint-interval", Duration.ofMillis(10), Duration.ofHours(1)),
                r.duration("job.checkpoint-timeout", Duration.ofSeconds(1), Duration.ofHours(2)),
                r.nonEmpty("job.state-dir"),
                r.intIn("job.rest-port", 0, 65535));
        Generator generator = new Generator(
                r.doubleIn("generator.speed-up", 0.001, 1e9),
                r.duration("generator.start-ago", Duration.ZERO, Duration.ofDays(3650)),
                r.duration("generator.warmup", Duration.ZERO, Duration.ofDays(3650)),
                r.intIn("generator.accounts", 1, 100_000_000),
                r.doubleIn("generator.malformed-share", 0, 1),
                r.doubleIn("generator.duplicate-share", 0, 1));

        List<Channel> channels = new ArrayList<>();
        Set<String> channelNames = new TreeSet<>();
        r.prefixed("router.channels.").keySet().forEach(k -> channelNames.add(k.substring(0, k.indexOf('.'))));
        for (String name : channelNames) {
            String base = "router.channels." + name + ".";
            String url = flat.get(base + "url");
            String urlEnv = flat.get(base + "url-env");
            String urlFile = flat.get(base + "url-file");
            int given = (url == null ? 0 : 1) + (urlEnv == null ? 0 : 1) + (urlFile == null ? 0 : 1);
            if (given != 1) {
                r.error(base + "url-env", "give exactly one of url-env (an environment variable), url-file or url");
            }
            String format = flat.getOrDefault(base + "format", "json").trim();
            if (!List.of("json", "slack").contains(format)) {
                r.error(base + "format", "'" + format + "' is not one of json, slack");
            }
            String severity =
                    flat.getOrDefault(base + "min-severity", "info").trim().toLowerCase(Locale.ROOT);
            if (!List.of("info", "warning", "critical").contains(severity)) {
                r.error(base + "min-severity", "'" + severity + "' is not one of info, warning, critical");
            }
            List<String> types = r.list(base + "types").stream()
                    .map(t -> t.toUpperCase(Locale.ROOT))
                    .toList();
            channels.add(new Channel(
                    name,
                    url,
                    urlEnv,
                    urlFile,
                    format,
                    types,
                    severity,
                    r.list(base + "segments"),
                    r.list(base + "owners")));
        }
        Router router = new Router(
                flat.getOrDefault("router.group-id", "revstream-alert-router"),
                r.duration("router.max-alert-age", Duration.ZERO, Duration.ofDays(3650)),
                r.duration("router.request-timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                r.intIn("router.attempts", 1, 100),
                r.duration("router.initial-backoff", Duration.ofMillis(1), Duration.ofHours(1)),
                r.duration("router.max-backoff", Duration.ofMillis(1), Duration.ofHours(24)),
                r.intIn("router.in-flight", 1, 10_000),
                flat.getOrDefault("router.state-dir", ".revstream/router"),
                channels);

        String compression =
                flat.getOrDefault("warehouse.compression", "snappy").trim().toLowerCase(Locale.ROOT);
        if (!List.of("snappy", "zstd", "gzip", "none").contains(compression)) {
            r.error("warehouse.compression", "'" + compression + "' is not one of snappy, zstd, gzip, none");
        }
        Warehouse warehouse =
                new Warehouse(flat.getOrDefault("warehouse.path", "").trim(), compression);

        String rulesFile = flat.getOrDefault("actions.rules", "").trim();
        Duration ruleInterval = r.duration("actions.evaluation-interval", Duration.ofMinutes(1), Duration.ofDays(7));

        if (job.maxParallelism() > 0 && job.parallelism() > job.maxParallelism()) {
            r.error("job.parallelism", "must not exceed job.max-parallelism (" + job.maxParallelism() + ")");
        }
        if (kafka.delivery() == Delivery.EXACTLY_ONCE
                && kafka.transactionTimeout() != null
                && job.checkpointInterval() != null
                && kafka.transactionTimeout().compareTo(job.checkpointInterval().multipliedBy(2)) < 0) {
            r.error(
                    "kafka.transaction-timeout",
                    "must be at least twice job.checkpoint-interval (" + Units.format(job.checkpointInterval())
                            + ") so a transaction can outlive a slow checkpoint");
        }
        if (topics.touchpoints() != null && topics.touchpoints().equals(topics.deals())) {
            r.error("topics.deals", "must differ from topics.touchpoints: the topic decides an event's kind");
        }
        if (topics.touchpoints() != null && topics.outputs().contains(topics.touchpoints())
                || topics.deals() != null && topics.outputs().contains(topics.deals())) {
            r.error("topics", "an input topic is also an output topic; the job never reads its own output");
        }
        r.throwIfErrors();

        List<String> canonical =
                new ArrayList<>(stages.stream().map(Stage::name).toList());
        canonical.add("CLOSED_WON");
        canonical.add("CLOSED_LOST");
        SourceMappings mappings;
        try {
            mappings = mappingsLoader.apply(new MappingRequest(ingest.mappingFiles(), canonical));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ingest.mappings: " + e.getMessage(), e);
        }
        RuleSet rules = RuleSet.none();
        if (!rulesFile.isEmpty()) {
            try {
                rules = RuleFiles.fromTree(rulesReader.apply(rulesFile), ruleInterval.toMillis());
                RuleBook.compile(rules);
            } catch (RuleException e) {
                throw new ConfigException(
                        "actions.rules: " + rulesFile + " has " + e.problems().size() + " problem(s):\n  "
                                + String.join("\n  ", e.problems()),
                        e);
            }
        }
        return new RevstreamConfig(
                Map.copyOf(flat),
                kafka,
                topics,
                time,
                ingest,
                deals,
                alerts,
                kpi,
                dq,
                job,
                generator,
                mappings,
                rules,
                router,
                warehouse);
    }

    /** What the mapping loader is asked for. */
    public record MappingRequest(List<String> files, List<String> canonicalStages) {}

    /** The ingest stage's view of this configuration. */
    public IngestSettings ingestSettings() {
        return new IngestSettings(
                topics.touchpoints(),
                ingest.maxValueBytes(),
                ingest.maxFuture().toMillis(),
                ingest.deadletterMaxPayload(),
                ingest.reportingCurrency(),
                ingest.currencyRates(),
                mappings);
    }

    /** Flink options given as {@code flink.<option>} (passed to the job's configuration as they are). */
    public Map<String, String> flinkOptions() {
        Map<String, String> out = new TreeMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith("flink.")) {
                out.put(k.substring("flink.".length()), v);
            }
        });
        return out;
    }

    /** The journey rules' view of this configuration; {@code asOf} is set by the job at run time. */
    public JourneySettings journeySettings() {
        List<StageConfig> stageConfigs = deals.stages().stream()
                .map(st -> new StageConfig(st.name(), st.stallSla().toMillis(), st.winProbability()))
                .toList();
        Map<String, Map<String, Long>> stallBySegment = new TreeMap<>();
        deals.stallSlaBySegment()
                .forEach((seg, m) -> m.forEach((stage, d) -> stallBySegment
                        .computeIfAbsent(seg, k -> new TreeMap<>())
                        .put(stage, d.toMillis())));
        Map<String, Long> leadBySegment = new TreeMap<>();
        alerts.leadSlaBySegment().forEach((seg, d) -> leadBySegment.put(seg, d.toMillis()));
        BusinessCalendar calendar = alerts.leadSlaMode() == LeadSlaMode.BUSINESS_HOURS
                ? new BusinessCalendar(
                        EnumSet.copyOf(alerts.businessDays()),
                        alerts.businessOpen(),
                        alerts.businessClose(),
                        alerts.businessZone())
                : null;
        return new JourneySettings(
                stageConfigs,
                stallBySegment,
                alerts.leadSla().toMillis(),
                leadBySegment,
                calendar,
                alerts.slippageAlertFrom(),
                alerts.slippageWarningFrom(),
                alerts.stallCriticalStage(),
                alerts.stallCriticalAmount(),
                deals.tombstone().toMillis(),
                time.zone(),
                alerts.health(),
                alerts.attribution(),
                null);
    }

    /** A comma-separated list of {@code n} shares, each 0..1, adding up to at most 1. */
    private static List<Double> shares(Reader r, String key, int n) {
        List<String> parts = r.list(key);
        List<Double> out = new ArrayList<>();
        try {
            for (String p : parts) {
                out.add(Double.parseDouble(p));
            }
        } catch (NumberFormatException e) {
            out.clear();
        }
        double sum = out.stream().mapToDouble(Double::doubleValue).sum();
        if (out.size() != n || out.stream().anyMatch(x -> x < 0) || sum > 1 + 1e-9) {
            r.error(
                    key,
                    "'" + String.join(", ", parts) + "' must be " + n + " shares from 0 to 1 adding up to at most 1");
            out.clear();
        }
        while (out.size() < n) {
            out.add(0.0);
        }
        return out;
    }

    private static long millis(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    private static String expandDay(String day) {
        String d = day.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().startsWith(d) && d.length() >= 3) {
                return w.name();
            }
        }
        return d;
    }

    /** Collects validation errors so that one start-up reports all of them. */
    static final class Reader {
        private final Map<String, String> flat;
        private final Map<String, String> errors = new LinkedHashMap<>();

        Reader(Map<String, String> flat) {
            this.flat = flat;
        }

        void error(String key, String message) {
            errors.putIfAbsent(key, message);
        }

        void throwIfErrors() {
            if (!errors.isEmpty()) {
                StringBuilder sb = new StringBuilder("invalid configuration:");
                errors.forEach(
                        (k, v) -> sb.append("\n  ").append(k).append(": ").append(v));
                throw new ConfigException(sb.toString());
            }
        }

        void checkKnownKeys() {
            for (String key : flat.keySet()) {
                if (KEYS.contains(key)
                        || OPEN_KEYS.stream().anyMatch(p -> p.matcher(key).matches())) {
                    continue;
                }
                String section = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
                List<String> siblings =
                        KEYS.stream().filter(k -> k.startsWith(section)).toList();
                error(
                        key,
                        "unknown key"
                                + (siblings.isEmpty()
                                        ? "; the sections are "
                                                + KEYS.stream()
                                                        .map(k -> k.substring(0, k.indexOf('.')))
                                                        .distinct()
                                                        .toList()
                                        : "; the keys under '" + section + "' are " + siblings));
            }
        }

        private String value(String key) {
            String v = flat.get(key);
            if (v == null || v.isBlank()) {
                error(key, "is required");
                return null;
            }
            return v.trim();
        }

        String nonEmpty(String key) {
            return value(key);
        }

        List<String> list(String key) {
            String v = flat.get(key);
            if (v == null || v.isBlank()) {
                return List.of();
            }
            return Arrays.stream(v.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        Map<String, String> prefixed(String prefix) {
            Map<String, String> out = new TreeMap<>();
            flat.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }

        <E extends Enum<E>> E oneOf(String key, Class<E> type) {
            String v = value(key);
            if (v == null) {
                return null;
            }
            String name = v.toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
            error(
                    key,
                    "'" + v + "' is not one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                    .toList());
            return null;
        }

        Duration duration(String key, Duration min, Duration max) {
            String v = value(key);
            if (v == null) {
                return null;
            }
            try {
                Duration d = Units.duration(v);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    error(key, "'" + v + "' must be between " + Units.format(min) + " and " + Units.format(max));
                }
                return d;
            } catch (IllegalArgumentException e) {
                error(key, e.getMessage());
                return null;
            }
        }

        long bytes(String key, long min, long max) {
            String v = value(key);
            if (v == null) {
                return 0;
            }
            try {
                long b = Units.bytes(v);
                if (b < min || b > max) {
                    error(key, "'" + v + "' must be between " + min + " and " + max + " bytes");
                }
                return b;
            } catch (IllegalArgumentException e) {
                error(key, e.getMessage());
                return 0;
            }
        }

        int intIn(String key, int min, int max) {
            String v = value(key);
            if (v == null) {
                return 0;
            }
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    error(key, "'" + v + "' must be a whole number from " + min + " to " + max);
                }
                return i;
            } catch (NumberFormatException e) {
                error(key, "'" + v + "' must be a whole number from " + min + " to " + max);
                return 0;
            }
        }

        double doubleIn(String key, double min, double max) {
            String v = value(key);
            if (v == null) {
                return 0;
            }
            try {
                double d = Double.parseDouble(v);
                if (!(d >= min && d <= max)) {
                    error(key, "'" + v + "' must be a number from " + min + " to " + max);
                }
                return d;
            } catch (NumberFormatException e) {
                error(key, "'" + v + "' must be a number from " + min + " to " + max);
                return 0;
            }
        }

        BigDecimal positiveDecimal(String key, String v) {
            try {
                BigDecimal d = new BigDecimal(v.trim());
                if (d.signum() <= 0) {
                    error(key, "'" + v + "' must be a positive number");
                    return null;
                }
                return d;
            } catch (NumberFormatException e) {
                error(key, "'" + v + "' must be a positive number");
                return null;
            }
        }

        boolean bool(String key) {
            String v = value(key);
            if (v == null) {
                return false;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            error(key, "'" + v + "' is not one of [true, false]");
            return false;
        }

        ZoneId zone(String key) {
            String v = value(key);
            if (v == null) {
                return null;
            }
            try {
                return ZoneId.of(v);
            } catch (RuntimeException e) {
                error(key, "'" + v + "' is not a time zone such as UTC or Europe/Berlin");
                return null;
            }
        }
    }
}
