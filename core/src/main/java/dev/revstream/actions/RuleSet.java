package dev.revstream.actions;

import java.io.Serializable;
import java.util.List;

/**
 * The rules of the rule file and the counting windows their facts use.
 *
 * @param windowsDays the counting windows, in days: each adds the facts {@code touches<N>d},
 *     {@code touchCount<N>d}, {@code salesTouches<N>d}, {@code usage<N>d} and their {@code ...Prev<N>d} twins
 * @param trendDays the window of {@code engagementTrend} (touches in the last N days over the N before)
 * @param intervalMillis how often every entity is re-evaluated without new events (event time)
 * @param enabled false when no rule file is configured: no rule state, no timers. A rule file with
 *     no rules is enabled: it closes whatever is still open.
 */
public record RuleSet(
        List<RuleSpec> rules, List<Integer> windowsDays, int trendDays, long intervalMillis, boolean enabled)
        implements Serializable {

    public RuleSet(List<RuleSpec> rules, List<Integer> windowsDays, int trendDays, long intervalMillis) {
        this(rules, windowsDays, trendDays, intervalMillis, true);
    }

    /** Recommendations off: no rule state, no timers. */
    public static RuleSet none() {
        return new RuleSet(List.of(), List.of(), 30, 3_600_000L, false);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** How long touch tallies are kept: two of the longest window (a window and the one before). */
    public long retentionMillis() {
        int longest = trendDays;
        for (int w : windowsDays) {
            longest = Math.max(longest, w);
        }
        return 2L * longest * 86_400_000L;
    }
}
