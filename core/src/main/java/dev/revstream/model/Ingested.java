package dev.revstream.model;

/**
 * What the source stage makes of one Kafka record: exactly one of an accepted {@link Event} or a
 * {@link DeadLetter}. Parsing inside the source lets the watermark generator see only valid event
 * times, so a rejected record (an absurd future time, say) can never move a watermark.
 *
 * <p>A record in a vendor's format may also yield nothing, for a reason ({@link Skipped}: a
 * tombstone, a vendor event revstream does not read): counted, neither an event nor an error.
 *
 * @param channelUnmapped the event named a channel the mappings do not know (it became {@code other})
 */
public record Ingested(Event event, DeadLetter deadLetter, boolean channelUnmapped, Skipped skipped) {

    /** A part of a vendor's record that yields no event, and why. */
    public record Skipped(String source, long ingestedAt, String reason) {}

    public static Ingested accepted(Event event, boolean channelUnmapped) {
        return new Ingested(event, null, channelUnmapped, null);
    }

    public static Ingested rejected(DeadLetter deadLetter) {
        return new Ingested(null, deadLetter, false, null);
    }

    public static Ingested skipped(String source, long ingestedAt, String reason) {
        return new Ingested(null, null, false, new Skipped(source, ingestedAt, reason));
    }

    /** The event time a watermark may use; {@link Long#MIN_VALUE} for a dead letter or a skipped part. */
    public long eventTime() {
        return event == null ? Long.MIN_VALUE : event.occurredAt();
    }
}
