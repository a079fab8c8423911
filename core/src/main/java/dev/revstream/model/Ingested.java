package dev.revstream.model;

/**
 * What the source stage makes of one Kafka record: exactly one of an accepted {@link Event} or a
 * {@link DeadLetter}. Parsing inside the source lets the watermark generator see only valid event
 * times, so a rejected record (an absurd future time, say) can never move a watermark.
 *
 * @param channelUnmapped the event named a channel the mappings do not know (it became {@code other})
 */
public record Ingested(Event event, DeadLetter deadLetter, boolean channelUnmapped) {

    public static Ingested accepted(Event event, boolean channelUnmapped) {
        return new Ingested(event, null, channelUnmapped);
    }

    public static Ingested rejected(DeadLetter deadLetter) {
        return new Ingested(null, deadLetter, false);
    }

    /** The event time a watermark may use; {@link Long#MIN_VALUE} for a dead letter. */
    public long eventTime() {
        return event == null ? Long.MIN_VALUE : event.occurredAt();
    }
}
