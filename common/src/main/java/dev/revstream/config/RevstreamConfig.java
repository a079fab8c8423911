package dev.revstream.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.actions.RuleSet;
import dev.revstream.attribution.AttributionSettings;
import dev.revstream.identity.IdentitySettings;
import dev.revstream.ingest.IngestSettings;
import dev.revstream.ingest.SourceFormat;
import dev.revstream.ingest.SourceMappings;
import dev.revstream.journey.BusinessCalendar;
import dev.revstream.journey.HealthSettings;
import dev.revstream.journey.JourneySettings;
import dev.revstream.journey.StageConfig;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.kpi.Quotas;
import dev.revstream.model.ForecastCategory;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The typed, validated configuration of revstream. Built from the flat key/value view that
 * {@link ConfigLoader} assembles (file, environment, {@code --set}) by {@link ConfigParser}, every
 * value read through its one declaration in {@link Settings}; every problem is collected and reported
 * at once, each naming its key and what is allowed.
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
        Warehouse warehouse,
        Collect collect,
        IdentitySettings identity)
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
            String forecasts,
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
                    forecasts,
                    attribution,
                    actions,
                    alertsDeadletter);
        }

        /** {@code topics.<topic>=<prefix>.<topic>} for every topic: a run on topics of its own (benchmarks, tests). */
        public static List<String> prefixedSets(String prefix) {
            return Settings.ALL.stream()
                    .map(Setting::key)
                    .filter(k -> k.startsWith("topics."))
                    .map(k -> k + "=" + prefix + "." + k.substring("topics.".length()))
                    .toList();
        }
    }

    public record Time(
            Duration outOfOrderness,
            Duration correctionHorizon,
            Duration idleTimeout,
            boolean followWallClock,
            Duration watermarkInterval,
            Duration boundedWatermarkInterval,
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
            List<String> mappingFiles,
            Map<String, SourceFormat> formats)
            implements Serializable {}

    /** @param forecastCategory a deal's forecast category in this stage when its source sends none */
    public record Stage(String name, Duration stallSla, double winProbability, String forecastCategory)
            implements Serializable {
        /** Without a configured category: {@link ForecastCategory#forWinProbability}. */
        public static String defaultCategory(double winProbability) {
            return ForecastCategory.forWinProbability(winProbability).wireName();
        }
    }

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
            double grossMargin,
            Quotas quotas)
            implements Serializable {}

    public record Job(
            int parallelism,
            int maxParallelism,
            Duration checkpointInterval,
            Duration checkpointTimeout,
            String stateDir,
            int restPort,
            long stateMemoryBytes,
            boolean boundedInBatch)
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
     * The webhook collector ({@code ./revstream collect}): where it listens, and per vendor the topic
     * and the environment variable holding the secret its signatures are made with.
     */
    public record Collect(
            int port,
            String bindAddress,
            String publicUrl,
            int maxBody,
            Duration ackTimeout,
            Duration signatureTolerance,
            Map<String, Endpoint> endpoints)
            implements Serializable {

        /** One vendor's endpoint ({@code /segment}, {@code /hubspot}, {@code /stripe}). */
        public record Endpoint(String topic, String secretEnv) implements Serializable {}
    }

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

    /**
     * Validates a flat configuration. {@code mappingsLoader} reads the named mapping files into
     * source mappings for the given canonical stages.
     */
    public static RevstreamConfig from(
            Map<String, String> flat, Function<MappingRequest, SourceMappings> mappingsLoader) {
        return from(flat, mappingsLoader, (file, key) -> {
            throw new ConfigException(key + ": no file reader");
        });
    }

    /**
     * As {@link #from(Map, Function)}; {@code files} parses a YAML file named by a key (relative to the
     * main file): the rule file of {@code actions.rules}, which is then compiled to check every rule,
     * and the quota file of {@code kpi.quotas}. Every value is read through its declaration in
     * {@link Settings}.
     *
     * @param files (file name, the key that named it) to the file's tree
     */
    public static RevstreamConfig from(
            Map<String, String> flat,
            Function<MappingRequest, SourceMappings> mappingsLoader,
            BiFunction<String, String, JsonNode> files) {
        return ConfigParser.parse(flat, mappingsLoader, files);
    }

    /** What the mapping loader is asked for. */
    public record MappingRequest(List<String> files, List<String> canonicalStages) {}

    /** Every topic the job reads: the touchpoints and deals topics, then those of {@code ingest.formats}. */
    public List<String> inputTopics() {
        List<String> all = new ArrayList<>(topics.inputs());
        ingest.formats().keySet().stream().filter(t -> !all.contains(t)).forEach(all::add);
        return all;
    }

    /** The ingest stage's view of this configuration. */
    public IngestSettings ingestSettings() {
        return new IngestSettings(
                topics.touchpoints(),
                ingest.maxValueBytes(),
                ingest.maxFuture().toMillis(),
                ingest.deadletterMaxPayload(),
                ingest.reportingCurrency(),
                ingest.currencyRates(),
                mappings,
                ingest.formats());
    }

    /** Flink options given as {@code flink.<option>} (passed to the job's configuration as they are). */
    public Map<String, String> flinkOptions() {
        Map<String, String> out = new TreeMap<>();
        String prefix = Settings.FLINK_OPTIONS.parent() + ".";
        raw.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The journey rules' view of this configuration; {@code asOf} is set by the job at run time. */
    public JourneySettings journeySettings() {
        List<StageConfig> stageConfigs = deals.stages().stream()
                .map(st -> new StageConfig(
                        st.name(), st.stallSla().toMillis(), st.winProbability(), st.forecastCategory()))
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
}
