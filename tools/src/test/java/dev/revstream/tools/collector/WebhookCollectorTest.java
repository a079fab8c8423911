package dev.revstream.tools.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.collector.CollectorCounts.Outcome;
import dev.revstream.collector.HubSpotSignature;
import dev.revstream.collector.SegmentSignature;
import dev.revstream.collector.StripeSignature;
import dev.revstream.collector.Vendor;
import dev.revstream.collector.WebhookCollector;
import dev.revstream.config.ConfigException;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The collector as vendors meet it: real HTTP requests signed as Segment, HubSpot and Stripe sign
 * them, against a real broker. A signed body is on its topic, byte for byte, before the 200; a bad
 * or stale signature is a 401 and writes nothing; an oversized body a 413; an endpoint without its
 * secret a 404; a broker that does not answer a 503, so the vendor sends again.
 */
class WebhookCollectorTest {
    private static final String SEGMENT_SECRET = "seg-secret";
    private static final String HUBSPOT_SECRET = "hubspot-client-secret";
    private static final String STRIPE_SECRET = "whsec_test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static RevstreamConfig config(String name, String... more) {
        String id = name + "-" + System.nanoTime();
        List<String> sets = new java.util.ArrayList<>(List.of(
                "collect.segment.topic=" + id + ".segment",
                "collect.hubspot.topic=" + id + ".hubspot",
                "collect.stripe.topic=" + id + ".stripe",
                "collect.max-body=2KiB",
                "ingest.formats." + id + ".segment=segment",
                "ingest.formats." + id + ".hubspot=hubspot",
                "ingest.formats." + id + ".stripe=stripe"));
        sets.addAll(List.of(more));
        return Infra.config(name, sets.toArray(String[]::new));
    }

    static Map<String, String> secrets(boolean stripe) {
        return stripe
                ? Map.of(
                        "SEGMENT_WEBHOOK_SECRET", SEGMENT_SECRET,
                        "HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET,
                        "STRIPE_WEBHOOK_SECRET", STRIPE_SECRET)
                : Map.of("SEGMENT_WEBHOOK_SECRET", SEGMENT_SECRET, "HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET);
    }

    static HttpResponse<String> post(String url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signedBodiesAreOnTheirTopicsBeforeTheAnswerAndBadOnesAreNot() throws Exception {
        RevstreamConfig cfg = config("collector");
        KafkaTopics.ensure(cfg);
        String bootstrap = cfg.kafka().bootstrapServers();
        try (WebhookCollector c = new WebhookCollector(cfg, secrets(true)).start(0)) {
            String base = "http://127.0.0.1:" + c.port();
            byte[] segment =
                    utf8("{\"type\":\"track\",\"event\":\"Form Submitted\",\"messageId\":\"m-1\",\"userId\":\"jane\","
                            + "\"timestamp\":\"2026-11-03T15:21:03.649Z\"}");
            assertThat(post(
                                    base + "/segment",
                                    segment,
                                    Map.of("X-Signature", SegmentSignature.sign(utf8(SEGMENT_SECRET), segment)))
                            .statusCode())
                    .isEqualTo(200);
            // written before the answer: readable at once
            List<ConsumerRecord<byte[], byte[]>> onTopic = TopicIo.readAll(
                    bootstrap, cfg.collect().endpoints().get("segment").topic(), false);
            assertThat(onTopic).singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo(segment);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("jane");
            });

            byte[] hubspot = utf8("[{\"objectId\":5501,\"eventId\":1,\"occurredAt\":1795536131640,"
                    + "\"subscriptionType\":\"deal.creation\"}]");
            long now = System.currentTimeMillis();
            String url = base + "/hubspot?portal=1&tag=crm%3Adeals";
            assertThat(post(
                                    url,
                                    hubspot,
                                    Map.of(
                                            HubSpotSignature.SIGNATURE,
                                            HubSpotSignature.sign(utf8(HUBSPOT_SECRET), "POST", url, hubspot, now),
                                            HubSpotSignature.TIMESTAMP,
                                            Long.toString(now)))
                            .statusCode())
                    .isEqualTo(200);
            long stale = now - Duration.ofMinutes(6).toMillis();
            HttpResponse<String> replayed = post(
                    url,
                    hubspot,
                    Map.of(
                            HubSpotSignature.SIGNATURE,
                            HubSpotSignature.sign(utf8(HUBSPOT_SECRET), "POST", url, hubspot, stale),
                            HubSpotSignature.TIMESTAMP,
                            Long.toString(stale)));
            assertThat(replayed.statusCode()).isEqualTo(401);
            assertThat(replayed.body()).contains("tolerance");

            byte[] stripe =
                    utf8("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":1795537802,"
                            + "\"data\":{\"object\":{\"customer\":\"cus_1\"}}}");
            String header = StripeSignature.sign(utf8(STRIPE_SECRET), now / 1000, stripe);
            assertThat(post(base + "/stripe", stripe, Map.of(StripeSignature.HEADER, header))
                            .statusCode())
                    .isEqualTo(200);
            byte[] tampered = utf8(new String(stripe, StandardCharsets.UTF_8).replace("cus_1", "cus_2"));
            assertThat(post(base + "/stripe", tampered, Map.of(StripeSignature.HEADER, header))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(post(base + "/segment", segment, Map.of()).statusCode()).isEqualTo(401);

            // too large: with a declared length, and chunked (no length declared)
            byte[] big = new byte[3000];
            java.util.Arrays.fill(big, (byte) 'x');
            assertThat(post(
                                    base + "/segment",
                                    big,
                                    Map.of("X-Signature", SegmentSignature.sign(utf8(SEGMENT_SECRET), big)))
                            .statusCode())
                    .isEqualTo(413);
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "/segment"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                    .header("X-Signature", SegmentSignature.sign(utf8(SEGMENT_SECRET), big))
                    .build();
            assertThat(HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(413);

            assertThat(TopicIo.readAll(
                            bootstrap, cfg.collect().endpoints().get("hubspot").topic(), false))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(hubspot));
            assertThat(TopicIo.readAll(
                            bootstrap, cfg.collect().endpoints().get("stripe").topic(), false))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.value()).isEqualTo(stripe);
                        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cus_1");
                    });
            assertThat(TopicIo.readAll(
                            bootstrap, cfg.collect().endpoints().get("segment").topic(), false))
                    .hasSize(1);
            assertThat(c.counts().get(Vendor.SEGMENT, Outcome.WRITTEN)).isEqualTo(1);
            assertThat(c.counts().get(Vendor.SEGMENT, Outcome.BAD_SIGNATURE)).isEqualTo(1);
            assertThat(c.counts().get(Vendor.SEGMENT, Outcome.TOO_LARGE)).isEqualTo(2);
            assertThat(c.counts().get(Vendor.HUBSPOT, Outcome.BAD_SIGNATURE)).isEqualTo(1);
            assertThat(c.counts().get(Vendor.STRIPE, Outcome.BAD_SIGNATURE)).isEqualTo(1);
            HttpResponse<String> metrics = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("\"badSignature\":1").contains("\"tooLarge\":2");
        }
    }

    @Test
    void anEndpointWithoutItsSecretIsOffAndOneWithoutAnyRefusesToStart() throws Exception {
        RevstreamConfig cfg = config("collector-off");
        KafkaTopics.ensure(cfg);
        try (WebhookCollector c = new WebhookCollector(cfg, secrets(false)).start(0)) {
            HttpResponse<String> off = post("http://127.0.0.1:" + c.port() + "/stripe", utf8("{}"), Map.of());
            assertThat(off.statusCode()).isEqualTo(404);
            assertThat(off.body()).contains("STRIPE_WEBHOOK_SECRET");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookCollector(cfg, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SEGMENT_WEBHOOK_SECRET");
    }

    @Test
    void aBrokerThatDoesNotAnswerIsA503SoTheVendorSendsAgain() throws Exception {
        RevstreamConfig cfg =
                config("collector-down", "kafka.bootstrap-servers=127.0.0.1:1", "collect.ack-timeout=500ms");
        try (WebhookCollector c = new WebhookCollector(cfg, secrets(false)).start(0)) {
            byte[] body = utf8("{\"type\":\"page\",\"messageId\":\"m\"}");
            HttpResponse<String> r = post(
                    "http://127.0.0.1:" + c.port() + "/segment",
                    body,
                    Map.of("X-Signature", SegmentSignature.sign(utf8(SEGMENT_SECRET), body)));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(c.counts().get(Vendor.SEGMENT, Outcome.NOT_WRITTEN)).isEqualTo(1);
        }
    }
}
