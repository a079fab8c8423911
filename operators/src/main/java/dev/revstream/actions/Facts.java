package dev.revstream.actions;

import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthScore;
import dev.revstream.journey.JourneySettings;
import dev.revstream.model.DealType;
import dev.revstream.model.TouchpointType;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values of {@link FactCatalog}'s facts for one entity at an instant t, from the journey state.
 * Counting windows are {@code (t - N days, t]}, the window before {@code (t - 2N days, t - N days]}.
 * CEL wants {@code Long} for int and {@code Double} for double.
 */
public final class Facts {
    static final double DAY = 86_400_000d;

    private Facts() {}

    /** The account facts (every scope sees them). */
    public static Map<String, Object> account(String accountId, long t, AccountState a, HealthScore health,
            Iterable<Map.Entry<Long, TouchTally>> tallies, Iterable<DealState> deals, JourneySettings s, RuleSet set) {
        Map<String, Object> f = new HashMap<>();
        f.put("accountId", accountId);
        f.put("lifecycle", text(a.lifecycle));
        f.put("daysInLifecycle", a.lifecycle == null ? 0d : days(t - a.lifecycleSince));
        f.put("accountOwnerId", text(a.ownerId));
        f.put("segment", text(a.segment));
        f.put("region", text(a.region));
        f.put("daysSinceMql", a.firstMqlAt == null ? -1d : days(t - a.firstMqlAt));
        f.put("salesTouchesSinceMql", (long) a.salesTouchesSinceMql);
        long leadSla = a.segment != null && s.leadSlaBySegment().containsKey(a.segment) ? s.leadSlaBySegment().get(a.segment) : s.leadSlaMillis();
        f.put("leadSlaDays", leadSla / DAY);
        f.put("daysSinceLastActivity", a.lastActivityAt == null ? -1d : days(t - a.lastActivityAt));
        f.put("daysSinceLastSalesTouch", a.lastSalesTouchAt == null ? -1d : days(t - a.lastSalesTouchAt));
        f.put("healthScore", (long) health.score());
        f.put("healthSignals", List.copyOf(health.signals()));
        f.put("arr", a.arr == null ? 0d : a.arr.doubleValue());
        Double renewal = null;
        long open = 0;
        for (DealState d : deals) {
            if (!d.isOpen()) {
                continue;
            }
            open++;
            if (DealType.RENEWAL.wireName().equals(d.dealType) && d.expectedCloseDate != null) {
                double until = untilDate(d.expectedCloseDate, t, s);
                renewal = renewal == null ? until : Math.min(renewal, until);
            }
        }
        f.put("openDeals", open);
        f.put("hasRenewal", renewal != null);
        f.put("daysToRenewal", renewal == null ? 0d : renewal);
        windows(f, t, tallies, set);
        return f;
    }

    /** The account facts plus those of one open deal. */
    public static Map<String, Object> deal(Map<String, Object> account, long t, DealState d, AccountState a, JourneySettings s) {
        Map<String, Object> f = new HashMap<>(account);
        f.put("dealId", d.dealId);
        f.put("stage", s.stages().get(d.stage).name());
        f.put("daysInStage", days(t - d.stageEnteredAt));
        f.put("cumulativeDaysInStage", days(d.timeInStage[d.stage] + t - d.stageEnteredAt));
        f.put("dealAgeDays", days(t - d.createdAt));
        f.put("amount", d.amount == null ? 0d : d.amount.doubleValue());
        f.put("slips", (long) d.slips);
        f.put("ownerId", text(d.ownerId != null ? d.ownerId : a.ownerId));
        f.put("dealType", d.dealType == null ? DealType.NEW_BUSINESS.wireName() : d.dealType);
        f.put("daysSinceActivity", days(t - d.lastActivityAt));
        f.put("stageSlaDays", s.stallSla(d.stage, d.segment) / DAY);
        f.put("hasCloseDate", d.expectedCloseDate != null);
        f.put("daysToClose", d.expectedCloseDate == null ? 0d : untilDate(d.expectedCloseDate, t, s));
        f.put("adopted", d.adopted);
        return f;
    }

    private static void windows(Map<String, Object> f, long t, Iterable<Map.Entry<Long, TouchTally>> tallies, RuleSet set) {
        int types = TouchpointType.values().length;
        List<Integer> windows = set.windowsDays();
        int n = windows.size();
        long[][] recent = new long[n][types];
        long[][] before = new long[n][types];
        double[] usageRecent = new double[n];
        double[] usageBefore = new double[n];
        long trendRecent = 0;
        long trendBefore = 0;
        long trend = set.trendDays() * 86_400_000L;
        for (Map.Entry<Long, TouchTally> e : tallies) {
            long at = e.getKey();
            if (at > t) {
                continue;
            }
            TouchTally tally = e.getValue();
            for (int i = 0; i < n; i++) {
                long w = windows.get(i) * 86_400_000L;
                if (at > t - w) {
                    add(recent[i], tally.counts);
                    usageRecent[i] += tally.usage;
                } else if (at > t - 2 * w) {
                    add(before[i], tally.counts);
                    usageBefore[i] += tally.usage;
                }
            }
            if (at > t - trend) {
                trendRecent += sum(tally.counts);
            } else if (at > t - 2 * trend) {
                trendBefore += sum(tally.counts);
            }
        }
        for (int i = 0; i < n; i++) {
            int w = windows.get(i);
            f.put("touches" + w + "d", byType(recent[i]));
            f.put("touchesPrev" + w + "d", byType(before[i]));
            f.put("touchCount" + w + "d", total(recent[i]));
            f.put("touchCountPrev" + w + "d", total(before[i]));
            f.put("salesTouches" + w + "d", sales(recent[i]));
            f.put("salesTouchesPrev" + w + "d", sales(before[i]));
            f.put("usage" + w + "d", usageRecent[i]);
            f.put("usagePrev" + w + "d", usageBefore[i]);
        }
        f.put("engagementTrend", (double) trendRecent / Math.max(1, trendBefore));
    }

    private static void add(long[] into, int[] counts) {
        for (int i = 0; i < counts.length && i < into.length; i++) {
            into[i] += counts[i];
        }
    }

    private static long sum(int[] counts) {
        long s = 0;
        for (int c : counts) {
            s += c;
        }
        return s;
    }

    private static long total(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    private static long sales(long[] counts) {
        long s = 0;
        for (TouchpointType type : TouchpointType.SALES_TOUCHES) {
            s += counts[type.ordinal()];
        }
        return s;
    }

    private static Map<String, Long> byType(long[] counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (TouchpointType type : TouchpointType.values()) {
            m.put(type.name(), counts[type.ordinal()]);
        }
        return m;
    }

    /** Days from t to the start of {@code date} in the configured zone. */
    private static double untilDate(String date, long t, JourneySettings s) {
        long at = LocalDate.parse(date).atStartOfDay(s.zone()).toInstant().toEpochMilli();
        return days(at - t);
    }

    private static double days(long millis) {
        return millis / DAY;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** A fact value as text for messages: numbers without noise (21.5, 3), lists joined by "; ". */
    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            String one = String.format(Locale.ROOT, "%.1f", d);
            return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
        }
        if (v instanceof List<?> l) {
            return String.join("; ", l.stream().map(Facts::format).toList());
        }
        return v.toString();
    }
}
