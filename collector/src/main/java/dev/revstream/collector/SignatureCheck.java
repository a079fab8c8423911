package dev.revstream.collector;

/**
 * One vendor's webhook signature: checks a request against the shared secret. Plain Java, no HTTP
 * server: the collector asks, tests sign requests as the vendor does with {@code sign} methods.
 */
public interface SignatureCheck {
    /** Null when the request is signed with {@code secret} within {@code toleranceMillis}; else why not. */
    String refuse(SignedRequest request, byte[] secret, long toleranceMillis);
}
