package dev.revstream.model;

import java.util.Locale;

/** What a deal event says changed. */
public enum DealEventType {
    CREATED,
    STAGE_CHANGED,
    UPDATED,
    CLOSED_WON,
    CLOSED_LOST;

    /** Parses the contract's case-insensitive name; null when unknown. */
    public static DealEventType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public boolean isTerminal() {
        return this == CLOSED_WON || this == CLOSED_LOST;
    }
}
