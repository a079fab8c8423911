package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.collector.HubSpotSignature;
import dev.revstream.collector.SegmentSignature;
import dev.revstream.collector.WebhookCollector;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.SettledOutputs;
import dev.revstream.tools.testing.TopicIo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Sources as they are, from the first anonymous touch to the won deal: Segment calls and HubSpot
 * webhooks posted to the collector over HTTP, signed as the vendors sign them, read by the job in
 * the vendors' own formats. An anonymous ad click and web visit, an anonymous form fill, then
 * {@code identify} and {@code group} tell who and which account; a HubSpot deal is created, tied to
 * the company and won. First-touch credit goes to the ad click's channel, the KPIs count the lead
 * of the form fill, and the settled outputs are the same whether the links arrive after the touches
 * they resolve or before them.
 */
class SourcesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SEGMENT_SECRET = "seg-secret";
    private static final String HUBSPOT_SECRET = "hubspot-secret";
    private static final long DAY = 86_400_000L;

    record Post(String vendor, String body) {}

    static List<Post> scenario(long t) {
        String campaignAd = "{\"name\":\"revops-analytics\",\"source\":\"google\",\"medium\":\"cpc\"}";
        List<Post> segmentTouches = List.of(
                new Post(
                        "segment",
                        "{\"type\":\"track\",\"event\":\"Ad Clicked\",\"messageId\":\"m-ad\",\"anonymousId\":\"anon-7f3c\","
                                + "\"timestamp\":\"" + at(t) + "\",\"context\":{\"campaign\":" + campaignAd + "}}"),
                new Post(
                        "segment",
                        "{\"type\":\"page\",\"messageId\":\"m-page\",\"anonymousId\":\"anon-7f3c\",\"timestamp\":\""
                                + at(t + 3_600_000) + "\",\"properties\":{\"url\":\"https://acme.example/pricing\"},"
                                + "\"context\":{\"campaign\":{\"medium\":\"organic\"}}}"),
                new Post(
                        "segment",
                        "{\"type\":\"track\",\"event\":\"Form Submitted\",\"messageId\":\"m-form\",\"anonymousId\":"
                                + "\"anon-7f3c\",\"timestamp\":\"" + at(t + DAY)
                                + "\",\"context\":{\"campaign\":{\"medium\":\"email\"}}}"));
        List<Post> links = List.of(
                new Post(
                        "segment",
                        "{\"type\":\"identify\",\"messageId\":\"m-identify\",\"anonymousId\":\"anon-7f3c\",\"userId\":"
                                + "\"user-jane\",\"timestamp\":\"" + at(t + DAY + 60_000)
                                + "\",\"traits\":{\"email\":\"jane@acme.example\"}}"),
                new Post(
                        "segment",
                        "{\"type\":\"group\",\"messageId\":\"m-group\",\"userId\":\"user-jane\",\"groupId\":\"9001\","
                                + "\"timestamp\":\"" + at(t + DAY + 120_000) + "\",\"traits\":{\"name\":\"Acme\"}}"));
        long created = t + 2 * DAY;
        List<Post> deal = List.of(
                new Post(
                        "hubspot",
                        "[{\"objectId\":5501,\"eventId\":101,\"occurredAt\":" + created
                                + ",\"subscriptionType\":\"deal.creation\",\"portalId\":1},"
                                + "{\"objectId\":5501,\"eventId\":102,\"occurredAt\":" + created
                                + ",\"subscriptionType\":\"deal.propertyChange\",\"propertyName\":\"dealstage\",\"propertyValue\":\"appointmentscheduled\"},"
                                + "{\"objectId\":5501,\"eventId\":103,\"occurredAt\":" + created
                                + ",\"subscriptionType\":\"deal.propertyChange\",\"propertyName\":\"amount\",\"propertyValue\":\"48000\"},"
                                + "{\"eventId\":104,\"occurredAt\":" + (created + 1000)
                                + ",\"subscriptionType\":\"deal.associationChange\",\"associationType\":\"DEAL_TO_COMPANY\","
                                + "\"fromObjectId\":5501,\"toObjectId\":9001,\"associationRemoved\":false}]"),
                new Post(
                        "hubspot",
                        "[{\"objectId\":5501,\"eventId\":105,\"occurredAt\":" + (t + 10 * DAY)
                                + ",\"subscriptionType\":\"deal.propertyChange\",\"propertyName\":\"dealstage\",\"propertyValue\":\"closedwon\"}]"));
        List<Post> all = new ArrayList<>(segmentTouches);
        all.addAll(links);
        all.addAll(deal);
        return all;
    }

    static String at(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    static void post(WebhookCollector c, Post p) throws Exception {
        byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
        String url = "http://127.0.0.1:" + c.port() + "/" + p.vendor();
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (p.vendor().equals("segment")) {
            b.header("X-Signature", SegmentSignature.sign(SEGMENT_SECRET.getBytes(StandardCharsets.UTF_8), body));
        } else {
            long now = System.currentTimeMillis();
            b.header(
                    HubSpotSignature.SIGNATURE,
                    HubSpotSignature.sign(HUBSPOT_SECRET.getBytes(StandardCharsets.UTF_8), "POST", url, body, now));
            b.header(HubSpotSignature.TIMESTAMP, Long.toString(now));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", p.vendor(), r.body()).isEqualTo(200);
    }

    /** The scenario through the collector and a bounded run; the settled outputs and the raw credits and KPIs. */
    static Run run(String name, List<Post> posts) throws Exception {
        String id = name + "-" + System.nanoTime();
        RevstreamConfig cfg = Infra.config(
                name,
                "collect.segment.topic=" + id + ".segment",
                "collect.hubspot.topic=" + id + ".hubspot",
                "ingest.formats." + id + ".segment=segment",
                "ingest.formats." + id + ".hubspot=hubspot");
        KafkaTopics.ensure(cfg);
        try (WebhookCollector c = new WebhookCollector(
                        cfg, Map.of("SEGMENT_WEBHOOK_SECRET", SEGMENT_SECRET, "HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET))
                .start(0)) {
            for (Post p : posts) {
                post(c, p);
            }
        }
        LocalFlink flink = Infra.flink();
        JobID job = LocalRunner.submitBounded(flink, cfg, AsOfScanner.scan(cfg), null, null);
        JobResult result = flink.awaitResult(job, Duration.ofMinutes(3));
        assertThat(result.isSuccess())
                .as("bounded job: %s", result.getSerializedThrowable())
                .isTrue();
        String bootstrap = cfg.kafka().bootstrapServers();
        SettledOutputs settled = SettledOutputs.of(cfg, Long.MAX_VALUE);
        List<JsonNode> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                TopicIo.readAll(bootstrap, cfg.topics().deadletter(), true)) {
            deadLetters.add(JSON.readTree(r.value()));
        }
        return new Run(settled, deadLetters);
    }

    record Run(SettledOutputs settled, List<JsonNode> deadLetters) {}

    @Test
    void theAnonymousFirstTouchIsCreditedAndTheFormFillIsALead() throws Exception {
        long t = Instant.now()
                        .minus(Duration.ofDays(30))
                        .truncatedTo(ChronoUnit.DAYS)
                        .toEpochMilli()
                + 9 * 3_600_000;
        List<Post> posts = scenario(t);
        Run linksAfter = run("sources-e2e", posts);
        assertThat(linksAfter.deadLetters()).as("dead letters").isEmpty();

        List<JsonNode> credits = new ArrayList<>();
        for (String c : linksAfter.settled().credits().keySet()) {
            credits.add(JSON.readTree(c));
        }
        assertThat(credits).as("credits").isNotEmpty().allSatisfy(c -> {
            assertThat(c.get("accountId").asText()).isEqualTo("9001");
            assertThat(c.get("dealId").asText()).isEqualTo("5501");
        });
        JsonNode first = credits.stream()
                .filter(c -> c.get("model").asText().equals("FIRST_TOUCH"))
                .findFirst()
                .orElseThrow();
        assertThat(first.get("channel").asText()).isEqualTo("paid_search");
        assertThat(first.get("touch").get("eventId").asText()).isEqualTo("m-ad");
        assertThat(first.get("touch").get("at").asText()).isEqualTo(at(t));
        assertThat(first.get("credit").decimalValue()).isEqualByComparingTo("48000");

        String formDay =
                Instant.ofEpochMilli(t + DAY).truncatedTo(ChronoUnit.DAYS).toString();
        String kpiKey = "1d " + formDay + " all=all";
        assertThat(linksAfter.settled().kpis()).containsKey(kpiKey);
        assertThat(JSON.readTree(linksAfter.settled().kpis().get(kpiKey))
                        .get("newLeads")
                        .asLong())
                .isEqualTo(1);
        // the won deal made the account a customer (the window of the win ends after the run's as-of)
        assertThat(linksAfter.settled().journey().keySet())
                .anySatisfy(
                        j -> assertThat(j).contains("\"accountId\":\"9001\"").contains("\"customer\""));

        // the same events with the links first: the same settled outputs
        List<Post> linksFirst = new ArrayList<>(posts.subList(3, 5));
        linksFirst.addAll(posts.subList(0, 3));
        linksFirst.addAll(posts.subList(5, posts.size()));
        Run before = run("sources-e2e-links-first", linksFirst);
        if (!before.settled().equals(linksAfter.settled())) {
            before.settled().printDifferences("links after", linksAfter.settled(), "links first");
        }
        assertThat(before.settled()).isEqualTo(linksAfter.settled());
    }
}
