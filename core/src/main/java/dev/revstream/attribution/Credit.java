package dev.revstream.attribution;

/**
 * One model's credit to one touch of a won deal, in cents. A win without attributable touches
 * credits everything to channel {@code (none)} with no touch.
 */
public record Credit(AttributionModel model, Touch touch, String channel, long cents) {
    public static final String NONE = "(none)";
}
