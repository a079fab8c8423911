package dev.revstream.model;

import java.util.Locale;

/** The canonical marketing channels; anything unmapped becomes {@link #OTHER}. */
public enum Channel {
    PAID_SEARCH,
    PAID_SOCIAL,
    ORGANIC_SEARCH,
    EMAIL,
    EVENTS,
    DIRECT,
    REFERRAL,
    PARTNER,
    OUTBOUND,
    OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Looks up a canonical wire name, ignoring case; null when it is not one. */
    public static Channel canonical(String name) {
        if (name == null) {
            return null;
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (Channel c : values()) {
            if (c.name().equals(upper)) {
                return c;
            }
        }
        return null;
    }
}
