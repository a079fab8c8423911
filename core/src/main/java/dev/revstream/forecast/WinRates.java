package dev.revstream.forecast;

import java.util.HashMap;
import java.util.Map;

/**
 * How often deals like this one won before the period ended, learned from this company's history.
 *
 * <p>Every open deal at the start of a past period is an example (see {@link ForecastLearner}):
 * what it looked like then (its stage, whether its expected close date fell in the period, how long
 * it had been in its stage, how often it had slipped, its segment) and whether it won before that
 * period ended. Deals are grouped three ways, from broad to narrow: by stage; by stage, close date
 * and age in stage; and by all five. A deal's probability is the narrow group's share of wins,
 * pulled toward the broader group's share with the weight of {@code strength} deals, which is
 * pulled toward the broadest's, which is pulled toward the stage's configured probability. With no
 * history it is the configured probability; a group of a few deals moves it a little, a group of
 * hundreds decides it.
 *
 * <p>Plain counts, two per group; a group is named by its features ({@link #groups}).
 */
public final class WinRates {
    static final long DAY = 86_400_000L;
    private static final long[] AGE_DAYS = {14, 30, 60, 90, 180};

    private final double strength;
    private final Map<String, long[]> counts;

    /** @param strength how many deals of history a prior weighs (10: a group of 10 deals halves its pull) */
    public WinRates(double strength) {
        this(strength, new HashMap<>());
    }

    /** Over counts kept elsewhere ({@link LearnerState#rates}): {examples, wins} per group. */
    public WinRates(double strength, Map<String, long[]> counts) {
        if (!(strength > 0)) {
            throw new IllegalArgumentException("strength must be > 0, was " + strength);
        }
        this.strength = strength;
        this.counts = counts;
    }

    /** One example: a deal as it was at {@code at}, the start of a period ending at {@code end}. */
    public void add(ForecastDeal d, long at, long end, boolean won) {
        String[] g = groups(d, at, end);
        add(g[g.length - 1], 1, won ? 1 : 0);
    }

    /** {@code n} examples of the narrowest group {@code group} ({@link #groups}), {@code wins} of them won. */
    public void add(String group, long n, long wins) {
        String[] parts = group.split("\\|");
        for (String g : new String[] {parts[0], parts[0] + "|" + parts[1] + "|" + parts[2], group}) {
            long[] c = counts.computeIfAbsent(g, x -> new long[2]);
            c[0] += n;
            c[1] += wins;
        }
    }

    /** The probability that {@code d}, open at {@code at}, wins before {@code end}, and what it rests on. */
    public Probability probability(ForecastDeal d, long at, long end) {
        String[] g = groups(d, at, end);
        double p = d.stageProbability();
        long examples = 0;
        for (String group : g) {
            long[] c = counts.get(group);
            long n = c == null ? 0 : c[0];
            long wins = c == null ? 0 : c[1];
            p = (wins + strength * p) / (n + strength);
            examples = n;
        }
        return new Probability(p, g[g.length - 1], examples);
    }

    /** The weight of a prior, in deals. */
    public double strength() {
        return strength;
    }

    /** Examples seen in all. */
    public long examples() {
        long n = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            if (!e.getKey().contains("|")) {
                n += e.getValue()[0];
            }
        }
        return n;
    }

    /** The narrowest group of a deal open at {@code at} in a period ending at {@code end}. */
    public static String groupOf(ForecastDeal d, long at, long end) {
        String[] g = groups(d, at, end);
        return g[g.length - 1];
    }

    /** The groups of a deal, broad to narrow: stage; stage, close, age; stage, close, age, slips, segment. */
    static String[] groups(ForecastDeal d, long at, long end) {
        String close = d.expectedCloseAt() == null
                ? "no close date"
                : d.expectedCloseAt() < end ? "closes in period" : "closes later";
        long days = Math.max(0, at - d.stageEnteredAt()) / DAY;
        String age = ageBucket(days);
        String slips = d.slips() == 0 ? "never slipped" : d.slips() == 1 ? "slipped once" : "slipped 2+";
        String segment = d.segment() == null ? "no segment" : d.segment().replace('|', '/');
        String narrow = d.stage() + "|" + close + "|" + age;
        return new String[] {d.stage(), narrow, narrow + "|" + slips + "|" + segment};
    }

    static String ageBucket(long days) {
        long from = 0;
        for (long to : AGE_DAYS) {
            if (days < to) {
                return from + "-" + to + "d in stage";
            }
            from = to;
        }
        return from + "d+ in stage";
    }

    /**
     * @param value the probability of winning before the period ends
     * @param group the narrowest group the deal is in (its features, separated by {@code |})
     * @param examples how many past deals that group has
     */
    public record Probability(double value, String group, long examples) {}
}
