package dev.revstream.actions;

/**
 * How a value moves as time passes while nothing else changes: a fact such as
 * {@code daysSinceActivity} rises, {@code daysToClose} falls, {@code stage} holds still. For a
 * condition (false below true) RISING means it can only turn from false to true, FALLING only
 * from true to false, STEADY not at all, and ANY means either, any number of times.
 */
public enum Drift {
    STEADY,
    RISING,
    FALLING,
    ANY;

    /** The drift of a value that moves with both (a sum, an and). */
    Drift with(Drift other) {
        if (this == other || other == STEADY) {
            return this;
        }
        return this == STEADY ? other : ANY;
    }

    /** The drift of the negated value. */
    Drift negated() {
        return switch (this) {
            case RISING -> FALLING;
            case FALLING -> RISING;
            default -> this;
        };
    }

    /** The condition can change only at one instant at most (or never): two evaluations bracket it. */
    boolean monotone() {
        return this == RISING || this == FALLING;
    }
}
