package dev.revstream.collector;

import java.util.HexFormat;

/**
 * Segment's webhook destination signs each request with the shared secret: {@code X-Signature}, the
 * hex HMAC-SHA1 of the body (https://segment.com/docs/connections/destinations/catalog/webhooks/).
 * The signature carries no time, so there is no replay window to check. A batched body (a JSON
 * array: the destination's batching on) is refused: Segment signs only its first event, so the rest
 * could be anything.
 */
public final class SegmentSignature implements SignatureCheck {
    public static final String HEADER = "X-Signature";

    @Override
    public String refuse(SignedRequest r, byte[] secret, long toleranceMillis) {
        String header = r.header().apply(HEADER);
        if (header == null) {
            return "no " + HEADER + " header";
        }
        if (r.body().length > 0 && firstNonBlank(r.body()) == '[') {
            return "a batched body (a JSON array) carries a signature of its first event only: turn batching off on"
                    + " the Segment webhook destination";
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return HEADER + " is not hexadecimal";
        }
        return Hmac.same(Hmac.of("HmacSHA1", secret, r.body()), given) ? null : HEADER + " does not match the body";
    }

    private static int firstNonBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
        }
        return -1;
    }

    /** The header Segment would send for {@code body}. */
    public static String sign(byte[] secret, byte[] body) {
        return HexFormat.of().formatHex(Hmac.of("HmacSHA1", secret, body));
    }
}
