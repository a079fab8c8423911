package dev.revstream.journey;

import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.kpi.KpiFact;
import dev.revstream.model.Event;

/** What the journey rules produce. */
public interface JourneyOutput {
    void update(JourneyUpdate update);

    void alert(Alert alert);

    /** A valid event without effect: for a closed deal, or a repeated CREATED. */
    void ignored(Event event);

    /** Something the KPIs count. */
    void fact(KpiFact fact);

    /** A model's credit to a touch of a won new-business deal. */
    void attribution(AttributionRecord record);

    /** Touches the account dropped, its oldest, to keep at most {@code Attribution.MAX_TOUCHES}. */
    default void touchesDropped(int n) {}
}
