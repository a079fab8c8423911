package dev.revstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.revstream.kpi.KpiWindow;
import dev.revstream.model.Channel;
import dev.revstream.model.TouchpointType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static RevstreamConfig load(String... sets) {
        return ConfigLoader.load(ProjectConfig.mainFile(), List.of(sets), Map.of());
    }

    @Test
    void loadsTheDefaultConfigurationAndItsMappings() {
        RevstreamConfig cfg = load();
        assertThat(cfg.topics().touchpoints()).isEqualTo("revops.touchpoints");
        assertThat(cfg.time().outOfOrderness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cfg.ingest().maxValueBytes()).isEqualTo(1024 * 1024);
        assertThat(cfg.ingest().deadletterMaxPayload()).isEqualTo(512 * 1024);
        assertThat(cfg.kafka().transactionTimeout()).isLessThan(Duration.ofMinutes(15));
        assertThat(cfg.deals().stages())
                .extracting(RevstreamConfig.Stage::name)
                .containsExactly("QUALIFICATION", "DISCOVERY", "SOLUTION", "PROPOSAL", "NEGOTIATION");
        assertThat(cfg.deals().stages().get(4).stallSla()).isEqualTo(Duration.ofDays(7));
        assertThat(cfg.deals().stages().get(3).winProbability()).isEqualTo(0.6);
        assertThat(cfg.mappings().type("marketo", "Open Email")).isEqualTo(TouchpointType.EMAIL_OPEN);
        assertThat(cfg.mappings().type("salesforce", "Call")).isEqualTo(TouchpointType.SALES_CALL);
        assertThat(cfg.mappings().type("zendesk", "ticket.created")).isEqualTo(TouchpointType.SUPPORT_TICKET);
        assertThat(cfg.mappings().stage("hubspot", "contractsent")).isEqualTo("NEGOTIATION");
        assertThat(cfg.mappings().stage("salesforce", "Proposal/Price Quote")).isEqualTo("PROPOSAL");
        assertThat(cfg.mappings().stage("pipedrive", "won")).isEqualTo("CLOSED_WON");
        assertThat(cfg.mappings().channel("anything", "cpc")).isEqualTo(Channel.PAID_SEARCH);
        assertThat(cfg.ingest().currencyRates()).containsKey("EUR");
    }

    @Test
    void setAndEnvironmentOverrideTheFileInThatOrder() {
        RevstreamConfig env = ConfigLoader.load(
                ProjectConfig.mainFile(),
                List.of(),
                Map.of("REVSTREAM_KAFKA_BOOTSTRAP_SERVERS", "envhost:1", "REVSTREAM_TIME_OUT_OF_ORDERNESS", "5s"));
        assertThat(env.kafka().bootstrapServers()).isEqualTo("envhost:1");
        assertThat(env.time().outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        RevstreamConfig both = ConfigLoader.load(
                ProjectConfig.mainFile(),
                List.of("kafka.bootstrap-servers=sethost:2"),
                Map.of("REVSTREAM_KAFKA_BOOTSTRAP_SERVERS", "envhost:1"));
        assertThat(both.kafka().bootstrapServers()).isEqualTo("sethost:2");
        assertThat(load("kafka.properties.security.protocol=SASL_SSL").kafka().properties())
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(load("flink.state.backend.rocksdb.timer-service.factory=HEAP")
                        .flinkOptions())
                .containsEntry("state.backend.rocksdb.timer-service.factory", "HEAP");
        assertThat(load("deals.stage.PROPOSAL.stall-sla=3d")
                        .deals()
                        .stages()
                        .get(3)
                        .stallSla())
                .isEqualTo(Duration.ofDays(3));
    }

    @Test
    void readsTheAlertThresholdsIntoTheJourneySettings() {
        RevstreamConfig cfg = load(
                "alerts.lead-sla-mode=business-hours",
                "alerts.business-days=MON,TUE,wed",
                "alerts.business-hours=08:30-18:00",
                "alerts.segment.enterprise.lead-sla=48h",
                "deals.segment.enterprise.stall-sla.PROPOSAL=20d",
                "alerts.health.churn-below=40");
        var js = cfg.journeySettings();
        assertThat(js.leadSlaMillis()).isEqualTo(Duration.ofHours(24).toMillis());
        assertThat(js.businessCalendar()).isNotNull();
        assertThat(js.leadSlaBySegment())
                .containsEntry("enterprise", Duration.ofHours(48).toMillis());
        assertThat(js.stallSla(3, "enterprise")).isEqualTo(Duration.ofDays(20).toMillis());
        assertThat(js.stallSla(3, "smb")).isEqualTo(Duration.ofDays(10).toMillis());
        assertThat(js.health().churnBelow()).isEqualTo(40);
        assertThat(js.tombstoneMillis()).isEqualTo(Duration.ofDays(400).toMillis());
        assertThat(js.criticalStage()).isEqualTo("NEGOTIATION");
        assertThat(load().journeySettings().businessCalendar()).isNull();
        assertThatThrownBy(() -> load(
                        "alerts.business-hours=18:00-08:00",
                        "alerts.business-days=FUNDAY",
                        "alerts.health.rearm-at=10",
                        "alerts.stall-critical-stage=CLOSING",
                        "deals.segment.smb.stall-sla.WAITING=3d"))
                .hasMessageContaining("alerts.business-hours")
                .hasMessageContaining("alerts.business-days: 'FUNDAY'")
                .hasMessageContaining("alerts.health.rearm-at")
                .hasMessageContaining("alerts.stall-critical-stage")
                .hasMessageContaining("deals.segment.smb.stall-sla.WAITING");
    }

    @Test
    void readsAQuotaFileByItsAbsolutePathAndNamesTheKeyOfAMissingOne(@TempDir Path dir) throws Exception {
        Path quotas = dir.resolve("quotas.yaml");
        Files.writeString(quotas, "quotas:\n  - { owner: rep-1, period: 1M, start: 2026-03-01, amount: 1000 }\n");
        RevstreamConfig cfg = load("kpi.windows=1M", "kpi.quotas=" + quotas.toAbsolutePath());
        assertThat(cfg.kpi().quotas().size()).isEqualTo(1);
        assertThatThrownBy(() -> load("kpi.quotas=" + dir.resolve("none.yaml").toAbsolutePath()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kpi.quotas: no such file");
        Files.writeString(quotas, "quotas:\n  - { owner: rep-1, period: 1M, start: 2026-03-02, amount: 1000 }\n");
        assertThatThrownBy(() -> load("kpi.quotas=" + quotas.toAbsolutePath()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kpi.quotas")
                .hasMessageContaining("quotas[0]: start 2026-03-02 is not the first day of a 1M period");
    }

    @Test
    void readsKpiWindowsAndAttributionShares() {
        RevstreamConfig cfg = load(
                "kpi.windows=1d, 1Q, 1y",
                "kpi.fiscal-year-start-month=4",
                "attribution.u-shaped=0.5, 0.5",
                "time.zone=Europe/Berlin");
        assertThat(cfg.kpi().windows()).extracting(KpiWindow::name).containsExactly("1d", "1Q", "1y");
        assertThat(cfg.kpi().windows().get(1).fiscalStartMonth()).isEqualTo(4);
        assertThat(cfg.kpi().windows().get(0).zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(cfg.journeySettings().attribution().uFirst()).isEqualTo(0.5);
        assertThat(cfg.journeySettings().attribution().windowMillis())
                .isEqualTo(Duration.ofDays(180).toMillis());
        assertThatThrownBy(() -> load("kpi.windows=1d, 2w", "attribution.w-shaped=0.5, 0.5, 0.5", "kpi.gross-margin=2"))
                .hasMessageContaining("kpi.windows: '2w' is not a window size")
                .hasMessageContaining("attribution.w-shaped")
                .hasMessageContaining("kpi.gross-margin");
    }

    @Test
    void theCorrectionHorizonIsValidatedAgainstTheDeduplicationHorizon() {
        assertThat(load().time().correctionHorizon()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(load("time.correction-horizon=0").time().correctionHorizon()).isZero();
        assertThatThrownBy(() -> load("time.correction-horizon=30d"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.dedup-horizon: must be at least time.correction-horizon (30d)");
        assertThat(load("time.correction-horizon=30d", "ingest.dedup-horizon=30d")
                        .time()
                        .correctionHorizon())
                .isEqualTo(java.time.Duration.ofDays(30));
        assertThatThrownBy(() -> load("time.correction-horizon=100d", "ingest.dedup-horizon=100d"))
                .hasMessageContaining("time.correction-horizon: '100d' must be between 0 and 90d");
    }

    @Test
    void namesEveryBadKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> load(
                        "time.out-of-ordernes=5s",
                        "kafka.delivery=twice",
                        "time.idle-timeout=soon",
                        "kafka.transaction-timeout=20m",
                        "job.parallelism=0",
                        "time.zone=Mars/Base"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("time.out-of-ordernes: unknown key; the keys under 'time.' are")
                .hasMessageContaining("time.out-of-orderness")
                .hasMessageContaining("kafka.delivery: 'twice' is not one of [exactly-once, at-least-once]")
                .hasMessageContaining("time.idle-timeout: 'soon' is not a duration such as 500ms, 90s, 5m, 2h or 7d")
                .hasMessageContaining("kafka.transaction-timeout: '20m' must be between 1s and 15m")
                .hasMessageContaining("job.parallelism: '0' must be a whole number from 1 to 1024")
                .hasMessageContaining("time.zone: 'Mars/Base' is not a time zone");
        assertThatThrownBy(() -> load("ingest.currency-rates.EUR=-1"))
                .hasMessageContaining("ingest.currency-rates.EUR");
        assertThatThrownBy(() -> load("deals.stage.CLOSING.stall-sla=3d"))
                .hasMessageContaining("not listed in deals.stages");
        assertThatThrownBy(() -> load("topics.deals=revops.touchpoints")).hasMessageContaining("topics.deals");
        assertThatThrownBy(() -> load("job.checkpoint-interval=10m", "kafka.transaction-timeout=15m"))
                .hasMessageContaining("must be longer than job.checkpoint-interval plus job.checkpoint-timeout");
        // a checkpoint that may take 5 minutes cannot commit in a transaction of one
        assertThatThrownBy(() -> load("kafka.transaction-timeout=60s"))
                .hasMessageContaining("kafka.transaction-timeout: '1m' must be longer than job.checkpoint-interval plus"
                        + " job.checkpoint-timeout (10s + 5m)");
        assertThat(load("kafka.transaction-timeout=60s", "job.checkpoint-timeout=30s"))
                .isNotNull();
        assertThat(load("kafka.transaction-timeout=60s", "kafka.delivery=at-least-once"))
                .isNotNull();
        // what the job writes must fit a record: an accepted value becomes an event of about its size
        assertThatThrownBy(() -> load("kafka.max-record-bytes=2MiB", "ingest.max-value-bytes=2MiB"))
                .hasMessageContaining("ingest.max-value-bytes: must leave 64KiB of kafka.max-record-bytes");
        assertThat(load("kafka.max-record-bytes=2MiB", "ingest.max-value-bytes=1MiB"))
                .isNotNull();
    }

    @Test
    void reportsABadMappingFileByName(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("main.yaml"),
                Files.readString(ProjectConfig.mainFile()).replace("mappings/default.yaml", "bad.yaml"));
        Files.writeString(dir.resolve("bad.yaml"), "sources:\n  crm:\n    stages:\n      Won: VICTORY\n");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("main.yaml"), List.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.mappings")
                .hasMessageContaining("VICTORY");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), List.of(), Map.of()))
                .hasMessageContaining("no such file");
    }

    @Test
    void readsTheDefaultRulesAndRejectsABadRuleFileAtStartUpNamingRuleAndPosition(@TempDir Path dir) throws Exception {
        RevstreamConfig cfg = load();
        assertThat(cfg.rules().rules()).hasSize(5);
        assertThat(cfg.rules().intervalMillis()).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(load("actions.rules=", "actions.evaluation-interval=15m")
                        .rules()
                        .isEmpty())
                .isTrue();
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - id: typo
                    scope: deal
                    when: "stage == 'PROPOSAL' && amonut > 5"
                    action: ESCALATE
                    team: sales
                  - id: not-bool
                    scope: customer
                    when: "arr * 2.0"
                    action: ESCALATE
                    team: sales
                """);
        assertThatThrownBy(() -> load("actions.rules=" + dir.resolve("rules.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("actions.rules: " + dir.resolve("rules.yaml") + " has 2 problem(s)")
                .hasMessageContaining("rule 'typo': condition at line 1, column 24: undeclared reference to 'amonut'")
                .hasMessageContaining("rule 'not-bool': condition");
        assertThatThrownBy(() -> load("actions.rules=" + dir.resolve("none.yaml")))
                .hasMessageContaining("actions.rules: no such file");
        assertThatThrownBy(() -> load("actions.evaluation-interval=5s"))
                .hasMessageContaining("actions.evaluation-interval");
    }

    @Test
    void aFileNamesOnlyWhatItChangesAndTheShippedDefaultsFillTheRest(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(mine, """
                kafka:
                  bootstrap-servers: broker:9092
                topics:
                  touchpoints: web.events
                  deals: crm.deals
                time:
                  out-of-orderness: 2m
                """);
        ConfigLoader.Effective e = ConfigLoader.effective(mine, List.of(), Map.of("REVSTREAM_JOB_PARALLELISM", "1"));
        RevstreamConfig cfg = e.config();
        assertThat(cfg.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(cfg.topics().touchpoints()).isEqualTo("web.events");
        assertThat(cfg.time().outOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(cfg.deals().stages()).hasSize(5);
        // the mapping and rule files the defaults name come from the jar's copy, not the user's folder
        assertThat(cfg.mappings().type("marketo", "Open Email")).isEqualTo(TouchpointType.EMAIL_OPEN);
        assertThat(cfg.rules().rules()).hasSize(5);
        assertThat(e.values()).containsEntry("job.parallelism", "1").containsEntry("time.correction-horizon", "7d");
        assertThat(e.origins())
                .containsEntry("kafka.bootstrap-servers", mine.toString())
                .containsEntry("job.parallelism", "REVSTREAM_JOB_PARALLELISM")
                .containsEntry("time.idle-timeout", ConfigLoader.DEFAULT)
                .containsEntry("ingest.mappings", ConfigLoader.DEFAULT)
                .containsEntry("deals.stage.PROPOSAL.stall-sla", ConfigLoader.DEFAULT);

        // a group the file names replaces the shipped one whole
        Path stages = dir.resolve("stages.yaml");
        Files.writeString(stages, """
                deals:
                  stages: DISCOVERY, CLOSING
                  stage:
                    DISCOVERY: { stall-sla: 5d, win-probability: 0.2 }
                    CLOSING: { stall-sla: 3d, win-probability: 0.7 }
                alerts:
                  stall-critical-stage: CLOSING
                ingest:
                  mappings: crm.yaml
                """);
        // the shipped mappings name the shipped stages: other stages come with mappings of their own
        Files.writeString(dir.resolve("crm.yaml"), "sources:\n  crm:\n    stages:\n      Closing: CLOSING\n");
        ConfigLoader.Effective s =
                ConfigLoader.effective(stages, List.of("deals.stage.CLOSING.stall-sla=4d"), Map.of());
        assertThat(s.config().deals().stages())
                .extracting(RevstreamConfig.Stage::name)
                .containsExactly("DISCOVERY", "CLOSING");
        assertThat(s.config().deals().stages().get(1).stallSla()).isEqualTo(Duration.ofDays(4));
        assertThat(s.values()).doesNotContainKey("deals.stage.QUALIFICATION.stall-sla");
        assertThat(s.config().mappings().stage("crm", "Closing")).isEqualTo("CLOSING");
    }

    @Test
    void anEnvironmentVariableThatNamesNoKeyIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(
                        ProjectConfig.mainFile(),
                        List.of(),
                        Map.of(
                                "REVSTREAM_KAFKA_BOOTSTRAP_SERVRS", "x:1",
                                "REVSTREAM_JAVA_OPTS", "-Xmx1g",
                                "REVSTREAM_REBUILD", "1",
                                "PATH", "/usr/bin")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "REVSTREAM_KAFKA_BOOTSTRAP_SERVRS: no configuration key has this variable; did you"
                                + " mean REVSTREAM_KAFKA_BOOTSTRAP_SERVERS?")
                .hasMessageNotContaining("JAVA_OPTS")
                .hasMessageNotContaining("REBUILD");
    }

    @Test
    void fallsBackToTheCopyInsideTheJar() {
        // the module directory has no config/ folder: the bundled copy is read
        assertThat(Files.exists(ConfigLoader.DEFAULT_FILE)).isFalse();
        RevstreamConfig cfg = ConfigLoader.load(null, List.of(), Map.of());
        assertThat(cfg.mappings().type("marketo", "Fill Out Form")).isEqualTo(TouchpointType.FORM_SUBMIT);
    }
}
