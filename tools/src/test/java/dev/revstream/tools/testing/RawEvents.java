package dev.revstream.tools.testing;

import dev.revstream.tools.testing.TopicIo.Out;

/** Input records in the contract's JSON, as a source system writes them, for scripted scenarios. */
public final class RawEvents {
    private RawEvents() {}

    /** A touchpoint; {@code account} may be null (spend), {@code extra} is more JSON fields or null. */
    public static Out touch(
            String topic, String id, String at, String account, String type, String source, String extra) {
        return Out.json(
                topic,
                account,
                "{\"eventId\":\"" + id + "\",\"occurredAt\":\"" + at + "\",\"source\":\"" + source + "\","
                        + (account == null ? "" : "\"accountId\":\"" + account + "\",") + "\"type\":\"" + type + "\""
                        + (extra == null ? "" : "," + extra) + "}");
    }

    /** A deal event from the CRM; {@code extra} is more JSON fields or null. */
    public static Out deal(
            String topic, String id, String at, String dealId, String account, String type, String extra) {
        return Out.json(
                topic,
                account,
                "{\"eventId\":\"" + id + "\",\"occurredAt\":\"" + at + "\",\"source\":\"crm\",\"dealId\":\"" + dealId
                        + "\",\"accountId\":\"" + account + "\",\"type\":\"" + type + "\""
                        + (extra == null ? "" : "," + extra) + "}");
    }
}
