package dev.revstream.journey;

import dev.revstream.model.Event;
import java.util.Comparator;

/** The order in which an account's events are applied: (occurredAt, deal events first, source, eventId). */
public final class EventOrder {
    public static final Comparator<Event> ORDER = Comparator.comparingLong(Event::occurredAt)
            .thenComparing(e -> e.isDeal() ? 0 : 1)
            .thenComparing(Event::source)
            .thenComparing(Event::eventId);

    private EventOrder() {}
}
