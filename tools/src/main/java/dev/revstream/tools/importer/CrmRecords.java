package dev.revstream.tools.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a CRM export became: deal events by the input contract (JSON, keyed by account), the rows
 * that could not become events with the reason, and the latest date seen.
 */
public final class CrmRecords {
    /** One deal event to write to the deals topic. */
    public record DealEvent(String accountId, String json, long occurredAt) {}

    /** A row that could not become events. */
    public record Rejected(int line, String id, String reason) {}

    public final List<DealEvent> events = new ArrayList<>();
    public final List<Rejected> rejected = new ArrayList<>();
    public long rows;
    public long latest = Long.MIN_VALUE;
}
