package dev.revstream.tools.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.collector.HubSpotSignature;
import dev.revstream.collector.SegmentSignature;
import dev.revstream.collector.SignedRequest;
import dev.revstream.collector.StripeSignature;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The vendors' signatures against the worked examples of their documentation and SDKs
 * ({@code core/src/test/resources/formats/SIGNATURES.md}): values computed independently of this
 * code, so a signer that agrees with itself but not with the vendor fails here.
 */
class SignaturesTest {
    private static final long MINUTES_5 = 300_000;

    static SignedRequest request(String method, String url, Map<String, String> headers, String body, long now) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return new SignedRequest(method, url, h::get, body.getBytes(StandardCharsets.UTF_8), now);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hubSpotV3MatchesTheSdksVectorAndTheDocumentedUriDecoding() {
        // HubSpot's own SDK test (hubspot-api-python, test_get_signature__v3)
        assertThat(HubSpotSignature.sign(
                        utf8("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"),
                        "POST",
                        "https://www.example.com/webhook_uri",
                        utf8("{'example_field':'example_value'}"),
                        15000000L))
                .isEqualTo("HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=");
        String body = "[{\"objectId\":5501,\"propertyName\":\"dealstage\",\"propertyValue\":\"closedwon\","
                + "\"changeSource\":\"CRM_UI\",\"eventId\":4210887499,\"subscriptionId\":2102,\"portalId\":24681357,"
                + "\"appId\":3456789,\"occurredAt\":1795536131640,\"subscriptionType\":\"deal.propertyChange\","
                + "\"attemptNumber\":0}]";
        String url = "https://hooks.northwind.example/webhooks/hubspot?portal=24681357&tag=crm%3Adeals%2Cwon";
        byte[] secret = utf8("7f0e6d5c-4b3a-4291-8e7d-6c5b4a3f2e1d");
        assertThat(HubSpotSignature.sign(secret, "POST", url, utf8(body), 1795536133000L))
                .isEqualTo("/y+I1DY9pP20hChW9oFRSAJxeu4r/cHhIY7V5l7BTFY=");
        Map<String, String> headers = Map.of(
                HubSpotSignature.SIGNATURE, "/y+I1DY9pP20hChW9oFRSAJxeu4r/cHhIY7V5l7BTFY=",
                HubSpotSignature.TIMESTAMP, "1795536133000");
        HubSpotSignature check = new HubSpotSignature();
        assertThat(check.refuse(request("POST", url, headers, body, 1795536133000L + MINUTES_5 - 1), secret, MINUTES_5))
                .isNull();
        assertThat(check.refuse(request("POST", url, headers, body, 1795536133000L + MINUTES_5 + 1), secret, MINUTES_5))
                .contains("tolerance");
        assertThat(check.refuse(request("POST", url, headers, body + " ", 1795536133000L), secret, MINUTES_5))
                .contains("does not match");
        assertThat(check.refuse(request("POST", url, Map.of(), body, 1795536133000L), secret, MINUTES_5))
                .contains("no ");
    }

    @Test
    void stripeMatchesTheDocumentedExampleAndARolledSecret() {
        byte[] secret = utf8("whsec_5f2b8c1d9e4a7f3b6c0d2e8a1b4c7d9e");
        String body = "{\"id\":\"evt_1SXk9zLkdIwHu7ixPd7q3Rz1\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        assertThat(StripeSignature.sign(secret, 1795537802L, utf8(body)))
                .isEqualTo("t=1795537802,v1=91e13b5552c3ace375c428c6a5cc3447033ba45d3ee602b0e5cfed61970e1e63");
        StripeSignature check = new StripeSignature();
        String rolled = "t=1795537802,v1=308006a5effd856091f782b0f41772929b31c14170ae6b986b739882b17d66f7,"
                + "v1=91e13b5552c3ace375c428c6a5cc3447033ba45d3ee602b0e5cfed61970e1e63";
        Map<String, String> headers = Map.of(StripeSignature.HEADER, rolled);
        assertThat(check.refuse(request("POST", "u", headers, body, 1795538102_000L), secret, MINUTES_5))
                .isNull();
        assertThat(check.refuse(request("POST", "u", headers, body, 1795538103_000L), secret, MINUTES_5))
                .contains("tolerance");
        assertThat(check.refuse(
                        request("POST", "u", headers, body, 1795537802_000L),
                        utf8("whsec_0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
                        MINUTES_5))
                .isNull(); // the old secret's signature is in the header too
        assertThat(check.refuse(
                        request("POST", "u", headers, body.replace("paid", "void"), 1795537802_000L),
                        secret,
                        MINUTES_5))
                .contains("does not match");
    }

    @Test
    void segmentIsTheHexHmacSha1OfTheBody() throws Exception {
        byte[] secret = utf8("s3cr3t");
        String body = "{\"type\":\"track\",\"event\":\"Form Submitted\",\"messageId\":\"m-1\"}";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA1"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(utf8(body)));
        assertThat(SegmentSignature.sign(secret, utf8(body)))
                .isEqualTo(expected)
                .hasSize(40);
        SegmentSignature check = new SegmentSignature();
        assertThat(check.refuse(request("POST", "u", Map.of("x-signature", expected), body, 0), secret, 0))
                .isNull();
        assertThat(check.refuse(request("POST", "u", Map.of("X-Signature", expected), body + "x", 0), secret, 0))
                .contains("does not match");
        assertThat(check.refuse(request("POST", "u", Map.of("X-Signature", "zz"), body, 0), secret, 0))
                .contains("hexadecimal");
        // the documented example: a single event as the destination sends it
        String doc = "{\"type\":\"track\",\"event\":\"Demo Requested\",\"userId\":\"user-jane\",\"anonymousId\":"
                + "\"anon-7f3c\",\"properties\":{\"plan_interest\":\"enterprise\",\"seats\":40},\"messageId\":"
                + "\"ajs-next-1793719263518-4c1f9e2a-7b6d-4e3f-9a8b-1c2d3e4f5a6b\",\"timestamp\":\"2026-11-03T15:21:03.649Z\"}";
        assertThat(SegmentSignature.sign(utf8("seg-shared-secret-acme-7f3c"), utf8(doc)))
                .isEqualTo("7b1327ad9d2c1f56f30d373b58c6ba68d1a387c3");
        // a batch is signed over its first event only: refused
        assertThat(check.refuse(
                        request(
                                "POST",
                                "u",
                                Map.of("X-Signature", "7b1327ad9d2c1f56f30d373b58c6ba68d1a387c3"),
                                "[" + doc + "]",
                                0),
                        utf8("seg-shared-secret-acme-7f3c"),
                        0))
                .contains("batch");
    }
}
