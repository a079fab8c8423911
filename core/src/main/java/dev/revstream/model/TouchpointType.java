package dev.revstream.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The canonical touchpoint vocabulary of the contract; every source's own names map onto these. */
public enum TouchpointType {
    AD_CLICK,
    WEB_VISIT,
    CONTENT_DOWNLOAD,
    FORM_SUBMIT,
    EMAIL_OPEN,
    EMAIL_CLICK,
    WEBINAR_ATTEND,
    EVENT_ATTEND,
    CHAT,
    LEAD_CREATED,
    MQL,
    SQL,
    SALES_EMAIL,
    SALES_CALL,
    MEETING,
    DEMO,
    TRIAL_START,
    PRODUCT_USAGE,
    SUPPORT_TICKET,
    NPS,
    CHAMPION_LEFT,
    PAYMENT_FAILED,
    SPEND,
    HEARTBEAT,
    /**
     * Links identities: a visitor ({@code anonymousId}) to a person ({@code contactId}), a person or a
     * visitor to an account. Not a touch: it changes no account's journey, it resolves the events that
     * name no account.
     */
    IDENTIFY,
    /**
     * A request to forget a visitor ({@code anonymousId}) or a person ({@code contactId}): their links and
     * the events of theirs still waiting for an account are purged. Not a touch.
     */
    FORGET;

    /** Types that answer a lead's hand-off. */
    public static final Set<TouchpointType> SALES_TOUCHES = EnumSet.of(SALES_EMAIL, SALES_CALL, MEETING, DEMO);

    /** Looks up a canonical name, ignoring case; null when it is not one. */
    public static TouchpointType canonical(String name) {
        if (name == null) {
            return null;
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (TouchpointType t : values()) {
            if (t.name().equals(upper)) {
                return t;
            }
        }
        return null;
    }
}
