package dev.revstream.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted input event in the canonical vocabulary: a touchpoint or a deal change, validated,
 * with every source-specific name mapped and every amount in the reporting currency.
 *
 * <p>Nullable fields are absent in the input. What the source wrote is kept beside the canonical
 * value ({@code sourceType}, {@code sourceChannel}, {@code sourceStage}, {@code sourceAmount}) so a
 * warehouse can audit a mapping. {@code attributes} is the free-form JSON object as text: a tree
 * type would make Flink fall back to Kryo.
 *
 * @param kind touchpoint or deal, by the topic it came from
 * @param eventId unique within {@code source}
 * @param source the producing system, lower case
 * @param occurredAt event time, epoch milliseconds
 * @param type the canonical touchpoint type ({@link TouchpointType}) or deal event type ({@link DealEventType})
 * @param channel canonical channel wire name, or null when the event has none
 * @param amount in the reporting currency, or null
 * @param stage canonical stage name, or null
 * @param expectedCloseDate {@code YYYY-MM-DD}, or null
 * @param dealType wire name ({@code new_business}, ...), or null when not given
 * @param topic where it was read (with partition, offset and the Kafka record timestamp {@code ingestedAt})
 * @param anonymousId a visitor not yet known by name (Segment's {@code anonymousId}), or null
 * @param forecastCategory a deal event's forecast category as the CRM set it ({@link ForecastCategory}'s
 *     wire name), or null: the stage's configured one applies
 * @param pendingWrite whether the normalized-events topic does not have it yet: an event that names its
 *     account is written by the journey when it applies it (de-duplicated in the account's state); every other
 *     event is written by the keyed de-duplication as it arrives (false, as in state kept before this field)
 */
public record Event(
        EventKind kind,
        String eventId,
        String source,
        long occurredAt,
        String accountId,
        String contactId,
        String dealId,
        String ownerId,
        String type,
        String sourceType,
        String channel,
        String sourceChannel,
        String campaign,
        BigDecimal amount,
        BigDecimal sourceAmount,
        String sourceCurrency,
        String stage,
        String sourceStage,
        String expectedCloseDate,
        String dealType,
        String segment,
        String region,
        String lostReason,
        String attributes,
        String topic,
        int partition,
        long offset,
        long ingestedAt,
        String anonymousId,
        String forecastCategory,
        boolean pendingWrite) {

    /** The de-duplication identity: one key space over both topics. */
    public String dedupKey() {
        return source + '\u0000' + eventId;
    }

    /** The same event, to be written to the events topic when its account applies it. */
    public Event withPendingWrite() {
        return pendingWrite ? this : copy(accountId, contactId, anonymousId, true);
    }

    /** The same event on its account, once identity resolution found it. */
    public Event withAccount(String account) {
        return with(account, contactId, anonymousId);
    }

    /** The same event of a known person, once the visitor's identity is known. */
    public Event withContact(String contact) {
        return with(accountId, contact, anonymousId);
    }

    /**
     * The same event without the ids {@code forget} names (a {@link TouchpointType#FORGET}): its person when
     * it is that person, its visitor when it is that visitor; this event itself when neither.
     */
    public Event without(Event forget) {
        boolean contact = contactId != null && contactId.equals(forget.contactId());
        boolean visitor = anonymousId != null && anonymousId.equals(forget.anonymousId());
        if (!contact && !visitor) {
            return this;
        }
        return with(accountId, contact ? null : contactId, visitor ? null : anonymousId);
    }

    /**
     * {@code events} without the ids {@code forget} names ({@link #without(Event)}), or null when none of
     * them had those ids (nothing to write back).
     */
    public static List<Event> without(Iterable<Event> events, Event forget) {
        List<Event> all = new ArrayList<>();
        boolean changed = false;
        for (Event e : events) {
            Event w = e.without(forget);
            changed |= w != e;
            all.add(w);
        }
        return changed ? all : null;
    }

    private Event with(String account, String contact, String anonymous) {
        return copy(account, contact, anonymous, pendingWrite);
    }

    private Event copy(String account, String contact, String anonymous, boolean pending) {
        return new Event(
                kind,
                eventId,
                source,
                occurredAt,
                account,
                contact,
                dealId,
                ownerId,
                type,
                sourceType,
                channel,
                sourceChannel,
                campaign,
                amount,
                sourceAmount,
                sourceCurrency,
                stage,
                sourceStage,
                expectedCloseDate,
                dealType,
                segment,
                region,
                lostReason,
                attributes,
                topic,
                partition,
                offset,
                ingestedAt,
                anonymous,
                forecastCategory,
                pending);
    }

    /** A link between identities ({@link TouchpointType#IDENTIFY}), not a touch of an account. */
    public boolean isIdentify() {
        return kind == EventKind.TOUCHPOINT && TouchpointType.IDENTIFY.name().equals(type);
    }

    /** A request to forget a visitor or person ({@link TouchpointType#FORGET}). */
    public boolean isForget() {
        return kind == EventKind.TOUCHPOINT && TouchpointType.FORGET.name().equals(type);
    }

    public boolean isHeartbeat() {
        return kind == EventKind.TOUCHPOINT && TouchpointType.HEARTBEAT.name().equals(type);
    }

    public boolean isDeal() {
        return kind == EventKind.DEAL;
    }

    /**
     * The key downstream state and the normalized-events topic use: the account, or for a
     * {@code SPEND} without one, its channel.
     */
    public String routingKey() {
        if (accountId != null) {
            return accountId;
        }
        // an event whose account identity resolution is still to find: keyed by who it is
        if (contactId != null) {
            return "contact:" + contactId;
        }
        if (anonymousId != null) {
            return "visitor:" + anonymousId;
        }
        return "channel:" + (channel == null ? Channel.OTHER.wireName() : channel);
    }
}
