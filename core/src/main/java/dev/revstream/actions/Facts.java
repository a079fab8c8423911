package dev.revstream.actions;

import dev.cel.runtime.CelVariableResolver;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The values of {@link FactCatalog}'s facts for one entity at an instant t, computed from the
 * journey state only when a condition asks for one (a CEL {@link CelVariableResolver}), and then
 * kept for the rest of the evaluation: a rule that is decided by the deal's stage never reads the
 * touch tallies or the health signals. Counting windows are {@code (t - N days, t]}, the window
 * before {@code (t - 2N days, t - N days]}. CEL wants {@code Long} for int and {@code Double} for double.
 */
public class Facts implements CelVariableResolver {
    static final double DAY = 86_400_000d;

    /** Where the account-wide inputs come from; read at most once per evaluation. */
    public interface Sources {
        HealthScore health() throws Exception;

        Iterable<Map.Entry<Long, TouchTally>> tallies() throws Exception;
    }

    private final Facts account;
    private final String accountId;
    private final long t;
    private final AccountState a;
    private final DealState deal;
    private final List<DealState> openDeals;
    private final JourneySettings s;
    private final RuleSet set;
    private final Sources sources;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, long[]> lazyMaps = new HashMap<>(4);

    /** The account's facts. {@code openDeals} are its open deals. */
    public Facts(
            String accountId,
            long t,
            AccountState a,
            List<DealState> openDeals,
            JourneySettings s,
            RuleSet set,
            Sources sources) {
        this(null, accountId, t, a, null, openDeals, s, set, sources);
    }

    private Facts(
            Facts account,
            String accountId,
            long t,
            AccountState a,
            DealState deal,
            List<DealState> openDeals,
            JourneySettings s,
            RuleSet set,
            Sources sources) {
        this.account = account;
        this.accountId = accountId;
        this.t = t;
        this.a = a;
        this.deal = deal;
        this.openDeals = openDeals;
        this.s = s;
        this.set = set;
        this.sources = sources;
    }

    /** The facts of one open deal, with the account's (shared, so each is computed once). */
    public Facts forDeal(DealState d) {
        return new Facts(this, accountId, t, a, d, openDeals, s, set, sources);
    }

    /** Facts given as values (tests, and anything already computed). */
    public static Facts of(Map<String, Object> values) {
        Facts f = new Facts(null, null, 0, null, null, List.of(), null, null, null);
        f.values.putAll(values);
        return f;
    }

    @Override
    public Optional<Object> find(String name) {
        return Optional.ofNullable(get(name));
    }

    /** The fact's value, or null when it is not a fact of this entity. */
    public Object get(String name) {
        Object known = known(name);
        if (known != null) {
            return known;
        }
        if (a == null) {
            return null;
        }
        if (deal == null && DEAL_FACTS.contains(name)) {
            return null;
        }
        if (account != null && !DEAL_FACTS.contains(name)) {
            return account.get(name);
        }
        try {
            if (deal != null) {
                computeDeal(name);
            } else if (isWindowFact(name)) {
                computeWindows();
            } else {
                computeAccount(name);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot read the journey state for fact " + name + ": " + e.getMessage(), e);
        }
        return known(name);
    }

    /** A value computed already, building a by-type map on its first read. */
    private Object known(String name) {
        long[] counts = lazyMaps.remove(name);
        if (counts != null) {
            values.put(name, byType(counts));
        }
        return values.get(name);
    }

    private static final Set<String> DEAL_FACTS = Set.copyOf(FactCatalog.fixed().stream()
            .filter(FactCatalog.Fact::dealOnly)
            .map(FactCatalog.Fact::name)
            .toList());

    private static final Pattern WINDOW_FACT = Pattern.compile(
            "(touches|touchesPrev|touchCount|touchCountPrev|salesTouches|salesTouchesPrev|usage|usagePrev)[0-9]+d");
    private static final Map<String, Boolean> WINDOW_FACTS = new ConcurrentHashMap<>();

    static boolean isWindowFact(String name) {
        // asked for every fact of every tick: the pattern runs once per name
        return WINDOW_FACTS.computeIfAbsent(
                name, n -> n.equals("engagementTrend") || WINDOW_FACT.matcher(n).matches());
    }

    private void computeAccount(String name) throws Exception {
        Object v = switch (name) {
            case "accountId" -> accountId;
            case "lifecycle" -> text(a.lifecycle);
            case "daysInLifecycle" -> a.lifecycle == null ? 0d : days(t - a.lifecycleSince);
            case "accountOwnerId" -> text(a.ownerId);
            case "segment" -> text(a.segment);
            case "region" -> text(a.region);
            case "daysSinceMql" -> a.firstMqlAt == null ? -1d : days(t - a.firstMqlAt);
            case "salesTouchesSinceMql" -> (long) a.salesTouchesSinceMql;
            case "leadSlaDays" ->
                (a.segment != null && s.leadSlaBySegment().containsKey(a.segment)
                                ? s.leadSlaBySegment().get(a.segment)
                                : s.leadSlaMillis())
                        / DAY;
            case "daysSinceLastActivity" -> a.lastActivityAt == null ? -1d : days(t - a.lastActivityAt);
            case "daysSinceLastSalesTouch" -> a.lastSalesTouchAt == null ? -1d : days(t - a.lastSalesTouchAt);
            case "healthScore", "healthSignals" -> {
                HealthScore h = sources.health();
                values.put("healthScore", (long) h.score());
                values.put("healthSignals", List.copyOf(h.signals()));
                yield values.get(name);
            }
            case "arr" -> a.arr == null ? 0d : a.arr.doubleValue();
            case "openDeals" -> (long) openDeals.size();
            case "hasRenewal", "daysToRenewal" -> {
                Double renewal = null;
                for (DealState d : openDeals) {
                    if (DealType.RENEWAL.wireName().equals(d.dealType) && d.expectedCloseDate != null) {
                        double until = untilDate(d.expectedCloseDate);
                        renewal = renewal == null ? until : Math.min(renewal, until);
                    }
                }
                values.put("hasRenewal", renewal != null);
                values.put("daysToRenewal", renewal == null ? 0d : renewal);
                yield values.get(name);
            }
            default -> null;
        };
        if (v != null) {
            values.put(name, v);
        }
    }

    private void computeDeal(String name) {
        DealState d = deal;
        Object v = switch (name) {
            case "dealId" -> d.dealId;
            case "stage" -> s.stages().get(d.stage).name();
            case "daysInStage" -> days(t - d.stageEnteredAt);
            case "cumulativeDaysInStage" -> days(d.timeInStage[d.stage] + t - d.stageEnteredAt);
            case "dealAgeDays" -> days(t - d.createdAt);
            case "amount" -> d.amount == null ? 0d : d.amount.doubleValue();
            case "slips" -> (long) d.slips;
            case "ownerId" -> text(d.ownerId != null ? d.ownerId : a.ownerId);
            case "dealType" -> d.dealType == null ? DealType.NEW_BUSINESS.wireName() : d.dealType;
            case "daysSinceActivity" -> days(t - d.lastActivityAt);
            case "stageSlaDays" -> s.stallSla(d.stage, d.segment) / DAY;
            case "hasCloseDate" -> d.expectedCloseDate != null;
            case "daysToClose" -> d.expectedCloseDate == null ? 0d : untilDate(d.expectedCloseDate);
            case "adopted" -> d.adopted;
            default -> null;
        };
        if (v != null) {
            values.put(name, v);
        }
    }

    /** One pass over the tallies fills every counting-window fact. */
    private void computeWindows() throws Exception {
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
        long[] widths = new long[n];
        for (int i = 0; i < n; i++) {
            widths[i] = windows.get(i) * 86_400_000L;
        }
        for (Map.Entry<Long, TouchTally> e : sources.tallies()) {
            long at = e.getKey();
            if (at > t) {
                continue;
            }
            TouchTally tally = e.getValue();
            for (int i = 0; i < n; i++) {
                long w = widths[i];
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
            // the by-type maps are built when a condition reads them (few do: most read the counts)
            lazyMaps.put("touches" + w + "d", recent[i]);
            lazyMaps.put("touchesPrev" + w + "d", before[i]);
            values.put("touchCount" + w + "d", total(recent[i]));
            values.put("touchCountPrev" + w + "d", total(before[i]));
            values.put("salesTouches" + w + "d", sales(recent[i]));
            values.put("salesTouchesPrev" + w + "d", sales(before[i]));
            values.put("usage" + w + "d", usageRecent[i]);
            values.put("usagePrev" + w + "d", usageBefore[i]);
        }
        values.put("engagementTrend", (double) trendRecent / Math.max(1, trendBefore));
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
    private double untilDate(String date) {
        long at = LocalDate.parse(date).atStartOfDay(s.zone()).toInstant().toEpochMilli();
        return days(at - t);
    }

    private static double days(long millis) {
        return millis / DAY;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** A fact value as text for messages: numbers without noise (21.5, 3), lists joined by "; ", "unknown" for "". */
    public static String format(Object v) {
        if (v == null || "".equals(v)) {
            return "unknown";
        }
        if (v instanceof Double d) {
            String one = String.format(Locale.ROOT, "%.1f", d);
            return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
        }
        if (v instanceof List<?> l) {
            return l.isEmpty()
                    ? "none"
                    : String.join("; ", l.stream().map(Facts::format).toList());
        }
        return v.toString();
    }
}
