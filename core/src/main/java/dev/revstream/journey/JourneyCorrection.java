package dev.revstream.journey;

import dev.revstream.alerts.Alert;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.kpi.KpiFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a late event changes in an account's outputs: the difference between a replay of its log as
 * it was ({@code before}) and with the late event in place ({@code after}). Records are compared
 * whole (they are values, deterministic for the same input), alerts by {@code alertId}.
 *
 * @param withdrawn alerts fired before that no longer hold
 * @param fired alerts that should have fired and did not, and alerts that did with other details (the
 *     same {@code alertId}: the latest record is the one that holds)
 * @param retracted journey updates that no longer hold
 * @param updates journey updates that replace them or are new
 * @param retractedCredits attribution records that no longer hold
 * @param credits attribution records that are new
 * @param retractedFacts KPI facts that no longer hold
 * @param facts KPI facts that are new
 */
public record JourneyCorrection(
        List<Alert> withdrawn,
        List<Alert> fired,
        List<JourneyUpdate> retracted,
        List<JourneyUpdate> updates,
        List<AttributionRecord> retractedCredits,
        List<AttributionRecord> credits,
        List<KpiFact> retractedFacts,
        List<KpiFact> facts) {

    public static JourneyCorrection between(JourneyRecording before, JourneyRecording after) {
        Map<String, Alert> firedBefore = new HashMap<>();
        before.alerts.forEach(a -> firedBefore.put(a.alertId(), a));
        Set<String> firedAfter = new HashSet<>();
        after.alerts.forEach(a -> firedAfter.add(a.alertId()));
        return new JourneyCorrection(
                before.alerts.stream()
                        .filter(a -> !firedAfter.contains(a.alertId()))
                        .toList(),
                after.alerts.stream()
                        .filter(a -> !a.equals(firedBefore.get(a.alertId())))
                        .toList(),
                minus(before.updates, after.updates),
                minus(after.updates, before.updates),
                minus(before.attribution, after.attribution),
                minus(after.attribution, before.attribution),
                minus(before.facts, after.facts),
                minus(after.facts, before.facts));
    }

    /** Nothing changes. */
    public boolean isEmpty() {
        return withdrawn.isEmpty()
                && fired.isEmpty()
                && retracted.isEmpty()
                && updates.isEmpty()
                && retractedCredits.isEmpty()
                && credits.isEmpty()
                && retractedFacts.isEmpty()
                && facts.isEmpty();
    }

    /** The records of {@code a} not in {@code b}, counting repeats, in {@code a}'s order. */
    public static <T> List<T> minus(List<T> a, List<T> b) {
        Map<T, Integer> left = new HashMap<>();
        b.forEach(x -> left.merge(x, 1, Integer::sum));
        List<T> out = new ArrayList<>();
        for (T x : a) {
            Integer n = left.get(x);
            if (n == null || n == 0) {
                out.add(x);
            } else {
                left.put(x, n - 1);
            }
        }
        return out;
    }
}
