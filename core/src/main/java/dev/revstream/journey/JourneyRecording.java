package dev.revstream.journey;

import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.kpi.KpiFact;
import dev.revstream.model.Event;
import java.util.ArrayList;
import java.util.List;

/** What a replay emitted, kept to compare with another replay ({@link JourneyCorrection}). */
public final class JourneyRecording implements JourneyOutput {
    final List<JourneyUpdate> updates = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<KpiFact> facts = new ArrayList<>();
    final List<AttributionRecord> attribution = new ArrayList<>();

    @Override
    public void update(JourneyUpdate update) {
        updates.add(update);
    }

    @Override
    public void alert(Alert alert) {
        alerts.add(alert);
    }

    @Override
    public void ignored(Event event) {
        // counted when the event first arrived
    }

    @Override
    public void fact(KpiFact fact) {
        facts.add(fact);
    }

    @Override
    public void attribution(AttributionRecord record) {
        attribution.add(record);
    }

    public List<Alert> alerts() {
        return alerts;
    }

    public List<JourneyUpdate> updates() {
        return updates;
    }
}
