package dev.revstream.model;

import java.math.BigDecimal;

/** Builds normalized events for tests, with only the fields a test cares about. */
public final class EventBuilder {
    private EventKind kind = EventKind.TOUCHPOINT;
    private String eventId;
    private String source = "test";
    private long occurredAt;
    private String accountId = "acct-1";
    private String dealId;
    private String ownerId;
    private String type;
    private BigDecimal amount;
    private String stage;
    private String expectedCloseDate;
    private String dealType;
    private String segment;
    private String region;
    private String channel;
    private String contactId;
    private String anonymousId;
    private static long sequence;

    public static EventBuilder touch(String type, long at) {
        EventBuilder b = new EventBuilder();
        b.type = type;
        b.occurredAt = at;
        return b;
    }

    public static EventBuilder deal(String dealId, String type, long at) {
        EventBuilder b = new EventBuilder();
        b.kind = EventKind.DEAL;
        b.dealId = dealId;
        b.type = type;
        b.occurredAt = at;
        return b;
    }

    public EventBuilder account(String a) {
        accountId = a;
        return this;
    }

    public EventBuilder id(String id) {
        eventId = id;
        return this;
    }

    public EventBuilder source(String s) {
        source = s;
        return this;
    }

    public EventBuilder dealId(String d) {
        dealId = d;
        return this;
    }

    public EventBuilder owner(String o) {
        ownerId = o;
        return this;
    }

    public EventBuilder amount(double a) {
        amount = BigDecimal.valueOf(a);
        return this;
    }

    public EventBuilder stage(String s) {
        stage = s;
        return this;
    }

    public EventBuilder closeDate(String d) {
        expectedCloseDate = d;
        return this;
    }

    public EventBuilder dealType(String t) {
        dealType = t;
        return this;
    }

    public EventBuilder segment(String s) {
        segment = s;
        return this;
    }

    public EventBuilder region(String r) {
        region = r;
        return this;
    }

    public EventBuilder channel(String c) {
        channel = c;
        return this;
    }

    private String forecastCategory;

    public Event build() {
        String id = eventId != null ? eventId : "e-" + (++sequence);
        return new Event(
                kind,
                id,
                source,
                occurredAt,
                accountId,
                contactId,
                dealId,
                ownerId,
                type,
                type,
                channel,
                channel,
                null,
                amount,
                amount,
                null,
                stage,
                stage,
                expectedCloseDate,
                dealType,
                segment,
                region,
                null,
                null,
                kind == EventKind.DEAL ? "revops.deals" : "revops.touchpoints",
                0,
                0,
                occurredAt,
                anonymousId,
                forecastCategory,
                false);
    }

    public EventBuilder forecastCategory(String category) {
        this.forecastCategory = category;
        return this;
    }

    public EventBuilder contact(String contactId) {
        this.contactId = contactId;
        return this;
    }

    public EventBuilder anonymous(String anonymousId) {
        this.anonymousId = anonymousId;
        return this;
    }
}
