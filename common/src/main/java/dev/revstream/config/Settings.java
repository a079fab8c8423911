package dev.revstream.config;

import static dev.revstream.config.Setting.of;
import static dev.revstream.config.Setting.open;
import static dev.revstream.config.SettingType.bool;
import static dev.revstream.config.SettingType.bytes;
import static dev.revstream.config.SettingType.choice;
import static dev.revstream.config.SettingType.currency;
import static dev.revstream.config.SettingType.days;
import static dev.revstream.config.SettingType.duration;
import static dev.revstream.config.SettingType.exactChoice;
import static dev.revstream.config.SettingType.hours;
import static dev.revstream.config.SettingType.integer;
import static dev.revstream.config.SettingType.list;
import static dev.revstream.config.SettingType.number;
import static dev.revstream.config.SettingType.oneOf;
import static dev.revstream.config.SettingType.optionalText;
import static dev.revstream.config.SettingType.positiveDecimal;
import static dev.revstream.config.SettingType.rawText;
import static dev.revstream.config.SettingType.shares;
import static dev.revstream.config.SettingType.text;
import static dev.revstream.config.SettingType.zone;

import dev.revstream.config.RevstreamConfig.Delivery;
import dev.revstream.config.RevstreamConfig.LeadSlaMode;
import dev.revstream.config.RevstreamConfig.StartingOffsets;
import dev.revstream.ingest.SourceFormat;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every setting of revstream, each declared once: key, type and bounds, the value in the shipped
 * {@code config/revstream.yaml}, and one line of doc (which is the file's comment above the key).
 * In the order of that file.
 */
public final class Settings {
    private static final List<Setting<?>> ALL_SETTINGS = new ArrayList<>();
    private static final List<Group> ALL_GROUPS = new ArrayList<>();

    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration TEN_YEARS = Duration.ofDays(3650);

    /** The broker's default {@code transaction.max.timeout.ms}. */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    // kafka
    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = add(
            of("kafka.bootstrap-servers", text(), "127.0.0.1:9092", "the Kafka brokers, host:port, comma separated"));
    public static final Setting<String> KAFKA_GROUP_ID = add(of(
            "kafka.group-id",
            text(),
            "revstream",
            "consumer group of the job's source (offsets are committed at checkpoints, for monitoring)"));
    public static final Setting<StartingOffsets> KAFKA_STARTING_OFFSETS = add(of(
            "kafka.starting-offsets",
            oneOf(StartingOffsets.class),
            "committed",
            "where a run without restored state starts reading: committed (earliest when none), earliest or latest"));
    public static final Setting<Delivery> KAFKA_DELIVERY = add(of(
            "kafka.delivery",
            oneOf(Delivery.class),
            "exactly-once",
            "exactly-once (transactional sinks, outputs visible at checkpoints) or at-least-once (lowest latency)"));
    public static final Setting<Duration> KAFKA_TRANSACTION_TIMEOUT = add(of(
            "kafka.transaction-timeout",
            duration(Duration.ofSeconds(1), BROKER_MAX_TRANSACTION_TIMEOUT),
            "10m",
            "producers' transaction.timeout.ms: longer than job.checkpoint-interval plus job.checkpoint-timeout, and below"
                    + " the broker's"
                    + " transaction.max.timeout.ms (15m by default)"));
    public static final Setting<String> KAFKA_TRANSACTIONAL_ID_PREFIX = add(of(
            "kafka.transactional-id-prefix",
            text(),
            "revstream",
            "sinks use <prefix>-<run kind>-<sink> as their transactional-id prefix"));
    public static final Setting<Integer> KAFKA_TOPIC_PARTITIONS = add(of(
            "kafka.topic-partitions",
            integer(1, 10_000),
            "3",
            "partitions of the topics revstream creates when they are missing"));
    public static final Setting<Integer> KAFKA_TOPIC_REPLICATION = add(of(
            "kafka.topic-replication",
            integer(1, 100),
            "1",
            "replication factor of the topics revstream creates when they are missing"));
    public static final Setting<Long> KAFKA_MAX_RECORD_BYTES = add(of(
            "kafka.max-record-bytes",
            bytes(2L * 1024 * 1024, Integer.MAX_VALUE),
            "4MiB",
            "largest record producers may write (max.request.size; output topics revstream creates allow the"
                    + " same in max.message.bytes)"));
    public static final Setting<String> KAFKA_PROPERTIES = add(open(
            "kafka.properties.<property>",
            rawText(),
            "any Kafka client property for the source and every sink (SASL, SSL, ...); it overrides what"
                    + " revstream sets for the input's consumer: isolation.level read_committed and, in live runs,"
                    + " fetch.min.bytes 16384 with fetch.max.wait.ms 50"));

    // topics
    public static final Setting<String> TOPIC_TOUCHPOINTS =
            add(of("topics.touchpoints", text(), "revops.touchpoints", "input: touchpoints"));
    public static final Setting<String> TOPIC_DEALS = add(
            of("topics.deals", text(), "revops.deals", "input: deal changes (must differ from topics.touchpoints)"));
    public static final Setting<String> TOPIC_EVENTS =
            add(of("topics.events", text(), "revops.events", "output: every accepted event, normalized"));
    public static final Setting<String> TOPIC_DEADLETTER =
            add(of("topics.deadletter", text(), "revops.deadletter", "output: rejected input records and the reason"));
    public static final Setting<String> TOPIC_LATE =
            add(of("topics.late", text(), "revops.late", "output: events that arrived behind the watermark"));
    public static final Setting<String> TOPIC_DATAQUALITY = add(of(
            "topics.dataquality", text(), "revops.dataquality", "output: data-quality counts per source and window"));
    public static final Setting<String> TOPIC_JOURNEY =
            add(of("topics.journey", text(), "revops.journey", "output: accounts' journey stage changes"));
    public static final Setting<String> TOPIC_ALERTS = add(
            of("topics.alerts", text(), "revops.alerts", "output: alerts (read by the alert router and wallboard)"));
    public static final Setting<String> TOPIC_KPIS =
            add(of("topics.kpis", text(), "revops.kpis", "output: KPI snapshots per window"));
    public static final Setting<String> TOPIC_FORECASTS = add(of(
            "topics.forecasts",
            text(),
            "revops.forecasts",
            "output: the learned forecast of each monthly and quarterly window, made at its start"));
    public static final Setting<String> TOPIC_ATTRIBUTION =
            add(of("topics.attribution", text(), "revops.attribution", "output: attribution credits of won deals"));
    public static final Setting<String> TOPIC_ACTIONS =
            add(of("topics.actions", text(), "revops.actions", "output: the recommendations of the rules"));
    public static final Setting<String> TOPIC_ALERTS_DEADLETTER = add(of(
            "topics.alerts-deadletter",
            text(),
            "revops.alerts.deadletter",
            "the alert router's output: alerts it could not deliver, with the last error"));

    // time
    public static final Setting<Duration> TIME_OUT_OF_ORDERNESS = add(of(
            "time.out-of-orderness",
            duration(Duration.ZERO, DAY),
            "30s",
            "watermarks allow this much disorder per input partition before emitting; later events are corrected"));
    public static final Setting<Duration> TIME_CORRECTION_HORIZON = add(of(
            "time.correction-horizon",
            duration(Duration.ZERO, Duration.ofDays(90)),
            "7d",
            "an event up to this far behind event time is applied in its place and the outputs it changes are"
                    + " corrected; older ones go to topics.late. 0 turns corrections off"));
    public static final Setting<Duration> TIME_IDLE_TIMEOUT = add(of(
            "time.idle-timeout",
            duration(Duration.ZERO, DAY),
            "10s",
            "a partition quiet this long stops holding event time back (live runs)"));
    public static final Setting<Boolean> TIME_FOLLOW_WALL_CLOCK = add(of(
            "time.follow-wall-clock",
            bool(),
            "true",
            "live runs: once an input is quiet, event time follows the wall clock (minus the out-of-orderness) so"
                    + " deadline alerts fire without traffic. Never in a bounded replay."));
    public static final Setting<Duration> TIME_WATERMARK_INTERVAL = add(of(
            "time.watermark-interval",
            duration(MS, Duration.ofMinutes(1)),
            "200ms",
            "how often watermarks are emitted (live runs)"));
    public static final Setting<Duration> TIME_BOUNDED_WATERMARK_INTERVAL = add(of(
            "time.bounded-watermark-interval",
            duration(MS, Duration.ofMinutes(1)),
            "2s",
            "how often a bounded replay emits watermarks: each account and KPI value fires once for what it"
                    + " received in between, so a longer interval replays faster (outputs are the same)"));
    public static final Setting<ZoneId> TIME_ZONE =
            add(of("time.zone", zone(), "UTC", "the zone of calendar windows and day boundaries"));

    // ingest
    public static final Setting<Long> INGEST_MAX_VALUE_BYTES = add(of(
            "ingest.max-value-bytes",
            bytes(1, 64L * 1024 * 1024),
            "1MiB",
            "larger input values are dead letters (TOO_LARGE); at most kafka.max-record-bytes less 64KiB, so"
                    + " that the event it becomes fits a record"));
    public static final Setting<Duration> INGEST_MAX_FUTURE = add(of(
            "ingest.max-future",
            duration(Duration.ZERO, TEN_YEARS),
            "1h",
            "an occurredAt further ahead of the wall clock is a dead letter (FUTURE_TIME); 0 turns the check off"));
    public static final Setting<Long> INGEST_DEADLETTER_MAX_PAYLOAD = add(of(
            "ingest.deadletter-max-payload",
            bytes(0, 1024L * 1024),
            "512KiB",
            "how many bytes of a rejected value its dead letter keeps (the rest is described by length and"
                    + " SHA-256)"));
    public static final Setting<Duration> INGEST_DEDUP_HORIZON = add(of(
            "ingest.dedup-horizon",
            duration(Duration.ZERO, TEN_YEARS),
            "7d",
            "a copy of a (source, eventId) is a duplicate within this much event time of the event applied (an"
                    + " event that names its account), or until the watermark is this far past the first copy"
                    + " (any other)"));
    public static final Setting<Duration> INGEST_DEDUP_TTL = add(of(
            "ingest.dedup-ttl",
            duration(Duration.ZERO, TEN_YEARS),
            "30d",
            "processing-time safety net for the keyed de-duplication's state (the event-time timer is what"
                    + " cleans it)"));
    public static final Setting<String> INGEST_REPORTING_CURRENCY = add(of(
            "ingest.reporting-currency",
            currency(),
            "USD",
            "the currency of every amount revstream writes; amounts in others are converted"));
    public static final Setting<BigDecimal> INGEST_CURRENCY_RATES = add(open(
                    "ingest.currency-rates.<CODE>",
                    positiveDecimal(),
                    "units of the reporting currency for one unit of the currency")
            .withInstances(
                    "EUR", "1.08", "GBP", "1.27", "CAD", "0.73", "AUD", "0.66", "JPY", "0.0067", "CHF", "1.13", "BRL",
                    "0.18", "INR", "0.012"));
    public static final Setting<List<String>> INGEST_MAPPINGS = add(of(
            "ingest.mappings",
            list("file names"),
            "mappings/default.yaml",
            "source mapping files, comma separated, relative to the main file"));

    public static final Setting<String> INGEST_FORMATS = add(open(
            "ingest.formats.<topic>",
            choice(Arrays.stream(SourceFormat.values())
                    .map(SourceFormat::wireName)
                    .toArray(String[]::new)),
            "an input topic whose records are in a vendor's own format (segment, hubspot, salesforce-cdc, stripe,"
                    + " debezium), or auto to tell each record's format from its shape; the job reads every topic"
                    + " named here besides topics.touchpoints and topics.deals (see docs/sources.md)"));

    // identity
    public static final Setting<Duration> IDENTITY_UNRESOLVED_TIMEOUT = add(of(
            "identity.unresolved-timeout",
            duration(Duration.ofSeconds(1), TEN_YEARS),
            "30d",
            "an event that names no account (a visitor, a person or a deal) waits this much event time for a link"
                    + " to tell it; then it is an UNRESOLVED_ACCOUNT dead letter"));
    public static final Setting<Integer> IDENTITY_MAX_WAITING = add(of(
            "identity.max-waiting",
            integer(1, 1_000_000),
            "1000",
            "the most events one visitor, person or deal holds waiting for its account; each one more turns the"
                    + " oldest into an UNRESOLVED_ACCOUNT dead letter"));
    public static final Setting<Duration> IDENTITY_RETENTION = add(of(
            "identity.retention",
            duration(Duration.ofDays(1), TEN_YEARS),
            "400d",
            "a link (a visitor's person, a person's or a deal's account) is kept this long after its last event"));

    // deals
    public static final Setting<List<String>> DEALS_STAGES = add(of(
            "deals.stages",
            list("at least one; letters, digits, _; not CLOSED_*"),
            "QUALIFICATION, DISCOVERY, SOLUTION, PROPOSAL, NEGOTIATION",
            "canonical open stages, in order (CLOSED_WON and CLOSED_LOST follow)"));
    public static final Group DEALS_STAGE = group(
            "deals.stage",
            "per open stage of deals.stages: deals.stage.<STAGE>.stall-sla, .win-probability and"
                    + " .forecast-category");
    public static final Setting<Duration> DEALS_STAGE_STALL_SLA = add(open(
                    "deals.stage.<STAGE>.stall-sla",
                    duration(MS, TEN_YEARS),
                    "STALLED_DEAL: a deal with no activity this long in the stage is stalled (one for every stage of"
                            + " deals.stages)")
            .withInstances(
                    "QUALIFICATION",
                    "14d",
                    "DISCOVERY",
                    "14d",
                    "SOLUTION",
                    "14d",
                    "PROPOSAL",
                    "10d",
                    "NEGOTIATION",
                    "7d"));
    public static final Setting<Double> DEALS_STAGE_WIN_PROBABILITY = add(open(
                    "deals.stage.<STAGE>.win-probability",
                    number(0, 1),
                    "the chance a deal in the stage is won, for the weighted pipeline (one for every stage of"
                            + " deals.stages)")
            .withInstances(
                    "QUALIFICATION",
                    "0.10",
                    "DISCOVERY",
                    "0.20",
                    "SOLUTION",
                    "0.40",
                    "PROPOSAL",
                    "0.60",
                    "NEGOTIATION",
                    "0.80"));
    public static final Setting<String> DEALS_STAGE_FORECAST_CATEGORY = add(open(
            "deals.stage.<STAGE>.forecast-category",
            choice("pipeline", "best_case", "commit", "omitted"),
            "the forecast category of a deal in the stage when its source sends none (forecastCategory); without"
                    + " this setting: commit from a win-probability of 0.7, best_case from 0.4, else pipeline"));
    public static final Setting<Duration> DEALS_SEGMENT_STALL_SLA = add(open(
            "deals.segment.<segment>.stall-sla.<STAGE>",
            duration(MS, TEN_YEARS),
            "per segment, a stall SLA that replaces the stage's"));
    public static final Setting<Duration> DEALS_TOMBSTONE = add(of(
            "deals.tombstone",
            duration(DAY, Duration.ofDays(36500)),
            "400d",
            "a closed deal is remembered this long, so later events for it are ignored (then it can be adopted"
                    + " anew)"));

    // alerts
    public static final Setting<Duration> ALERTS_LEAD_SLA = add(of(
            "alerts.lead-sla",
            duration(MS, Duration.ofDays(365)),
            "24h",
            "LEAD_SLA_BREACH: a sales touch must answer an account's first MQL within this"));
    public static final Setting<LeadSlaMode> ALERTS_LEAD_SLA_MODE = add(of(
            "alerts.lead-sla-mode",
            oneOf(LeadSlaMode.class),
            "calendar",
            "calendar (24h means a day) or business-hours (the SLA counts working time only)"));
    public static final Setting<List<DayOfWeek>> ALERTS_BUSINESS_DAYS =
            add(of("alerts.business-days", days(), "MON, TUE, WED, THU, FRI", "business-hours mode: the working days"));
    public static final Setting<SettingType.Hours> ALERTS_BUSINESS_HOURS =
            add(of("alerts.business-hours", hours(), "09:00-17:00", "business-hours mode: the working hours of a day"));
    public static final Setting<ZoneId> ALERTS_BUSINESS_ZONE =
            add(of("alerts.business-zone", zone(), "UTC", "business-hours mode: the zone of the working hours"));
    public static final Setting<Duration> ALERTS_SEGMENT_LEAD_SLA = add(open(
            "alerts.segment.<segment>.lead-sla",
            duration(MS, Duration.ofDays(365)),
            "per segment, a hand-off SLA that replaces lead-sla (the account's segment from its deals)"));
    public static final Setting<Integer> ALERTS_SLIPPAGE_ALERT_FROM = add(of(
            "alerts.slippage-alert-from",
            integer(1, 1000),
            "2",
            "DEAL_SLIPPAGE fires from this slip of a deal's expected close date on"));
    public static final Setting<Integer> ALERTS_SLIPPAGE_WARNING_FROM = add(
            of("alerts.slippage-warning-from", integer(1, 1000), "3", "DEAL_SLIPPAGE is a warning from this slip on"));
    public static final Setting<String> ALERTS_STALL_CRITICAL_STAGE = add(of(
            "alerts.stall-critical-stage",
            text(),
            "NEGOTIATION",
            "STALLED_DEAL is critical from this stage of deals.stages on"));
    public static final Setting<Double> ALERTS_STALL_CRITICAL_AMOUNT = add(of(
            "alerts.stall-critical-amount",
            number(0, 1e18),
            "100000",
            "STALLED_DEAL is critical for deals of at least this amount"));
    public static final Group ALERTS_HEALTH = group(
            "alerts.health",
            "CHURN_RISK: the customer health score (100 minus the points of each signal in its window)");
    public static final Setting<Integer> HEALTH_CHURN_BELOW = add(
            of("alerts.health.churn-below", integer(0, 101), "50", "CHURN_RISK fires when the score drops below this"));
    public static final Setting<Integer> HEALTH_REARM_AT = add(of(
            "alerts.health.rearm-at",
            integer(0, 101),
            "60",
            "the alert re-arms once the score is this or more (at least churn-below)"));
    public static final Setting<Integer> HEALTH_CRITICAL_BELOW =
            add(of("alerts.health.critical-below", integer(0, 101), "30", "the alert is critical under this score"));
    public static final Setting<Integer> HEALTH_USAGE_DROP_POINTS = add(of(
            "alerts.health.usage-drop-points",
            integer(0, 100),
            "30",
            "points off when PRODUCT_USAGE in the window is under usage-drop-ratio of the window before"));
    public static final Setting<Double> HEALTH_USAGE_DROP_RATIO = add(of(
            "alerts.health.usage-drop-ratio",
            number(0, 1),
            "0.5",
            "usage under this share of the window before is a drop"));
    public static final Setting<Duration> HEALTH_USAGE_WINDOW =
            add(of("alerts.health.usage-window", duration(MS, TEN_YEARS), "14d", "the window of the usage drop"));
    public static final Setting<Integer> HEALTH_TICKET_POINTS = add(of(
            "alerts.health.ticket-points",
            integer(0, 100),
            "20",
            "points off for ticket-count or more SUPPORT_TICKETs in the window"));
    public static final Setting<Integer> HEALTH_TICKET_COUNT =
            add(of("alerts.health.ticket-count", integer(1, 100000), "3", "how many support tickets cost the points"));
    public static final Setting<Duration> HEALTH_TICKET_WINDOW =
            add(of("alerts.health.ticket-window", duration(MS, TEN_YEARS), "14d", "the window of the support tickets"));
    public static final Setting<Integer> HEALTH_NPS_POINTS = add(of(
            "alerts.health.nps-points",
            integer(0, 100),
            "20",
            "points off for an NPS answer of nps-max-score or less in the window"));
    public static final Setting<Integer> HEALTH_NPS_MAX_SCORE =
            add(of("alerts.health.nps-max-score", integer(0, 10), "6", "the highest NPS answer that costs the points"));
    public static final Setting<Duration> HEALTH_NPS_WINDOW =
            add(of("alerts.health.nps-window", duration(MS, TEN_YEARS), "90d", "the window of the NPS answer"));
    public static final Setting<Integer> HEALTH_CHAMPION_POINTS = add(
            of("alerts.health.champion-points", integer(0, 100), "25", "points off for CHAMPION_LEFT in the window"));
    public static final Setting<Duration> HEALTH_CHAMPION_WINDOW = add(of(
            "alerts.health.champion-window", duration(MS, TEN_YEARS), "90d", "the window of the champion's leaving"));
    public static final Setting<Integer> HEALTH_PAYMENT_POINTS = add(
            of("alerts.health.payment-points", integer(0, 100), "15", "points off for PAYMENT_FAILED in the window"));
    public static final Setting<Duration> HEALTH_PAYMENT_WINDOW =
            add(of("alerts.health.payment-window", duration(MS, TEN_YEARS), "30d", "the window of the failed payment"));

    // kpi
    public static final Setting<List<String>> KPI_WINDOWS = add(of(
            "kpi.windows",
            list("at least one of 1h, 1d, 1w, 1M, 1Q, 1y"),
            "1d",
            "window sizes, comma separated: 1h (UTC hours), 1d, 1w (Monday to Monday), 1M, 1Q, 1y in time.zone"));
    public static final Setting<Duration> KPI_LOOKBACK = add(of(
            "kpi.lookback",
            duration(Duration.ofHours(1), TEN_YEARS),
            "90d",
            "metrics \"in L\" look back over this, or the window's length when that is longer"));
    public static final Setting<Integer> KPI_FISCAL_YEAR_START_MONTH = add(of(
            "kpi.fiscal-year-start-month",
            integer(1, 12),
            "1",
            "the first month of the fiscal year (quarters and years follow it)"));
    public static final Setting<Duration> KPI_RETENTION_LOOKBACK = add(of(
            "kpi.retention-lookback",
            duration(DAY, TEN_YEARS),
            "365d",
            "retention (NRR, GRR) looks back over this, or the window's length when that is longer"));
    public static final Setting<Double> KPI_GROSS_MARGIN = add(of(
            "kpi.gross-margin", number(0, 1), "1.0", "CLV = ARR per customer x gross margin / annualized logo churn"));
    public static final Setting<String> KPI_QUOTAS = add(of(
                    "kpi.quotas",
                    optionalText(),
                    "",
                    "a YAML file of sales quotas per owner and period (quota and attainment in the KPIs), relative to"
                            + " the main file; empty for none")
            .withIfAbsent(""));

    // attribution
    public static final Setting<Duration> ATTRIBUTION_WINDOW = add(of(
            "attribution.window",
            duration(DAY, TEN_YEARS),
            "180d",
            "touches count from this long before a deal's creation (the lead-creation touch whatever its age)"));
    public static final Setting<Duration> ATTRIBUTION_HALF_LIFE = add(of(
            "attribution.time-decay-half-life",
            duration(Duration.ofMinutes(1), TEN_YEARS),
            "7d",
            "TIME_DECAY: a touch's weight halves with every half-life before the close"));
    public static final Setting<List<Double>> ATTRIBUTION_U_SHAPED = add(of(
            "attribution.u-shaped",
            shares(2),
            "0.4, 0.4",
            "U_SHAPED shares of the first touch and the lead-creation touch; the rest is spread over the other"
                    + " touches (Marketo Measure: 0.5, 0.5)"));
    public static final Setting<List<Double>> ATTRIBUTION_W_SHAPED = add(of(
            "attribution.w-shaped",
            shares(3),
            "0.3, 0.3, 0.3",
            "W_SHAPED shares of the first touch, the lead-creation touch and the last touch before the deal was"
                    + " created; the rest is spread over the other touches"));
    public static final Setting<Double> ATTRIBUTION_FULL_PATH = add(of(
            "attribution.full-path",
            number(0, 0.25),
            "0.225",
            "FULL_PATH share of each of the first, lead-creation, last before creation and last before close"
                    + " touches; the rest is spread over the other touches"));

    // actions
    public static final Setting<String> ACTIONS_RULES = add(of(
                    "actions.rules",
                    optionalText(),
                    "rules/default.yaml",
                    "the recommendation rules (revops.actions), relative to the main file; empty for none")
            .withIfAbsent(""));
    public static final Setting<Duration> ACTIONS_EVALUATION_INTERVAL = add(of(
            "actions.evaluation-interval",
            duration(Duration.ofMinutes(1), Duration.ofDays(7)),
            "1h",
            "every account with something in a rule's scope is re-evaluated this often in event time, without new"
                    + " events"));

    // journey
    public static final Setting<Duration> JOURNEY_STATE_TTL = add(of(
            "journey.state-ttl",
            duration(Duration.ZERO, Duration.ofDays(36500)),
            "800d",
            "processing-time safety net for per-account state (event-time timers are what clean it)"));

    // dataquality
    public static final Setting<Duration> DATAQUALITY_WINDOW = add(of(
            "dataquality.window",
            duration(Duration.ofSeconds(1), DAY),
            "1h",
            "tumbling windows of ingestion time (the Kafka record timestamp)"));
    public static final Setting<Duration> DATAQUALITY_GRACE = add(of(
            "dataquality.grace",
            duration(Duration.ZERO, DAY),
            "1m",
            "a window is reported once ingestion time is this far past its end"));

    // warehouse
    public static final Group WAREHOUSE = group(
            "warehouse",
            "Parquet tables of events, KPI rows, alerts and attribution, committed at checkpoints:"
                    + " <path>/<table>/date=YYYY-MM-DD/part-*.parquet");
    public static final Setting<String> WAREHOUSE_PATH = add(of(
                    "warehouse.path",
                    optionalText(),
                    "",
                    "a local directory or any Flink file system URI (s3://bucket/prefix with the S3 plugin); empty:"
                            + " no warehouse sink")
            .withIfAbsent(""));
    public static final Setting<String> WAREHOUSE_COMPRESSION = add(of(
                    "warehouse.compression",
                    choice("snappy", "zstd", "gzip", "none"),
                    "snappy",
                    "compression of the Parquet files")
            .withIfAbsent("snappy"));

    // collect
    public static final Group COLLECT = group(
            "collect",
            "./revstream collect: an HTTP server for Segment, HubSpot and Stripe webhooks; checks each vendor's"
                    + " signature and writes the body as it came to the vendor's topic (docs/sources.md)");
    public static final Setting<Integer> COLLECT_PORT =
            add(of("collect.port", integer(1, 65_535), "8090", "the port the collector listens on"));
    public static final Setting<String> COLLECT_BIND_ADDRESS = add(of(
            "collect.bind-address",
            rawText(),
            "127.0.0.1",
            "the address it listens on (0.0.0.0 for every interface, behind your TLS proxy)"));
    public static final Setting<String> COLLECT_PUBLIC_URL = add(of(
                    "collect.public-url",
                    optionalText(),
                    "",
                    "the URL vendors call, such as https://hooks.example.com (HubSpot signs it); empty: the scheme"
                            + " and Host of each request")
            .withIfAbsent(""));
    public static final Setting<Long> COLLECT_MAX_BODY = add(of(
            "collect.max-body",
            bytes(1024, 64L * 1024 * 1024),
            "1MiB",
            "larger bodies are refused with 413 (keep it at most ingest.max-value-bytes)"));
    public static final Setting<Duration> COLLECT_ACK_TIMEOUT = add(of(
            "collect.ack-timeout",
            duration(Duration.ofMillis(100), Duration.ofMinutes(5)),
            "4s",
            "how long a request waits for Kafka to acknowledge its body; then 503 and the vendor retries (HubSpot"
                    + " gives up on a request after 5 s)"));
    public static final Setting<Duration> COLLECT_SIGNATURE_TOLERANCE = add(of(
            "collect.signature-tolerance",
            duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "5m",
            "a signed timestamp (HubSpot, Stripe) older or newer than this is refused (401): a replayed request"));
    public static final Setting<String> COLLECT_SEGMENT_TOPIC =
            add(of("collect.segment.topic", text(), "revops.segment", "where Segment's calls go"));
    public static final Setting<String> COLLECT_SEGMENT_SECRET_ENV = add(of(
            "collect.segment.secret-env",
            rawText(),
            "SEGMENT_WEBHOOK_SECRET",
            "the environment variable with the Segment webhook's shared secret (unset: /segment is off)"));
    public static final Setting<String> COLLECT_HUBSPOT_TOPIC =
            add(of("collect.hubspot.topic", text(), "revops.hubspot", "where HubSpot's webhook posts go"));
    public static final Setting<String> COLLECT_HUBSPOT_SECRET_ENV = add(of(
            "collect.hubspot.secret-env",
            rawText(),
            "HUBSPOT_CLIENT_SECRET",
            "the environment variable with the HubSpot app's client secret (unset: /hubspot is off)"));
    public static final Setting<String> COLLECT_STRIPE_TOPIC =
            add(of("collect.stripe.topic", text(), "revops.stripe", "where Stripe's events go"));
    public static final Setting<String> COLLECT_STRIPE_SECRET_ENV = add(of(
            "collect.stripe.secret-env",
            rawText(),
            "STRIPE_WEBHOOK_SECRET",
            "the environment variable with the Stripe endpoint's signing secret, whsec_... (unset: /stripe is off)"));

    // router
    public static final Group ROUTER = group(
            "router",
            "./revstream alert-router: delivers revops.alerts to webhooks (at least once, alertId as idempotency"
                    + " key)");
    public static final Setting<String> ROUTER_GROUP_ID =
            add(of("router.group-id", rawText(), "revstream-alert-router", "the router's consumer group")
                    .withIfAbsent("revstream-alert-router"));
    public static final Setting<Duration> ROUTER_MAX_ALERT_AGE = add(of(
            "router.max-alert-age",
            duration(Duration.ZERO, TEN_YEARS),
            "1h",
            "alerts triggered (triggeredAt) longer ago than this are skipped, counted and logged (0: never skip)"));
    public static final Setting<Duration> ROUTER_REQUEST_TIMEOUT = add(of(
            "router.request-timeout",
            duration(Duration.ofMillis(10), Duration.ofMinutes(10)),
            "10s",
            "timeout of one webhook request"));
    public static final Setting<Integer> ROUTER_ATTEMPTS = add(of(
            "router.attempts",
            integer(1, 100),
            "6",
            "per alert and channel; then the alert goes to topics.alerts-deadletter with the last error"));
    public static final Setting<Duration> ROUTER_INITIAL_BACKOFF = add(of(
            "router.initial-backoff",
            duration(MS, Duration.ofHours(1)),
            "500ms",
            "the wait before the first retry (doubled for each next one)"));
    public static final Setting<Duration> ROUTER_MAX_BACKOFF = add(
            of("router.max-backoff", duration(MS, Duration.ofHours(24)), "30s", "the longest wait between retries"));
    public static final Setting<Integer> ROUTER_IN_FLIGHT = add(of(
            "router.in-flight",
            integer(1, 10_000),
            "20",
            "alerts delivered concurrently (offsets are committed once all of them are through)"));
    public static final Setting<String> ROUTER_STATE_DIR = add(of(
                    "router.state-dir",
                    rawText(),
                    ".revstream/router",
                    "where the record of delivered (alert, channel) pairs is kept")
            .withIfAbsent(".revstream/router"));
    public static final Group ROUTER_CHANNELS = group(
            "router.channels",
            "the webhooks, router.channels.<channel>: where the URL is (url-env, url-file or url), the format, and"
                    + " the routing (types, min-severity, segments, owners: every rule given must match). Example:"
                    + " slack-sales: { url-env: SLACK_SALES_WEBHOOK, format: slack, types: STALLED_DEAL,"
                    + " min-severity: warning }");
    public static final Setting<String> CHANNEL_URL = add(open(
            "router.channels.<channel>.url",
            rawText(),
            "the webhook URL itself (for one that is not a secret); exactly one of url-env, url-file, url"));
    public static final Setting<String> CHANNEL_URL_ENV = add(
            open("router.channels.<channel>.url-env", rawText(), "the environment variable holding the webhook URL"));
    public static final Setting<String> CHANNEL_URL_FILE =
            add(open("router.channels.<channel>.url-file", rawText(), "the file holding the webhook URL"));
    public static final Setting<String> CHANNEL_FORMAT = add(open(
                    "router.channels.<channel>.format",
                    exactChoice("json", "slack"),
                    "json: the alert as the job wrote it; slack: an incoming-webhook message")
            .withIfAbsent("json"));
    public static final Setting<List<String>> CHANNEL_TYPES = add(
            open("router.channels.<channel>.types", list("alert types"), "the alert types routed here; empty for all"));
    public static final Setting<String> CHANNEL_MIN_SEVERITY = add(open(
                    "router.channels.<channel>.min-severity",
                    choice("info", "warning", "critical"),
                    "the lowest severity routed here")
            .withIfAbsent("info"));
    public static final Setting<List<String>> CHANNEL_SEGMENTS = add(
            open("router.channels.<channel>.segments", list("segments"), "the segments routed here; empty for all"));
    public static final Setting<List<String>> CHANNEL_OWNERS = add(
            open("router.channels.<channel>.owners", list("owner ids"), "the deal owners routed here; empty for all"));

    // flink
    public static final Setting<String> FLINK_OPTIONS = add(open(
            "flink.<option>",
            rawText(),
            "any Flink option for the job, e.g. flink.state.backend.rocksdb.timer-service.factory: HEAP"));

    // job
    public static final Setting<Integer> JOB_PARALLELISM =
            add(of("job.parallelism", integer(1, 1024), "2", "parallelism of the job (at most job.max-parallelism)"));
    public static final Setting<Integer> JOB_MAX_PARALLELISM = add(of(
            "job.max-parallelism",
            integer(1, 32768),
            "128",
            "the most the job can be scaled to from its state (the number of key groups)"));
    public static final Setting<Duration> JOB_CHECKPOINT_INTERVAL = add(of(
            "job.checkpoint-interval",
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "10s",
            "how often the job checkpoints (and exactly-once outputs become visible)"));
    public static final Setting<Duration> JOB_CHECKPOINT_TIMEOUT = add(of(
            "job.checkpoint-timeout",
            duration(Duration.ofSeconds(1), Duration.ofHours(2)),
            "5m",
            "a checkpoint taking longer is abandoned"));
    public static final Setting<String> JOB_STATE_DIR = add(of(
            "job.state-dir",
            text(),
            ".revstream/state",
            "local runner: where checkpoints, savepoints and RocksDB files live"));
    public static final Setting<Integer> JOB_REST_PORT = add(of(
            "job.rest-port",
            integer(0, 65535),
            "8081",
            "local runner: port of the Flink REST API and web UI (0 picks a free port)"));
    public static final Setting<Long> JOB_STATE_MEMORY = add(of(
            "job.state-memory",
            bytes(64L * 1024 * 1024, 64L * 1024 * 1024 * 1024),
            "512MiB",
            "local runner: memory RocksDB may use for its block cache and write buffers, shared by the job's"
                    + " operators (Flink's managed memory; on a cluster, taskmanager.memory.managed.size). Too little"
                    + " and state is read from disk and decompressed on every access"));
    public static final Setting<String> JOB_BOUNDED_EXECUTION = add(of(
            "job.bounded-execution",
            choice("streaming", "batch"),
            "streaming",
            "how run --bounded executes: streaming (RocksDB, checkpoints) or Flink's batch mode (sorted input, no"
                    + " checkpoints: about twice as fast; see docs/performance.md for how its outputs compare)"));

    // generator
    public static final Setting<Double> GENERATOR_SPEED_UP = add(of(
            "generator.speed-up",
            number(0.001, 1e9),
            "8640",
            "business seconds per wall-clock second (8640: a business day every 10 s)"));
    public static final Setting<Duration> GENERATOR_START_AGO = add(of(
            "generator.start-ago",
            duration(Duration.ZERO, TEN_YEARS),
            "75d",
            "the business clock starts this far in the past and never runs ahead of now"));
    public static final Setting<Duration> GENERATOR_WARMUP = add(of(
            "generator.warmup",
            duration(Duration.ZERO, TEN_YEARS),
            "60d",
            "this much business time from the start is written at once, so a run begins with history"));
    public static final Setting<Integer> GENERATOR_ACCOUNTS =
            add(of("generator.accounts", integer(1, 100_000_000), "5000", "how many accounts the generator simulates"));
    public static final Setting<Double> GENERATOR_MALFORMED_SHARE =
            add(of("generator.malformed-share", number(0, 1), "0.01", "share of records written malformed"));
    public static final Setting<Double> GENERATOR_DUPLICATE_SHARE =
            add(of("generator.duplicate-share", number(0, 1), "0.02", "share of records written twice"));

    /** Every setting, in the order of the shipped file. */
    public static final List<Setting<?>> ALL = Collections.unmodifiableList(ALL_SETTINGS);

    /** Docs of keys that hold settings rather than being one (shown above them in the file). */
    public static final List<Group> GROUPS = Collections.unmodifiableList(ALL_GROUPS);

    /**
     * Every key a file may give without a placeholder: the fixed keys and the keys that hold open ones
     * (an empty {@code kafka.properties: {}} and the like), sorted.
     */
    static final Set<String> KEYS = new TreeSet<>(Stream.concat(
                    ALL.stream().filter(s -> !s.open()).map(Setting::key),
                    ALL.stream().filter(Setting::open).map(Setting::parent).filter(p -> p.contains(".")))
            .toList());

    /** A key a file may hold: fixed, or matching an open one. */
    static boolean known(String key) {
        return KEYS.contains(key)
                || ALL.stream()
                        .filter(Setting::open)
                        .anyMatch(s -> s.pattern().matcher(key).matches());
    }

    /** The doc of a key that holds settings. */
    public record Group(String key, String doc) {}

    private Settings() {}

    private static <T> Setting<T> add(Setting<T> s) {
        if (ALL_SETTINGS.stream().anyMatch(o -> o.key().equals(s.key()))) {
            throw new IllegalStateException("declared twice: " + s.key());
        }
        ALL_SETTINGS.add(s);
        return s;
    }

    private static Group group(String key, String doc) {
        Group g = new Group(key, doc);
        ALL_GROUPS.add(g);
        return g;
    }
}
