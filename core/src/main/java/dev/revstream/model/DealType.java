package dev.revstream.model;

import java.util.Locale;

/** The commercial kind of a deal; decides how a win changes ARR. */
public enum DealType {
    NEW_BUSINESS,
    EXPANSION,
    RENEWAL,
    CONTRACTION;

    /** The contract's wire name, e.g. {@code new_business}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name (case-insensitive); null when unknown. */
    public static DealType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
