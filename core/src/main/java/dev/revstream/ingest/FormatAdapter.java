package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Translates one record of a vendor's documented shape into canonical events. Stateless: what a
 * record leaves out (a deal's account, an anonymous visitor's account) stays out, for the job's
 * lookups to fill in. Throws {@link Rejection} for a record that is not what the vendor sends.
 */
public interface FormatAdapter {
    Translation translate(JsonNode value) throws Rejection;
}
