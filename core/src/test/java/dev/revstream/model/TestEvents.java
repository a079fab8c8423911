package dev.revstream.model;

/** Minimal events for function tests. */
public final class TestEvents {
    private TestEvents() {}

    public static Event touch(String source, String eventId, long occurredAt, long ingestedAt) {
        return new Event(
                EventKind.TOUCHPOINT,
                eventId,
                source,
                occurredAt,
                "acct-1",
                null,
                null,
                null,
                "MQL",
                "MQL",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "revops.touchpoints",
                0,
                0,
                ingestedAt,
                null,
                null,
                false);
    }

    public static Event heartbeat(long occurredAt) {
        return new Event(
                EventKind.TOUCHPOINT,
                "hb-" + occurredAt,
                "revstream",
                occurredAt,
                null,
                null,
                null,
                null,
                "HEARTBEAT",
                "HEARTBEAT",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "revops.touchpoints",
                0,
                0,
                occurredAt,
                null,
                null,
                false);
    }
}
