package dev.revstream.tools.e2e;

import static dev.revstream.tools.testing.RawEvents.deal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.RawEvents;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule file of a user's own (not the defaults: custom actions, a 7-day window, map facts) through
 * the real job on a real broker, with a scripted scenario: revops.actions carries exactly the
 * recommendations worked out below, opened and closed at the expected event times.
 */
class ActionsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");

    private static final String RULES = """
            windows: [7]
            trend-window: 14
            rules:
              - id: big-deal-needs-exec
                description: a large deal in negotiation that sales barely touches
                scope: deal
                when: amount >= 100000.0 && stage == 'NEGOTIATION' && salesTouches7d < 2
                action: EXEC_SPONSOR
                priority: 1
                team: sales
                message: "Deal {dealId} ({amount}) in {stage} has {salesTouches7d} sales touches this week: bring in an executive sponsor."
              - id: trial-without-demo
                scope: lead
                when: touches7d['TRIAL_START'] > 0 && touches7d['DEMO'] == 0 && daysSinceLastActivity >= 2.0
                action: BOOK_DEMO
                priority: 2
                team: sales
                message: "{accountId} started a trial {daysSinceLastActivity} days ago and has seen no demo."
              - id: support-heavy-customer
                scope: customer
                when: touches7d['SUPPORT_TICKET'] >= 2
                action: ESCALATE
                priority: 2
                team: customer-success
                message: "{accountId} opened {touches7d} tickets"
            """;

    @Test
    void theActionsTopicCarriesExactlyTheScriptedRecommendations(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("my-rules.yaml");
        Files.writeString(rules, RULES.replace("opened {touches7d} tickets", "needs help: {healthScore} health"));
        RevstreamConfig cfg = Infra.config("actions-e2e", "actions.rules=" + rules.toAbsolutePath());
        String tp = cfg.topics().touchpoints();
        String dl = cfg.topics().deals();
        List<Out> in = new ArrayList<>();
        in.add(deal(
                dl,
                "d1",
                at(0, 0),
                "B1",
                "acct-big",
                "CREATED",
                "\"stage\":\"NEGOTIATION\",\"amount\":150000,\"ownerId\":\"rep-9\""));
        in.add(touch(tp, "t1", at(1, 0), "acct-big", "SALES_CALL", "\"dealId\":\"B1\""));
        in.add(touch(tp, "t2", at(2, 0), "acct-big", "SALES_CALL", "\"dealId\":\"B1\""));
        in.add(deal(dl, "d2", at(10, 0), "B1", "acct-big", "CLOSED_WON", null));
        in.add(touch(tp, "t3", at(11, 0), "acct-big", "SUPPORT_TICKET", null));
        in.add(touch(tp, "t4", at(12, 0), "acct-big", "SUPPORT_TICKET", null));
        in.add(touch(tp, "t5", at(0, 0), "acct-trial", "LEAD_CREATED", "\"ownerId\":\"sdr-2\""));
        in.add(touch(tp, "t6", at(0, 1), "acct-trial", "TRIAL_START", null));
        in.add(touch(tp, "t7", at(3, 0), "acct-trial", "DEMO", null));
        for (int p = 0; p < 3; p++) { // the as-of time: day 20
            in.add(new Out(
                    tp,
                    p,
                    null,
                    ("{\"eventId\":\"hb-" + p + "\",\"occurredAt\":\"" + at(20, 0) + "\",\"source\":\"test\","
                                    + "\"type\":\"HEARTBEAT\"}")
                            .getBytes(StandardCharsets.UTF_8)));
        }
        KafkaTopics.ensure(cfg);
        TopicIo.produce(cfg.kafka().bootstrapServers(), in);
        LocalFlink flink = Infra.flink();
        JobID job = LocalRunner.submitBounded(flink, cfg, AsOfScanner.scan(cfg), null, null);
        assertThat(flink.awaitResult(job, Duration.ofMinutes(3)).isSuccess()).isTrue();

        List<String> got = new ArrayList<>();
        List<JsonNode> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readCommitted(
                cfg.kafka().bootstrapServers(), cfg.topics().actions())) {
            JsonNode n = JSON.readTree(r.value());
            records.add(n);
            got.add(String.join(
                    " ",
                    n.get("at").asText(),
                    n.get("status").asText(),
                    n.get("ruleId").asText(),
                    n.get("accountId").asText(),
                    n.path("dealId").asText("-"),
                    n.get("action").asText(),
                    n.path("closeReason").asText("-")));
        }
        // big deal: no sales touch at creation; two by day 2; the day-1 call leaves the 7-day window at day 8
        // (windows are (t - 7 d, t]), found by the hourly tick; the deal is won on day 10.
        // trial: the trial starts at 01:00 on day 0; two days without activity at 01:00 on day 2; a demo on day 3.
        // customer: tickets on days 11 and 12; the day-11 one leaves the window on day 18.
        assertThat(got)
                .containsExactlyInAnyOrder(
                        at(0, 0) + " OPEN big-deal-needs-exec acct-big B1 EXEC_SPONSOR -",
                        at(2, 0) + " CLOSED big-deal-needs-exec acct-big B1 EXEC_SPONSOR CONDITION_FALSE",
                        at(8, 0) + " OPEN big-deal-needs-exec acct-big B1 EXEC_SPONSOR -",
                        at(10, 0) + " CLOSED big-deal-needs-exec acct-big B1 EXEC_SPONSOR DEAL_CLOSED",
                        at(2, 1) + " OPEN trial-without-demo acct-trial - BOOK_DEMO -",
                        at(3, 0) + " CLOSED trial-without-demo acct-trial - BOOK_DEMO CONDITION_FALSE",
                        at(12, 0) + " OPEN support-heavy-customer acct-big - ESCALATE -",
                        at(18, 0) + " CLOSED support-heavy-customer acct-big - ESCALATE CONDITION_FALSE");
        JsonNode first = records.stream()
                .filter(n -> n.get("at").asText().equals(at(0, 0))
                        && n.get("ruleId").asText().startsWith("big"))
                .findFirst()
                .orElseThrow();
        assertThat(first.get("message").asText())
                .isEqualTo(
                        "Deal B1 (150000) in NEGOTIATION has 0 sales touches this week: bring in an executive sponsor.");
        assertThat(first.get("ownerId").asText()).isEqualTo("rep-9");
        assertThat(first.get("priority").asInt()).isEqualTo(1);
        assertThat(first.get("facts").toString())
                .isEqualTo("{\"amount\":150000.0,\"salesTouches7d\":0,\"stage\":\"NEGOTIATION\"}");
        // the two spells of the big deal are two items; each is opened and closed under one id
        assertThat(records.stream()
                        .map(n -> n.get("actionId").asText())
                        .distinct()
                        .count())
                .isEqualTo(4);
        assertThat(records.stream()
                        .map(n -> n.get("recordId").asText())
                        .distinct()
                        .count())
                .isEqualTo(8);
        JsonNode trial = records.stream()
                .filter(n -> n.get("ruleId").asText().equals("trial-without-demo"))
                .findFirst()
                .orElseThrow();
        assertThat(trial.get("ownerId").asText()).isEqualTo("sdr-2");
        assertThat(trial.get("message").asText())
                .isEqualTo("acct-trial started a trial 2 days ago and has seen no demo.");
    }

    /** Day {@code day} of the scenario at {@code hour}:00 UTC, as the job writes it. */
    private static String at(int day, int hour) {
        return T.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).toString();
    }

    private static Out touch(String topic, String id, String at, String account, String type, String extra) {
        return RawEvents.touch(topic, id, at, account, type, "test", extra);
    }
}
