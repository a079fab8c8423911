package dev.revstream.collector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stripe's {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=...]}
 * (https://docs.stripe.com/webhooks#verify-manually): HMAC-SHA256 of {@code t + "." + body} with the
 * endpoint's signing secret ({@code whsec_...}, used as it is), any {@code v1} matching, {@code t}
 * within the tolerance of now.
 */
public final class StripeSignature implements SignatureCheck {
    public static final String HEADER = "Stripe-Signature";

    @Override
    public String refuse(SignedRequest r, byte[] secret, long toleranceMillis) {
        String header = r.header().apply(HEADER);
        if (header == null) {
            return "no " + HEADER + " header";
        }
        Long t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq).trim();
            String v = part.substring(eq + 1).trim();
            if (k.equals("t")) {
                try {
                    t = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return HEADER + " has a timestamp that is not a number";
                }
            } else if (k.equals("v1")) {
                signatures.add(v);
            }
        }
        if (t == null || signatures.isEmpty()) {
            return HEADER + " lacks t= or v1=";
        }
        if (Math.abs(r.nowMillis() - t * 1000) > toleranceMillis) {
            return HEADER + " is signed at " + t + ", outside the tolerance of now";
        }
        byte[] expected = Hmac.of("HmacSHA256", secret, (t + ".").getBytes(StandardCharsets.UTF_8), r.body());
        for (String s : signatures) {
            if (Hmac.same(expected, hex(s))) {
                return null;
            }
        }
        return HEADER + " does not match the body";
    }

    /** The header Stripe would send for {@code body} at {@code unixSeconds}. */
    public static String sign(byte[] secret, long unixSeconds, byte[] body) {
        byte[] mac = Hmac.of("HmacSHA256", secret, (unixSeconds + ".").getBytes(StandardCharsets.UTF_8), body);
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac);
    }

    private static byte[] hex(String s) {
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
