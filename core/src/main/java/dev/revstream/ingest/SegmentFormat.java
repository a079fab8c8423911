package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.model.ErrorCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Segment Spec calls (https://segment.com/docs/connections/spec/): one call, the
 * {@code {"batch": [...]}} body of Segment's HTTP API, or an array of calls (a batched webhook). {@code track} becomes a touchpoint of the
 * event's name ({@code Form Submitted}, mapped like any source's type), {@code page} and
 * {@code screen} a touchpoint of type {@code page} / {@code screen}. The call's {@code messageId}
 * is the event id, {@code timestamp} (else {@code originalTimestamp}, {@code receivedAt}) the time,
 * {@code context.campaign} the channel ({@code medium}, else {@code source}) and campaign
 * ({@code name}); the person is {@code userId} ({@code contactId}), the account the call's group
 * ({@code context.groupId}, else {@code properties.accountId}); an anonymous call keeps its
 * {@code anonymousId} for identity resolution. {@code identify}, {@code group} and {@code alias}
 * become an {@code IDENTIFY} linking the visitor, the user and the account they name; an
 * {@code identify} with the user's e-mail in its traits also links the e-mail's visitor id to the user.
 */
public final class SegmentFormat implements FormatAdapter {
    static final String SOURCE = "segment";

    @Override
    public Translation translate(JsonNode value) throws Rejection {
        JsonNode batch = value.isArray() ? value : value.get("batch");
        if (batch != null && batch.isArray()) {
            Translation.Builder b = new Translation.Builder(SOURCE);
            for (JsonNode call : batch) {
                if (!call.isObject()) {
                    throw new Rejection(ErrorCode.WRONG_TYPE, "batch", "every call of a Segment batch is an object");
                }
                b.add(call(call));
            }
            return b.build();
        }
        return call(value);
    }

    private static Translation call(JsonNode c) throws Rejection {
        String type = VendorJson.required(c, "type", "type").toLowerCase(Locale.ROOT);
        String messageId = VendorJson.required(c, "messageId", "messageId");
        return switch (type) {
            case "track" -> Translation.of(SOURCE, touch(c, messageId, VendorJson.required(c, "event", "event")));
            case "page", "screen" -> Translation.of(SOURCE, touch(c, messageId, type));
            case "identify", "group", "alias" -> withEmail(link(c, type, messageId), c, type, messageId);
            default ->
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        "type",
                        type,
                        "Segment call type '" + type + "' is not one of track, page, screen, identify, group, alias");
        };
    }

    /**
     * {@code identify} (the visitor is the user; with a group in its context, the user is of that account),
     * {@code alias} (the earlier id is the user), {@code group} (the user is of the group's account): an
     * {@code IDENTIFY}. A call that links nothing (a user's traits only) yields nothing.
     */
    private static Translation link(JsonNode c, String type, String messageId) throws Rejection {
        String user = VendorJson.text(c, "userId");
        String visitor = type.equals("alias") ? VendorJson.text(c, "previousId") : VendorJson.text(c, "anonymousId");
        String account =
                type.equals("group") ? VendorJson.text(c, "groupId") : VendorJson.text(c, "context", "groupId");
        int named = (user != null ? 1 : 0) + (visitor != null ? 1 : 0) + (account != null ? 1 : 0);
        if (named < 2 || user == null && visitor == null) {
            return Translation.skip(SOURCE, "a Segment " + type + " call that links no two identities");
        }
        return Translation.of(
                SOURCE,
                CanonicalEvent.touchpoint(SOURCE, messageId, time(c))
                        .put("type", "IDENTIFY")
                        .put("anonymousId", visitor)
                        .put("contactId", user)
                        .put("accountId", account)
                        .attributes(type.equals("group") ? c.get("traits") : null)
                        .build());
    }

    /**
     * An {@code identify} whose traits give the user's e-mail also links the e-mail's visitor id
     * ({@link VendorJson#emailVisitor}) to the user: events another system knows by e-mail only resolve too.
     */
    private static Translation withEmail(Translation link, JsonNode c, String type, String messageId) throws Rejection {
        String user = VendorJson.text(c, "userId");
        String email = VendorJson.firstText(c.get("traits"), "email");
        if (email == null) {
            email = VendorJson.text(c, "context", "traits", "email");
        }
        String visitor = VendorJson.emailVisitor(email);
        if (!type.equals("identify") || user == null || visitor == null) {
            return link;
        }
        Translation.Canonical byEmail = CanonicalEvent.touchpoint(
                        SOURCE, VendorJson.eventId(messageId, "email"), time(c))
                .put("type", "IDENTIFY")
                .put("anonymousId", visitor)
                .put("contactId", user)
                .build();
        List<Translation.Canonical> events = new ArrayList<>(link.events());
        events.add(byEmail);
        return new Translation(SOURCE, events, List.of());
    }

    private static Translation.Canonical touch(JsonNode c, String messageId, String type) throws Rejection {
        JsonNode props = c.get("properties");
        JsonNode campaign = VendorJson.at(c, "context", "campaign");
        String accountId = VendorJson.text(c, "context", "groupId");
        if (accountId == null) {
            accountId = VendorJson.firstText(props, "accountId", "account_id", "groupId");
        }
        BigDecimal amount = VendorJson.decimal(c, "properties.revenue", "properties", "revenue");
        if (amount == null) {
            amount = VendorJson.decimal(c, "properties.value", "properties", "value");
        }
        return CanonicalEvent.touchpoint(SOURCE, messageId, time(c))
                .put("type", type)
                .put("accountId", accountId)
                .put("contactId", VendorJson.text(c, "userId"))
                .put("anonymousId", VendorJson.text(c, "anonymousId"))
                .put("channel", VendorJson.firstText(campaign, "medium", "source"))
                .put("campaign", VendorJson.text(campaign, "name"))
                .put("amount", amount)
                .put("currency", amount == null ? null : VendorJson.text(props, "currency"))
                .attributes(props)
                .build();
    }

    private static long time(JsonNode c) throws Rejection {
        for (String field : new String[] {"timestamp", "originalTimestamp", "receivedAt"}) {
            Long t = VendorJson.instant(c, field, field);
            if (t != null) {
                return t;
            }
        }
        throw new Rejection(ErrorCode.MISSING_FIELD, "timestamp", "a Segment call needs a timestamp");
    }
}
