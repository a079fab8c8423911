package dev.revstream.job.journey;

import dev.revstream.actions.Recommendation;
import dev.revstream.actions.Recommender;
import dev.revstream.actions.RuleSpec;
import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.journey.JourneyOutput;
import dev.revstream.journey.JourneyUpdate;
import dev.revstream.kpi.KpiFact;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The outputs of one call of {@link JourneyFunction} (an arrival or a firing), held until the call has
 * succeeded: {@link #sendTo} emits them in the order they were made, {@link #drop} forgets them, so a
 * call that fails half-way emits nothing of what it did. It is the journey's and the rules' output
 * ({@link JourneyOutput}, {@link Recommender.Output}), and counts alerts, recommendations, rule
 * failures, ignored events and dropped touches in the operator's metrics as they are made.
 *
 * <p>Assumes one call at a time (Flink's keyed functions are called so); nothing is held across calls.
 */
final class HeldOutputs implements JourneyOutput, Recommender.Output {
    /** One output: on a side output ({@code tag}), or on the main one ({@code tag} null). */
    private record Held(OutputTag<?> tag, Object value) {}

    private final List<Held> held = new ArrayList<>();
    private final MetricGroup metrics;
    private final Counter alerts;
    private final Map<String, Counter> alertsByType = new HashMap<>();
    private final Counter ignored;
    private final Counter recommendations;
    private final Counter ruleFailures;
    private final Counter touchesDropped;

    /** @param metrics the operator's {@code revstream} metric group */
    HeldOutputs(MetricGroup metrics) {
        this.metrics = metrics;
        alerts = metrics.counter("alerts");
        ignored = metrics.counter("ignoredEvents");
        recommendations = metrics.counter("recommendations");
        ruleFailures = metrics.counter("ruleFailures");
        touchesDropped = metrics.counter("touchesDropped");
    }

    <X> void side(OutputTag<X> tag, X value) {
        held.add(new Held(tag, value));
    }

    /** Takes back what the call held for {@code values} on {@code tag} (by identity). */
    void removeSide(OutputTag<?> tag, List<?> values) {
        held.removeIf(h -> h.tag() == tag && values.stream().anyMatch(v -> v == h.value()));
    }

    void main(JourneyUpdate update) {
        held.add(new Held(null, update));
    }

    /** Emits what the call made, and forgets it. */
    void sendTo(KeyedProcessFunction<String, Event, JourneyUpdate>.Context ctx, Collector<JourneyUpdate> out) {
        for (Held h : held) {
            if (h.tag() == null) {
                out.collect((JourneyUpdate) h.value());
            } else {
                send(ctx, h);
            }
        }
        held.clear();
    }

    @SuppressWarnings("unchecked")
    private static <X> void send(KeyedProcessFunction<String, Event, JourneyUpdate>.Context ctx, Held h) {
        ctx.output((OutputTag<X>) h.tag(), (X) h.value());
    }

    /** Forgets what the call made (it failed). */
    void drop() {
        held.clear();
    }

    @Override
    public void update(JourneyUpdate update) {
        main(update);
    }

    @Override
    public void alert(Alert alert) {
        alerts.inc();
        alertsByType
                .computeIfAbsent(
                        alert.type().name(),
                        t -> metrics.addGroup("alertType", t).counter("alerts"))
                .inc();
        side(JourneyFunction.ALERTS, alert);
    }

    /** An alert fired late by a correction: counted as an alert, not by type (as before). */
    void lateAlert(Alert alert) {
        alerts.inc();
        side(JourneyFunction.ALERTS, alert);
    }

    @Override
    public void attribution(AttributionRecord record) {
        side(JourneyFunction.ATTRIBUTION, record);
    }

    @Override
    public void touchesDropped(int n) {
        touchesDropped.inc(n);
    }

    @Override
    public void fact(KpiFact fact) {
        side(JourneyFunction.FACTS, fact);
    }

    @Override
    public void ignored(Event e) {
        ignored.inc();
        QualitySample.emit(
                e.source(), e.ingestedAt(), QualityOutcome.IGNORED, null, s -> side(JourneyFunction.QUALITY, s));
    }

    @Override
    public void recommendation(Recommendation r) {
        recommendations.inc();
        side(JourneyFunction.ACTIONS, r);
    }

    @Override
    public void failure(
            RuleSpec rule, String accountId, String dealId, long at, String error, String facts, boolean first) {
        ruleFailures.inc();
        if (!first) {
            return;
        }
        byte[] payload = facts.getBytes(StandardCharsets.UTF_8);
        String entity = accountId + (dealId == null || dealId.isEmpty() ? "" : "/" + dealId);
        side(
                JourneyFunction.DEAD_LETTERS,
                new DeadLetter(
                        ErrorCode.RULE_FAILED,
                        "rule:" + rule.id(),
                        entity,
                        "rule '" + rule.id() + "' failed for " + entity + " at " + Instant.ofEpochMilli(at) + ": "
                                + error
                                + " (reported once until it works again; the payload holds the facts it named)",
                        "revstream-rules",
                        System.currentTimeMillis(),
                        null,
                        -1,
                        -1,
                        null,
                        at,
                        payload,
                        payload.length,
                        null,
                        false));
    }
}
