package dev.revstream.collector;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * HubSpot's request signature v3
 * (https://developers.hubspot.com/docs/api/webhooks/validating-requests): {@code X-HubSpot-Signature-v3}
 * is the base64 HMAC-SHA256, with the app's client secret, of method + URI + body +
 * {@code X-HubSpot-Request-Timestamp} (epoch ms), where the URI is the full URL HubSpot called with
 * the percent-escapes HubSpot decodes before signing decoded. Requests with a timestamp older than
 * the tolerance are refused (HubSpot's own rule: five minutes).
 */
public final class HubSpotSignature implements SignatureCheck {
    public static final String SIGNATURE = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";

    /** The escapes HubSpot decodes in the URI before it signs. */
    private static final Map<String, String> DECODED = Map.ofEntries(
            Map.entry("%3A", ":"),
            Map.entry("%2F", "/"),
            Map.entry("%3F", "?"),
            Map.entry("%40", "@"),
            Map.entry("%21", "!"),
            Map.entry("%24", "$"),
            Map.entry("%27", "'"),
            Map.entry("%28", "("),
            Map.entry("%29", ")"),
            Map.entry("%2A", "*"),
            Map.entry("%2C", ","),
            Map.entry("%3B", ";"));

    @Override
    public String refuse(SignedRequest r, byte[] secret, long toleranceMillis) {
        String signature = r.header().apply(SIGNATURE);
        String timestamp = r.header().apply(TIMESTAMP);
        if (signature == null || timestamp == null) {
            return "no " + SIGNATURE + " or " + TIMESTAMP + " header";
        }
        long t;
        try {
            t = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return TIMESTAMP + " is not a number";
        }
        if (Math.abs(r.nowMillis() - t) > toleranceMillis) {
            return TIMESTAMP + " " + t + " is outside the tolerance of now";
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return SIGNATURE + " is not base64";
        }
        return Hmac.same(mac(secret, r.method(), r.url(), r.body(), timestamp.trim()), given)
                ? null
                : SIGNATURE + " does not match the request";
    }

    /** The signature HubSpot would send. */
    public static String sign(byte[] secret, String method, String url, byte[] body, long timestampMillis) {
        return Base64.getEncoder().encodeToString(mac(secret, method, url, body, Long.toString(timestampMillis)));
    }

    private static byte[] mac(byte[] secret, String method, String url, byte[] body, String timestamp) {
        return Hmac.of(
                "HmacSHA256",
                secret,
                (method + decode(url)).getBytes(StandardCharsets.UTF_8),
                body,
                timestamp.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String url) {
        StringBuilder sb = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) == '%' && i + 2 < url.length()) {
                String esc = url.substring(i, i + 3).toUpperCase(java.util.Locale.ROOT);
                String d = DECODED.get(esc);
                if (d != null) {
                    sb.append(d);
                    i += 2;
                    continue;
                }
            }
            sb.append(url.charAt(i));
        }
        return sb.toString();
    }
}
