package dev.revstream.config;

import static dev.revstream.config.Settings.ACTIONS_EVALUATION_INTERVAL;
import static dev.revstream.config.Settings.ACTIONS_RULES;
import static dev.revstream.config.Settings.ALERTS_BUSINESS_DAYS;
import static dev.revstream.config.Settings.ALERTS_BUSINESS_HOURS;
import static dev.revstream.config.Settings.ALERTS_BUSINESS_ZONE;
import static dev.revstream.config.Settings.ALERTS_LEAD_SLA;
import static dev.revstream.config.Settings.ALERTS_LEAD_SLA_MODE;
import static dev.revstream.config.Settings.ALERTS_SEGMENT_LEAD_SLA;
import static dev.revstream.config.Settings.ALERTS_SLIPPAGE_ALERT_FROM;
import static dev.revstream.config.Settings.ALERTS_SLIPPAGE_WARNING_FROM;
import static dev.revstream.config.Settings.ALERTS_STALL_CRITICAL_AMOUNT;
import static dev.revstream.config.Settings.ALERTS_STALL_CRITICAL_STAGE;
import static dev.revstream.config.Settings.ATTRIBUTION_FULL_PATH;
import static dev.revstream.config.Settings.ATTRIBUTION_HALF_LIFE;
import static dev.revstream.config.Settings.ATTRIBUTION_U_SHAPED;
import static dev.revstream.config.Settings.ATTRIBUTION_WINDOW;
import static dev.revstream.config.Settings.ATTRIBUTION_W_SHAPED;
import static dev.revstream.config.Settings.CHANNEL_FORMAT;
import static dev.revstream.config.Settings.CHANNEL_MIN_SEVERITY;
import static dev.revstream.config.Settings.CHANNEL_OWNERS;
import static dev.revstream.config.Settings.CHANNEL_SEGMENTS;
import static dev.revstream.config.Settings.CHANNEL_TYPES;
import static dev.revstream.config.Settings.CHANNEL_URL;
import static dev.revstream.config.Settings.CHANNEL_URL_ENV;
import static dev.revstream.config.Settings.CHANNEL_URL_FILE;
import static dev.revstream.config.Settings.COLLECT_ACK_TIMEOUT;
import static dev.revstream.config.Settings.COLLECT_BIND_ADDRESS;
import static dev.revstream.config.Settings.COLLECT_HUBSPOT_SECRET_ENV;
import static dev.revstream.config.Settings.COLLECT_HUBSPOT_TOPIC;
import static dev.revstream.config.Settings.COLLECT_MAX_BODY;
import static dev.revstream.config.Settings.COLLECT_PORT;
import static dev.revstream.config.Settings.COLLECT_PUBLIC_URL;
import static dev.revstream.config.Settings.COLLECT_SEGMENT_SECRET_ENV;
import static dev.revstream.config.Settings.COLLECT_SEGMENT_TOPIC;
import static dev.revstream.config.Settings.COLLECT_SIGNATURE_TOLERANCE;
import static dev.revstream.config.Settings.COLLECT_STRIPE_SECRET_ENV;
import static dev.revstream.config.Settings.COLLECT_STRIPE_TOPIC;
import static dev.revstream.config.Settings.DATAQUALITY_GRACE;
import static dev.revstream.config.Settings.DATAQUALITY_WINDOW;
import static dev.revstream.config.Settings.DEALS_SEGMENT_STALL_SLA;
import static dev.revstream.config.Settings.DEALS_STAGE;
import static dev.revstream.config.Settings.DEALS_STAGES;
import static dev.revstream.config.Settings.DEALS_STAGE_FORECAST_CATEGORY;
import static dev.revstream.config.Settings.DEALS_STAGE_STALL_SLA;
import static dev.revstream.config.Settings.DEALS_STAGE_WIN_PROBABILITY;
import static dev.revstream.config.Settings.DEALS_TOMBSTONE;
import static dev.revstream.config.Settings.GENERATOR_ACCOUNTS;
import static dev.revstream.config.Settings.GENERATOR_DUPLICATE_SHARE;
import static dev.revstream.config.Settings.GENERATOR_MALFORMED_SHARE;
import static dev.revstream.config.Settings.GENERATOR_SPEED_UP;
import static dev.revstream.config.Settings.GENERATOR_START_AGO;
import static dev.revstream.config.Settings.GENERATOR_WARMUP;
import static dev.revstream.config.Settings.HEALTH_CHAMPION_POINTS;
import static dev.revstream.config.Settings.HEALTH_CHAMPION_WINDOW;
import static dev.revstream.config.Settings.HEALTH_CHURN_BELOW;
import static dev.revstream.config.Settings.HEALTH_CRITICAL_BELOW;
import static dev.revstream.config.Settings.HEALTH_NPS_MAX_SCORE;
import static dev.revstream.config.Settings.HEALTH_NPS_POINTS;
import static dev.revstream.config.Settings.HEALTH_NPS_WINDOW;
import static dev.revstream.config.Settings.HEALTH_PAYMENT_POINTS;
import static dev.revstream.config.Settings.HEALTH_PAYMENT_WINDOW;
import static dev.revstream.config.Settings.HEALTH_REARM_AT;
import static dev.revstream.config.Settings.HEALTH_TICKET_COUNT;
import static dev.revstream.config.Settings.HEALTH_TICKET_POINTS;
import static dev.revstream.config.Settings.HEALTH_TICKET_WINDOW;
import static dev.revstream.config.Settings.HEALTH_USAGE_DROP_POINTS;
import static dev.revstream.config.Settings.HEALTH_USAGE_DROP_RATIO;
import static dev.revstream.config.Settings.HEALTH_USAGE_WINDOW;
import static dev.revstream.config.Settings.IDENTITY_MAX_WAITING;
import static dev.revstream.config.Settings.IDENTITY_RETENTION;
import static dev.revstream.config.Settings.IDENTITY_UNRESOLVED_TIMEOUT;
import static dev.revstream.config.Settings.INGEST_CURRENCY_RATES;
import static dev.revstream.config.Settings.INGEST_DEADLETTER_MAX_PAYLOAD;
import static dev.revstream.config.Settings.INGEST_DEDUP_HORIZON;
import static dev.revstream.config.Settings.INGEST_DEDUP_TTL;
import static dev.revstream.config.Settings.INGEST_FORMATS;
import static dev.revstream.config.Settings.INGEST_MAPPINGS;
import static dev.revstream.config.Settings.INGEST_MAX_FUTURE;
import static dev.revstream.config.Settings.INGEST_MAX_VALUE_BYTES;
import static dev.revstream.config.Settings.INGEST_REPORTING_CURRENCY;
import static dev.revstream.config.Settings.JOB_BOUNDED_EXECUTION;
import static dev.revstream.config.Settings.JOB_CHECKPOINT_INTERVAL;
import static dev.revstream.config.Settings.JOB_CHECKPOINT_TIMEOUT;
import static dev.revstream.config.Settings.JOB_MAX_PARALLELISM;
import static dev.revstream.config.Settings.JOB_PARALLELISM;
import static dev.revstream.config.Settings.JOB_REST_PORT;
import static dev.revstream.config.Settings.JOB_STATE_DIR;
import static dev.revstream.config.Settings.JOB_STATE_MEMORY;
import static dev.revstream.config.Settings.JOURNEY_STATE_TTL;
import static dev.revstream.config.Settings.KAFKA_BOOTSTRAP_SERVERS;
import static dev.revstream.config.Settings.KAFKA_DELIVERY;
import static dev.revstream.config.Settings.KAFKA_GROUP_ID;
import static dev.revstream.config.Settings.KAFKA_MAX_RECORD_BYTES;
import static dev.revstream.config.Settings.KAFKA_PROPERTIES;
import static dev.revstream.config.Settings.KAFKA_STARTING_OFFSETS;
import static dev.revstream.config.Settings.KAFKA_TOPIC_PARTITIONS;
import static dev.revstream.config.Settings.KAFKA_TOPIC_REPLICATION;
import static dev.revstream.config.Settings.KAFKA_TRANSACTIONAL_ID_PREFIX;
import static dev.revstream.config.Settings.KAFKA_TRANSACTION_TIMEOUT;
import static dev.revstream.config.Settings.KPI_FISCAL_YEAR_START_MONTH;
import static dev.revstream.config.Settings.KPI_GROSS_MARGIN;
import static dev.revstream.config.Settings.KPI_LOOKBACK;
import static dev.revstream.config.Settings.KPI_QUOTAS;
import static dev.revstream.config.Settings.KPI_RETENTION_LOOKBACK;
import static dev.revstream.config.Settings.KPI_WINDOWS;
import static dev.revstream.config.Settings.ROUTER_ATTEMPTS;
import static dev.revstream.config.Settings.ROUTER_CHANNELS;
import static dev.revstream.config.Settings.ROUTER_GROUP_ID;
import static dev.revstream.config.Settings.ROUTER_INITIAL_BACKOFF;
import static dev.revstream.config.Settings.ROUTER_IN_FLIGHT;
import static dev.revstream.config.Settings.ROUTER_MAX_ALERT_AGE;
import static dev.revstream.config.Settings.ROUTER_MAX_BACKOFF;
import static dev.revstream.config.Settings.ROUTER_REQUEST_TIMEOUT;
import static dev.revstream.config.Settings.ROUTER_STATE_DIR;
import static dev.revstream.config.Settings.TIME_BOUNDED_WATERMARK_INTERVAL;
import static dev.revstream.config.Settings.TIME_CORRECTION_HORIZON;
import static dev.revstream.config.Settings.TIME_FOLLOW_WALL_CLOCK;
import static dev.revstream.config.Settings.TIME_IDLE_TIMEOUT;
import static dev.revstream.config.Settings.TIME_OUT_OF_ORDERNESS;
import static dev.revstream.config.Settings.TIME_WATERMARK_INTERVAL;
import static dev.revstream.config.Settings.TIME_ZONE;
import static dev.revstream.config.Settings.TOPIC_ACTIONS;
import static dev.revstream.config.Settings.TOPIC_ALERTS;
import static dev.revstream.config.Settings.TOPIC_ALERTS_DEADLETTER;
import static dev.revstream.config.Settings.TOPIC_ATTRIBUTION;
import static dev.revstream.config.Settings.TOPIC_DATAQUALITY;
import static dev.revstream.config.Settings.TOPIC_DEADLETTER;
import static dev.revstream.config.Settings.TOPIC_DEALS;
import static dev.revstream.config.Settings.TOPIC_EVENTS;
import static dev.revstream.config.Settings.TOPIC_FORECASTS;
import static dev.revstream.config.Settings.TOPIC_JOURNEY;
import static dev.revstream.config.Settings.TOPIC_KPIS;
import static dev.revstream.config.Settings.TOPIC_LATE;
import static dev.revstream.config.Settings.TOPIC_TOUCHPOINTS;
import static dev.revstream.config.Settings.WAREHOUSE_COMPRESSION;
import static dev.revstream.config.Settings.WAREHOUSE_PATH;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.actions.RuleBook;
import dev.revstream.actions.RuleException;
import dev.revstream.actions.RuleFiles;
import dev.revstream.actions.RuleSet;
import dev.revstream.attribution.AttributionSettings;
import dev.revstream.config.RevstreamConfig.Alerts;
import dev.revstream.config.RevstreamConfig.Channel;
import dev.revstream.config.RevstreamConfig.Collect;
import dev.revstream.config.RevstreamConfig.DataQuality;
import dev.revstream.config.RevstreamConfig.Deals;
import dev.revstream.config.RevstreamConfig.Delivery;
import dev.revstream.config.RevstreamConfig.Generator;
import dev.revstream.config.RevstreamConfig.Ingest;
import dev.revstream.config.RevstreamConfig.Job;
import dev.revstream.config.RevstreamConfig.Kafka;
import dev.revstream.config.RevstreamConfig.Kpi;
import dev.revstream.config.RevstreamConfig.MappingRequest;
import dev.revstream.config.RevstreamConfig.Router;
import dev.revstream.config.RevstreamConfig.Stage;
import dev.revstream.config.RevstreamConfig.Time;
import dev.revstream.config.RevstreamConfig.Topics;
import dev.revstream.config.RevstreamConfig.Warehouse;
import dev.revstream.identity.IdentitySettings;
import dev.revstream.ingest.SourceFormat;
import dev.revstream.ingest.SourceMappings;
import dev.revstream.journey.HealthSettings;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.kpi.QuotaFile;
import dev.revstream.kpi.Quotas;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds the typed {@link RevstreamConfig} from the flat view, reading every value through its
 * {@link Settings} declaration; what one declaration cannot say (lists of stages, windows and channels,
 * checks across settings) is here.
 */
final class ConfigParser {
    private ConfigParser() {}

    static RevstreamConfig parse(
            Map<String, String> flat,
            Function<MappingRequest, SourceMappings> mappingsLoader,
            BiFunction<String, String, JsonNode> files) {
        ConfigValues v = new ConfigValues(flat);
        v.checkKnownKeys();

        Kafka kafka = new Kafka(
                v.get(KAFKA_BOOTSTRAP_SERVERS),
                v.get(KAFKA_GROUP_ID),
                v.get(KAFKA_STARTING_OFFSETS),
                v.get(KAFKA_DELIVERY),
                v.get(KAFKA_TRANSACTION_TIMEOUT),
                v.get(KAFKA_TRANSACTIONAL_ID_PREFIX),
                v.integer(KAFKA_TOPIC_PARTITIONS),
                (short) v.integer(KAFKA_TOPIC_REPLICATION),
                v.bytes(KAFKA_MAX_RECORD_BYTES),
                v.under(KAFKA_PROPERTIES));
        Topics topics = new Topics(
                v.get(TOPIC_TOUCHPOINTS),
                v.get(TOPIC_DEALS),
                v.get(TOPIC_EVENTS),
                v.get(TOPIC_DEADLETTER),
                v.get(TOPIC_LATE),
                v.get(TOPIC_DATAQUALITY),
                v.get(TOPIC_JOURNEY),
                v.get(TOPIC_ALERTS),
                v.get(TOPIC_KPIS),
                v.get(TOPIC_FORECASTS),
                v.get(TOPIC_ATTRIBUTION),
                v.get(TOPIC_ACTIONS),
                v.get(TOPIC_ALERTS_DEADLETTER));
        Time time = new Time(
                v.get(TIME_OUT_OF_ORDERNESS),
                v.get(TIME_CORRECTION_HORIZON),
                v.get(TIME_IDLE_TIMEOUT),
                v.bool(TIME_FOLLOW_WALL_CLOCK),
                v.get(TIME_WATERMARK_INTERVAL),
                v.get(TIME_BOUNDED_WATERMARK_INTERVAL),
                v.get(TIME_ZONE));
        Map<String, BigDecimal> rates = new TreeMap<>();
        v.under(INGEST_CURRENCY_RATES).forEach((code, value) -> {
            BigDecimal rate = v.get(INGEST_CURRENCY_RATES, INGEST_CURRENCY_RATES.parent() + "." + code);
            if (rate != null) {
                rates.put(code.toUpperCase(Locale.ROOT), rate);
            }
        });
        String reporting = v.get(INGEST_REPORTING_CURRENCY);
        Map<String, SourceFormat> formats = new TreeMap<>();
        v.under(INGEST_FORMATS).forEach((topic, value) -> {
            String name = v.get(INGEST_FORMATS, INGEST_FORMATS.parent() + "." + topic);
            if (name != null) {
                formats.put(topic, SourceFormat.forName(name));
            }
        });
        Ingest ingest = new Ingest(
                v.bytes(INGEST_MAX_VALUE_BYTES),
                v.get(INGEST_MAX_FUTURE),
                v.bytes(INGEST_DEADLETTER_MAX_PAYLOAD),
                v.get(INGEST_DEDUP_HORIZON),
                v.get(INGEST_DEDUP_TTL),
                reporting,
                rates,
                v.get(INGEST_MAPPINGS),
                formats);

        List<String> stageNames = v.get(DEALS_STAGES);
        List<String> listed =
                stageNames.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        String notListed = "' is not listed in deals.stages " + stageNames;
        if (stageNames.isEmpty()) {
            v.error(DEALS_STAGES.key(), "needs at least one open stage");
        }
        List<Stage> stages = new ArrayList<>();
        for (String name : stageNames) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (!upper.matches("[A-Z][A-Z0-9_]*") || upper.startsWith("CLOSED_")) {
                v.error(
                        DEALS_STAGES.key(),
                        "'" + name + "' is not a valid open stage name (letters, digits, _; not CLOSED_*)");
                continue;
            }
            double probability =
                    orZero(v.get(DEALS_STAGE_WIN_PROBABILITY, stageKey(DEALS_STAGE_WIN_PROBABILITY, upper)));
            String category = null;
            for (String rest : v.under(DEALS_STAGE_FORECAST_CATEGORY).keySet()) {
                if (rest.toUpperCase(Locale.ROOT).equals(upper + ".FORECAST-CATEGORY")) {
                    category = v.get(DEALS_STAGE_FORECAST_CATEGORY, DEALS_STAGE.key() + "." + rest);
                }
            }
            stages.add(new Stage(
                    upper,
                    v.get(DEALS_STAGE_STALL_SLA, stageKey(DEALS_STAGE_STALL_SLA, upper)),
                    probability,
                    category != null ? category : Stage.defaultCategory(probability)));
        }
        v.under(DEALS_STAGE_STALL_SLA).keySet().forEach(rest -> {
            String stage = rest.substring(0, rest.lastIndexOf('.'));
            if (!listed.contains(stage.toUpperCase(Locale.ROOT))) {
                v.error(DEALS_STAGE.key() + "." + rest, "stage '" + stage + notListed);
            }
        });

        Map<String, Map<String, Duration>> stallBySegment = new TreeMap<>();
        v.under(DEALS_SEGMENT_STALL_SLA).keySet().forEach(rest -> {
            String key = DEALS_SEGMENT_STALL_SLA.parent() + "." + rest;
            String segment = rest.substring(0, rest.indexOf('.'));
            String stage = rest.substring(rest.lastIndexOf('.') + 1).toUpperCase(Locale.ROOT);
            if (!listed.contains(stage)) {
                v.error(key, "stage '" + stage + notListed);
            }
            Duration d = v.get(DEALS_SEGMENT_STALL_SLA, key);
            if (d != null) {
                stallBySegment.computeIfAbsent(segment, k -> new TreeMap<>()).put(stage, d);
            }
        });
        Deals deals = new Deals(stages, stallBySegment, v.get(DEALS_TOMBSTONE));

        Map<String, Duration> leadBySegment = new TreeMap<>();
        v.under(ALERTS_SEGMENT_LEAD_SLA).keySet().forEach(rest -> {
            Duration d = v.get(ALERTS_SEGMENT_LEAD_SLA, ALERTS_SEGMENT_LEAD_SLA.parent() + "." + rest);
            if (d != null) {
                leadBySegment.put(rest.substring(0, rest.lastIndexOf('.')), d);
            }
        });
        SettingType.Hours hours = v.get(ALERTS_BUSINESS_HOURS);
        String criticalStage = v.get(ALERTS_STALL_CRITICAL_STAGE);
        if (criticalStage != null && !listed.contains(criticalStage.toUpperCase(Locale.ROOT))) {
            v.error(ALERTS_STALL_CRITICAL_STAGE.key(), "'" + criticalStage + notListed);
        }
        HealthSettings health = new HealthSettings(
                v.integer(HEALTH_CHURN_BELOW),
                v.integer(HEALTH_REARM_AT),
                v.integer(HEALTH_CRITICAL_BELOW),
                v.integer(HEALTH_USAGE_DROP_POINTS),
                v.number(HEALTH_USAGE_DROP_RATIO),
                v.millis(HEALTH_USAGE_WINDOW),
                v.integer(HEALTH_TICKET_POINTS),
                v.integer(HEALTH_TICKET_COUNT),
                v.millis(HEALTH_TICKET_WINDOW),
                v.integer(HEALTH_NPS_POINTS),
                v.integer(HEALTH_NPS_MAX_SCORE),
                v.millis(HEALTH_NPS_WINDOW),
                v.integer(HEALTH_CHAMPION_POINTS),
                v.millis(HEALTH_CHAMPION_WINDOW),
                v.integer(HEALTH_PAYMENT_POINTS),
                v.millis(HEALTH_PAYMENT_WINDOW));
        if (health.rearmAt() < health.churnBelow()) {
            v.error(
                    HEALTH_REARM_AT.key(),
                    "must be at least " + HEALTH_CHURN_BELOW.key() + " (" + health.churnBelow() + ")");
        }
        List<Double> u = v.get(ATTRIBUTION_U_SHAPED);
        List<Double> w = v.get(ATTRIBUTION_W_SHAPED);
        double fullPath = v.number(ATTRIBUTION_FULL_PATH);
        AttributionSettings attribution = new AttributionSettings(
                v.millis(ATTRIBUTION_WINDOW),
                v.millis(ATTRIBUTION_HALF_LIFE),
                u.get(0),
                u.get(1),
                w.get(0),
                w.get(1),
                w.get(2),
                fullPath);
        Alerts alerts = new Alerts(
                v.get(ALERTS_LEAD_SLA),
                v.get(ALERTS_LEAD_SLA_MODE),
                v.get(ALERTS_BUSINESS_DAYS),
                hours == null ? null : hours.open(),
                hours == null ? null : hours.close(),
                v.get(ALERTS_BUSINESS_ZONE),
                leadBySegment,
                v.integer(ALERTS_SLIPPAGE_ALERT_FROM),
                v.integer(ALERTS_SLIPPAGE_WARNING_FROM),
                criticalStage == null ? null : criticalStage.toUpperCase(Locale.ROOT),
                v.number(ALERTS_STALL_CRITICAL_AMOUNT),
                health,
                v.get(JOURNEY_STATE_TTL),
                attribution);

        int fiscal = v.integer(KPI_FISCAL_YEAR_START_MONTH);
        List<KpiWindow> kpiWindows = new ArrayList<>();
        for (String window : v.get(KPI_WINDOWS)) {
            try {
                kpiWindows.add(new KpiWindow(window, time.zone() == null ? ZoneOffset.UTC : time.zone(), fiscal));
            } catch (IllegalArgumentException e) {
                v.error(KPI_WINDOWS.key(), e.getMessage());
            }
        }
        if (kpiWindows.isEmpty()) {
            v.error(KPI_WINDOWS.key(), "needs at least one of 1h, 1d, 1w, 1M, 1Q, 1y");
        }
        String quotaFile = v.get(KPI_QUOTAS);
        Quotas quotas = Quotas.none();
        if (quotaFile != null && !quotaFile.isEmpty()) {
            try {
                quotas = QuotaFile.fromTree(
                        files.apply(quotaFile, KPI_QUOTAS.key()),
                        time.zone() == null ? ZoneOffset.UTC : time.zone(),
                        fiscal);
            } catch (IllegalArgumentException e) {
                v.error(KPI_QUOTAS.key(), quotaFile + ": " + e.getMessage());
            }
        }
        Kpi kpi = new Kpi(
                kpiWindows,
                v.get(KPI_LOOKBACK),
                fiscal,
                v.get(KPI_RETENTION_LOOKBACK),
                v.number(KPI_GROSS_MARGIN),
                quotas);

        DataQuality dq = new DataQuality(v.get(DATAQUALITY_WINDOW), v.get(DATAQUALITY_GRACE));
        Job job = new Job(
                v.integer(JOB_PARALLELISM),
                v.integer(JOB_MAX_PARALLELISM),
                v.get(JOB_CHECKPOINT_INTERVAL),
                v.get(JOB_CHECKPOINT_TIMEOUT),
                v.get(JOB_STATE_DIR),
                v.integer(JOB_REST_PORT),
                v.get(JOB_STATE_MEMORY),
                "batch".equals(v.get(JOB_BOUNDED_EXECUTION)));
        Generator generator = new Generator(
                v.number(GENERATOR_SPEED_UP),
                v.get(GENERATOR_START_AGO),
                v.get(GENERATOR_WARMUP),
                v.integer(GENERATOR_ACCOUNTS),
                v.number(GENERATOR_MALFORMED_SHARE),
                v.number(GENERATOR_DUPLICATE_SHARE));
        Router router = new Router(
                v.get(ROUTER_GROUP_ID),
                v.get(ROUTER_MAX_ALERT_AGE),
                v.get(ROUTER_REQUEST_TIMEOUT),
                v.integer(ROUTER_ATTEMPTS),
                v.get(ROUTER_INITIAL_BACKOFF),
                v.get(ROUTER_MAX_BACKOFF),
                v.integer(ROUTER_IN_FLIGHT),
                v.get(ROUTER_STATE_DIR),
                channels(v));
        Warehouse warehouse = new Warehouse(v.get(WAREHOUSE_PATH), v.get(WAREHOUSE_COMPRESSION));
        Map<String, Collect.Endpoint> endpoints = new TreeMap<>();
        endpoints.put("segment", new Collect.Endpoint(v.get(COLLECT_SEGMENT_TOPIC), v.get(COLLECT_SEGMENT_SECRET_ENV)));
        endpoints.put("hubspot", new Collect.Endpoint(v.get(COLLECT_HUBSPOT_TOPIC), v.get(COLLECT_HUBSPOT_SECRET_ENV)));
        endpoints.put("stripe", new Collect.Endpoint(v.get(COLLECT_STRIPE_TOPIC), v.get(COLLECT_STRIPE_SECRET_ENV)));
        Collect collect = new Collect(
                v.integer(COLLECT_PORT),
                v.get(COLLECT_BIND_ADDRESS),
                v.get(COLLECT_PUBLIC_URL),
                v.bytes(COLLECT_MAX_BODY),
                v.get(COLLECT_ACK_TIMEOUT),
                v.get(COLLECT_SIGNATURE_TOLERANCE),
                endpoints);
        String rulesFile = v.get(ACTIONS_RULES);
        Duration ruleInterval = v.get(ACTIONS_EVALUATION_INTERVAL);

        checkAcross(v, kafka, topics, job, ingest.formats().keySet());
        checkRecordSizes(v, kafka, ingest);
        if (time.correctionHorizon() != null
                && ingest.dedupHorizon() != null
                && ingest.dedupHorizon().compareTo(time.correctionHorizon()) < 0) {
            v.error(
                    INGEST_DEDUP_HORIZON.key(),
                    "must be at least " + TIME_CORRECTION_HORIZON.key() + " ("
                            + Units.format(time.correctionHorizon())
                            + "): a resent copy of a corrected event would otherwise be applied twice");
        }
        v.throwIfErrors();

        List<String> canonical =
                new ArrayList<>(stages.stream().map(Stage::name).toList());
        canonical.add("CLOSED_WON");
        canonical.add("CLOSED_LOST");
        SourceMappings mappings;
        try {
            mappings = mappingsLoader.apply(new MappingRequest(ingest.mappingFiles(), canonical));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(INGEST_MAPPINGS.key() + ": " + e.getMessage(), e);
        }
        RuleSet rules = RuleSet.none();
        if (!rulesFile.isEmpty()) {
            try {
                rules = RuleFiles.fromTree(files.apply(rulesFile, ACTIONS_RULES.key()), ruleInterval.toMillis());
                RuleBook.compile(rules);
            } catch (RuleException e) {
                throw new ConfigException(
                        ACTIONS_RULES.key() + ": " + rulesFile + " has "
                                + e.problems().size() + " problem(s):\n  " + String.join("\n  ", e.problems()),
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
                warehouse,
                collect,
                new IdentitySettings(
                        v.get(IDENTITY_UNRESOLVED_TIMEOUT).toMillis(),
                        v.integer(IDENTITY_MAX_WAITING),
                        v.get(IDENTITY_RETENTION).toMillis()));
    }

    /** The webhooks: one channel per name under {@code router.channels}. */
    private static List<Channel> channels(ConfigValues v) {
        Set<String> names = new TreeSet<>();
        v.under(CHANNEL_URL).keySet().forEach(k -> names.add(k.substring(0, k.indexOf('.'))));
        List<Channel> channels = new ArrayList<>();
        for (String name : names) {
            String base = ROUTER_CHANNELS.key() + "." + name + ".";
            String url = v.get(CHANNEL_URL, base + "url");
            String urlEnv = v.get(CHANNEL_URL_ENV, base + "url-env");
            String urlFile = v.get(CHANNEL_URL_FILE, base + "url-file");
            int given = (url == null ? 0 : 1) + (urlEnv == null ? 0 : 1) + (urlFile == null ? 0 : 1);
            if (given != 1) {
                v.error(base + "url-env", "give exactly one of url-env (an environment variable), url-file or url");
            }
            String format = v.get(CHANNEL_FORMAT, base + "format");
            String severity = v.get(CHANNEL_MIN_SEVERITY, base + "min-severity");
            List<String> types = v.get(CHANNEL_TYPES, base + "types").stream()
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
                    v.get(CHANNEL_SEGMENTS, base + "segments"),
                    v.get(CHANNEL_OWNERS, base + "owners")));
        }
        return channels;
    }

    /** What no one setting can say alone. */
    private static void checkAcross(ConfigValues v, Kafka kafka, Topics topics, Job job, Set<String> formatted) {
        if (job.maxParallelism() > 0 && job.parallelism() > job.maxParallelism()) {
            v.error(
                    JOB_PARALLELISM.key(),
                    "must not exceed " + JOB_MAX_PARALLELISM.key() + " (" + job.maxParallelism() + ")");
        }
        if (kafka.delivery() == Delivery.EXACTLY_ONCE
                && kafka.transactionTimeout() != null
                && job.checkpointInterval() != null
                && job.checkpointTimeout() != null) {
            // a checkpoint's transactions commit when the next checkpoint completes: up to an interval plus
            // that checkpoint's timeout later; a broker aborting them first loses committed output
            Duration span = job.checkpointInterval().plus(job.checkpointTimeout());
            if (kafka.transactionTimeout().compareTo(span) <= 0) {
                v.error(
                        KAFKA_TRANSACTION_TIMEOUT.key(),
                        "'" + Units.format(kafka.transactionTimeout()) + "' must be longer than "
                                + JOB_CHECKPOINT_INTERVAL.key() + " plus " + JOB_CHECKPOINT_TIMEOUT.key() + " ("
                                + Units.format(job.checkpointInterval()) + " + "
                                + Units.format(job.checkpointTimeout())
                                + "): a checkpoint's transactions stay open until the next checkpoint completes,"
                                + " and a broker that aborts them first loses their output; shorten "
                                + JOB_CHECKPOINT_TIMEOUT.key() + " or lengthen the transaction timeout");
            }
        }
        if (topics.touchpoints() != null && topics.touchpoints().equals(topics.deals())) {
            v.error(
                    TOPIC_DEALS.key(),
                    "must differ from " + TOPIC_TOUCHPOINTS.key() + ": the topic decides an event's kind");
        }
        if (topics.touchpoints() != null && topics.outputs().contains(topics.touchpoints())
                || topics.deals() != null && topics.outputs().contains(topics.deals())) {
            v.error("topics", "an input topic is also an output topic; the job never reads its own output");
        }
        for (String topic : formatted) {
            if (topics.outputs().contains(topic)) {
                v.error(
                        INGEST_FORMATS.parent() + "." + topic,
                        "is an output topic of revstream; the job never reads its own output");
            }
        }
    }

    /** Room in a record for what an output adds to the input's bytes (ids, times, metadata of a dead letter). */
    static final int RECORD_OVERHEAD = 64 * 1024;

    /**
     * What the job writes must fit in a record: an accepted value becomes a normalized event of about its
     * size. A record too large for {@code kafka.max-record-bytes} would fail its sink, and the job with it,
     * on every restart. (A dead letter keeps at most {@code ingest.deadletter-max-payload}, 1 MiB, which the
     * smallest allowed record size holds as base64.)
     */
    private static void checkRecordSizes(ConfigValues v, Kafka kafka, Ingest ingest) {
        if (kafka.maxRecordBytes() <= 0 || ingest.maxValueBytes() <= 0) {
            return; // reported already
        }
        long room = (long) kafka.maxRecordBytes() - RECORD_OVERHEAD;
        if (ingest.maxValueBytes() > room) {
            v.error(
                    INGEST_MAX_VALUE_BYTES.key(),
                    "must leave 64KiB of " + KAFKA_MAX_RECORD_BYTES.key() + " (" + kafka.maxRecordBytes()
                            + " bytes) for what the job adds: at most " + room + " bytes, or raise "
                            + KAFKA_MAX_RECORD_BYTES.key());
        }
    }

    /** {@code deals.stage.<STAGE>.stall-sla} for a stage. */
    private static String stageKey(Setting<?> s, String stage) {
        return s.key().replace("<STAGE>", stage);
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
