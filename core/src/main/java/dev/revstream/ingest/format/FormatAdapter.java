package dev.revstream.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.ingest.Rejection;

/**
 * Translates one record of a vendor's documented shape into canonical events. Stateless: what a
 * record leaves out (a deal's account, an anonymous visitor's account) stays out, for the job's
 * lookups to fill in. Throws {@link Rejection} for a record that is not what the vendor sends.
 */
public interface FormatAdapter {
    Translation translate(JsonNode value) throws Rejection;
}
