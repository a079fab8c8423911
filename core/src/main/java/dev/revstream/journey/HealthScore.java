package dev.revstream.journey;

import dev.revstream.time.WindowEdges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The customer health score of docs/alerts.md at an instant T: 100 minus the points of each signal
 * in its window, where "the last N days" is (T - N, T].
 *
 * @param signals the deductions, as sentences, for the alert
 */
public record HealthScore(int score, List<String> signals) {

    public static HealthScore at(long t, Iterable<Map.Entry<Long, HealthBucket>> buckets, HealthSettings h) {
        Sums sums = Sums.of(t, buckets, h);
        return new HealthScore(sums.score(h), sums.why(h));
    }

    /** The score alone (no sentences: they cost more than the score, and most evaluations fire nothing). */
    public static int scoreAt(long t, Iterable<Map.Entry<Long, HealthBucket>> buckets, HealthSettings h) {
        return Sums.of(t, buckets, h).score(h);
    }

    /**
     * The signals in their windows at an instant. The sentences are built apart from the score so that
     * the score's hot loop compiles small (with the formatting inlined its JIT compilation took seconds).
     */
    private record Sums(
            double usageRecent, double usageBefore, int tickets, boolean lowNps, boolean champion, boolean payment) {

        static Sums of(long t, Iterable<Map.Entry<Long, HealthBucket>> buckets, HealthSettings h) {
            double usageRecent = 0;
            double usageBefore = 0;
            int tickets = 0;
            boolean lowNps = false;
            boolean champion = false;
            boolean payment = false;
            for (Map.Entry<Long, HealthBucket> e : buckets) {
                long at = e.getKey();
                HealthBucket b = e.getValue();
                if (at > t) {
                    continue;
                }
                if (at > t - h.usageWindowMillis()) {
                    usageRecent += b.usage;
                } else if (at > t - 2 * h.usageWindowMillis()) {
                    usageBefore += b.usage;
                }
                if (at > t - h.ticketWindowMillis()) {
                    tickets += b.tickets;
                }
                lowNps |= b.lowNps > 0 && at > t - h.npsWindowMillis();
                champion |= b.championLeft > 0 && at > t - h.championWindowMillis();
                payment |= b.paymentFailed > 0 && at > t - h.paymentWindowMillis();
            }
            return new Sums(usageRecent, usageBefore, tickets, lowNps, champion, payment);
        }

        boolean usageDrop(HealthSettings h) {
            return usageBefore > 0 && usageRecent < h.usageDropRatio() * usageBefore;
        }

        int score(HealthSettings h) {
            int score = 100;
            score -= usageDrop(h) ? h.usageDropPoints() : 0;
            score -= tickets >= h.ticketCount() ? h.ticketPoints() : 0;
            score -= lowNps ? h.npsPoints() : 0;
            score -= champion ? h.championPoints() : 0;
            score -= payment ? h.paymentPoints() : 0;
            return score;
        }

        List<String> why(HealthSettings h) {
            List<String> why = new ArrayList<>();
            if (usageDrop(h)) {
                why.add(String.format(
                        "product usage %.0f in the last %s, under %.0f%% of the %.0f before (-%d)",
                        usageRecent,
                        Durations.days(h.usageWindowMillis()),
                        h.usageDropRatio() * 100,
                        usageBefore,
                        h.usageDropPoints()));
            }
            if (tickets >= h.ticketCount()) {
                why.add(String.format(
                        "%d support tickets in the last %s (-%d)",
                        tickets, Durations.days(h.ticketWindowMillis()), h.ticketPoints()));
            }
            if (lowNps) {
                why.add(String.format(
                        "an NPS of %d or less in the last %s (-%d)",
                        h.npsMaxScore(), Durations.days(h.npsWindowMillis()), h.npsPoints()));
            }
            if (champion) {
                why.add(String.format(
                        "the champion left in the last %s (-%d)",
                        Durations.days(h.championWindowMillis()), h.championPoints()));
            }
            if (payment) {
                why.add(String.format(
                        "a failed payment in the last %s (-%d)",
                        Durations.days(h.paymentWindowMillis()), h.paymentPoints()));
            }
            return why;
        }
    }

    /**
     * A floor under the score at every instant from {@code t} on, with no new signal: each deduction
     * whose signals can still be in its window then counted as if it applied. Tickets, NPS, a champion
     * leaving and a failed payment only leave their windows as time passes; a usage drop can come
     * while any usage is within two usage windows. The churn alert needs no search for the boundary
     * where it would fire when this floor is not under its threshold.
     */
    public static int lowestFrom(long t, Iterable<Map.Entry<Long, HealthBucket>> buckets, HealthSettings h) {
        boolean usage = false;
        int tickets = 0;
        boolean lowNps = false;
        boolean champion = false;
        boolean payment = false;
        for (Map.Entry<Long, HealthBucket> e : buckets) {
            long at = e.getKey();
            HealthBucket b = e.getValue();
            usage |= b.usage > 0 && at > t - 2 * h.usageWindowMillis();
            if (at > t - h.ticketWindowMillis()) {
                tickets += Math.max(0, b.tickets);
            }
            lowNps |= b.lowNps > 0 && at > t - h.npsWindowMillis();
            champion |= b.championLeft > 0 && at > t - h.championWindowMillis();
            payment |= b.paymentFailed > 0 && at > t - h.paymentWindowMillis();
        }
        int floor = 100;
        floor -= usage ? Math.max(0, h.usageDropPoints()) : 0;
        floor -= tickets >= h.ticketCount() ? Math.max(0, h.ticketPoints()) : 0;
        floor -= lowNps ? Math.max(0, h.npsPoints()) : 0;
        floor -= champion ? Math.max(0, h.championPoints()) : 0;
        floor -= payment ? Math.max(0, h.paymentPoints()) : 0;
        return floor;
    }

    /**
     * The first instant after {@code t} at which the score of {@link #at} can change with no new
     * signal: a signal leaving one of the windows (usage leaves the recent window, then the one
     * before). Long.MAX_VALUE when none is left.
     */
    public static long nextChange(long t, Iterable<Map.Entry<Long, HealthBucket>> buckets, HealthSettings h) {
        return WindowEdges.next(t, buckets, h.windowEdges());
    }
}
