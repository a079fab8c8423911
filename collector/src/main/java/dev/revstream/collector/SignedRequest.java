package dev.revstream.collector;

import java.util.function.UnaryOperator;

/**
 * What a vendor's signature covers: the method, the URL as the vendor called it, the headers and
 * the body's bytes exactly as received, and the time it arrived (for the replay window).
 *
 * @param header a header's value by name (any case), or null
 */
public record SignedRequest(String method, String url, UnaryOperator<String> header, byte[] body, long nowMillis) {}
