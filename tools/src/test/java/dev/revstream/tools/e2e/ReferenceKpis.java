package dev.revstream.tools.e2e;

import dev.revstream.attribution.Attribution;
import dev.revstream.attribution.AttributionModel;
import dev.revstream.attribution.AttributionSettings;
import dev.revstream.attribution.Credit;
import dev.revstream.attribution.Touch;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.model.Event;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A straightforward computation of every KPI snapshot of docs/metrics.md over a list of accepted
 * events, for the randomized test: it replays each account's events by the contract's rules into
 * plain lists (deal states after each event, closes, stage exits, ARR per account, funnel firsts,
 * churns, spend, credits) and then computes each window's figures by scanning those lists. UTC,
 * the test's lookbacks; the credit split per model reuses {@link Attribution} (unit-tested on its
 * own), everything else is written here from the definitions.
 */
final class ReferenceKpis {
    static final MathContext MC = MathContext.DECIMAL128;
    static final long DAY = 86_400_000L;
    private static final Set<String> ATTRIBUTABLE = Set.of(
            "AD_CLICK",
            "WEB_VISIT",
            "CONTENT_DOWNLOAD",
            "FORM_SUBMIT",
            "EMAIL_CLICK",
            "WEBINAR_ATTEND",
            "EVENT_ATTEND",
            "CHAT",
            "TRIAL_START",
            "SALES_EMAIL",
            "SALES_CALL",
            "MEETING",
            "DEMO");

    private final List<String> stages;
    private final double[] prob;
    private final String[] categories;
    private final long lookback;
    private final long retention;

    /** A deal's state after one of its applied events. */
    record Snap(
            long at,
            boolean open,
            int stage,
            BigDecimal amount,
            String ecd,
            String segment,
            String region,
            String owner,
            String dealType,
            String category,
            boolean won,
            long enteredAt,
            int slips,
            long createdAt) {}

    /** Something counted in a window under deal dimensions. */
    record DealFact(
            String kind,
            long at,
            String segment,
            String region,
            String owner,
            String dealType,
            BigDecimal amount,
            long millis,
            String stage,
            boolean forward) {}

    record ArrPoint(long at, BigDecimal arr, String segment) {}

    record Flow(long at, String kind, BigDecimal amount, String segment) {}

    record Churn(long at, long spellStart, String segment) {}

    record Money(long at, String channel, String model, BigDecimal amount) {}

    final List<List<Snap>> dealSnaps = new ArrayList<>();
    final List<DealFact> dealFacts = new ArrayList<>();
    final Map<String, List<ArrPoint>> arr = new HashMap<>();
    final List<Flow> flows = new ArrayList<>();
    final List<Churn> churns = new ArrayList<>();
    final List<Money> spend = new ArrayList<>();
    final List<Money> credits = new ArrayList<>();
    final Map<String, Long> firstLead = new HashMap<>();
    final Map<String, Long> firstMql = new HashMap<>();
    final Map<String, Long> firstSql = new HashMap<>();
    final Map<String, Long> firstDeal = new HashMap<>();
    final Map<String, Long> firstCustomer = new HashMap<>();
    /** Quotas as written to the test's quota file: "owner|size|start millis" -> amount. */
    final Map<String, BigDecimal> quotas = new HashMap<>();

    /** When each dimension value had something counted (dimension=value -> times). */
    final Map<String, Set<Long>> counted = new HashMap<>();

    /** @param categories each stage's forecast category when a deal's source sends none */
    ReferenceKpis(List<String> stages, double[] prob, String[] categories, long lookback, long retention) {
        this.stages = stages;
        this.prob = prob;
        this.categories = categories;
        this.lookback = lookback;
        this.retention = retention;
    }

    private final class Deal {
        int stage;
        String crmCategory;
        boolean won;
        int slips;
        boolean closed;
        boolean adopted;
        long createdAt;
        long enteredAt;
        BigDecimal amount = BigDecimal.ZERO;
        String ecd;
        String segment;
        String region;
        String owner;
        String dealType;
        List<Snap> snaps;

        String type() {
            return dealType == null ? "new_business" : dealType;
        }

        Snap snap(long at) {
            return new Snap(
                    at,
                    !closed,
                    stage,
                    amount,
                    ecd,
                    segment,
                    region,
                    owner,
                    type(),
                    crmCategory != null ? crmCategory : categories[stage],
                    won,
                    enteredAt,
                    slips,
                    createdAt);
        }
    }

    void spend(Event e) {
        String ch = e.channel() == null ? "other" : e.channel();
        spend.add(new Money(e.occurredAt(), ch, null, e.amount()));
        count("all=all", e.occurredAt());
        count("channel=" + ch, e.occurredAt());
    }

    void account(String account, List<Event> events) {
        events.sort(ReferenceAlerts.ORDER);
        Map<String, Deal> deals = new HashMap<>();
        BigDecimal arrNow = BigDecimal.ZERO;
        String arrSegment = null;
        Long spell = null;
        List<Touch> touches = new ArrayList<>();
        Touch last = null;
        boolean leadSeen = false;
        Touch leadTouch = null;
        Touch formTouch = null;
        for (Event e : events) {
            long t = e.occurredAt();
            if (!e.isDeal()) {
                String type = e.type();
                if ((type.equals("LEAD_CREATED") || type.equals("FORM_SUBMIT"))
                        && firstLead.putIfAbsent(account, t) == null) {
                    count("all=all", t);
                }
                if (type.equals("MQL") && firstMql.putIfAbsent(account, t) == null) {
                    count("all=all", t);
                }
                if (type.equals("SQL") && firstSql.putIfAbsent(account, t) == null) {
                    count("all=all", t);
                }
                if (ATTRIBUTABLE.contains(type)) {
                    Touch touch =
                            new Touch(t, e.source(), e.eventId(), type, e.channel() == null ? "other" : e.channel());
                    touches.add(touch);
                    last = touch;
                    if (type.equals("FORM_SUBMIT") && formTouch == null) {
                        formTouch = touch;
                    }
                }
                if (type.equals("LEAD_CREATED") && !leadSeen) {
                    leadSeen = true;
                    leadTouch = last;
                }
                continue;
            }
            Deal d = deals.get(e.dealId());
            String type = e.type();
            if (d != null && (d.closed || type.equals("CREATED"))) {
                continue;
            }
            boolean fresh = d == null;
            Snap before = fresh ? null : d.snap(t);
            if (fresh) {
                d = new Deal();
                int s = e.stage() == null ? -1 : stages.indexOf(e.stage());
                d.stage = Math.max(s, 0);
                d.adopted = !type.equals("CREATED");
                d.createdAt = t;
                d.enteredAt = t;
                d.snaps = new ArrayList<>();
                dealSnaps.add(d.snaps);
                deals.put(e.dealId(), d);
            }
            if (e.amount() != null) {
                d.amount = e.amount();
            }
            d.owner = e.ownerId() != null ? e.ownerId() : d.owner;
            d.segment = e.segment() != null ? e.segment() : d.segment;
            d.region = e.region() != null ? e.region() : d.region;
            if (d.dealType == null && e.dealType() != null) {
                d.dealType = e.dealType();
            }
            if (fresh) {
                firstDeal.putIfAbsent(account, t);
                count("all=all", t);
                fact(d.adopted ? "ADOPTED" : "CREATED", t, d, d.adopted ? null : d.amount, 0, null, false);
            }
            boolean terminal = type.equals("CLOSED_WON") || type.equals("CLOSED_LOST");
            if (!terminal && e.expectedCloseDate() != null) {
                if (d.ecd != null && LocalDate.parse(e.expectedCloseDate()).isAfter(LocalDate.parse(d.ecd))) {
                    d.slips++;
                }
                d.ecd = e.expectedCloseDate();
            }
            if (!terminal
                    && e.forecastCategory() != null
                    && !e.forecastCategory().equals("closed")) {
                d.crmCategory = e.forecastCategory();
            }
            if (type.equals("STAGE_CHANGED")) {
                int target = stages.indexOf(e.stage());
                if (target != d.stage) {
                    fact("EXIT", t, d, null, t - d.enteredAt, stages.get(d.stage), target > d.stage);
                    d.stage = target;
                    d.enteredAt = t;
                }
            }
            if (terminal) {
                boolean won = type.equals("CLOSED_WON");
                fact("EXIT", t, d, null, t - d.enteredAt, stages.get(d.stage), won);
                fact(won ? "WON" : "LOST", t, d, won ? d.amount : null, d.adopted ? -1 : t - d.createdAt, null, false);
                d.closed = true;
                d.won = won;
                BigDecimal before2 = arrNow;
                String segBefore = arrSegment;
                if (won) {
                    arrNow = switch (d.type()) {
                        case "renewal" -> d.amount;
                        case "contraction" -> arrNow.subtract(d.amount).max(BigDecimal.ZERO);
                        default -> arrNow.add(d.amount);
                    };
                    if (d.segment != null) {
                        arrSegment = d.segment;
                    }
                    if (d.type().equals("new_business")) {
                        if (firstCustomer.putIfAbsent(account, t) == null) {
                            count("all=all", t);
                        }
                        attribute(d, touches, leadSeen ? leadTouch : formTouch, t);
                    }
                } else if (d.type().equals("renewal")) {
                    arrNow = BigDecimal.ZERO;
                }
                if (before2.signum() <= 0 && arrNow.signum() > 0) {
                    spell = t;
                }
                int cmp = arrNow.compareTo(before2);
                boolean levelChanged = cmp != 0 || (before2.signum() > 0) != (arrNow.signum() > 0);
                if (levelChanged || !Objects.equals(segBefore, arrSegment)) {
                    count("all=all", t);
                    count("segment=" + orUnknown(arrSegment), t);
                    if (!Objects.equals(segBefore, arrSegment) && (before2.signum() != 0)) {
                        count("segment=" + orUnknown(segBefore), t);
                    }
                }
                if (cmp != 0) {
                    String kind = cmp > 0
                            ? (won && d.type().equals("new_business") ? "new" : "expansion")
                            : (arrNow.signum() == 0 ? "churn" : "contraction");
                    flows.add(new Flow(t, kind, arrNow.subtract(before2).abs(), arrSegment));
                    if (kind.equals("churn")) {
                        churns.add(new Churn(t, spell, arrSegment));
                    }
                    arr.computeIfAbsent(account, k -> new ArrayList<>()).add(new ArrPoint(t, arrNow, arrSegment));
                    if (!Objects.equals(segBefore, arrSegment) && segBefore != null) {
                        count("segment=" + orUnknown(segBefore), t);
                    }
                }
                if (arrNow.signum() == 0) {
                    spell = null;
                }
            }
            Snap after = d.snap(t);
            d.snaps.add(after);
            if (!sameOpen(before, after)) {
                if (before != null && before.open()) {
                    countDeal(before, t);
                }
                if (after.open()) {
                    countDeal(after, t);
                }
            }
        }
    }

    private void attribute(Deal d, List<Touch> touches, Touch lead, long t) {
        List<Touch> credited = new ArrayList<>();
        for (Touch x : touches) {
            if (x.at >= d.createdAt - 180 * DAY && x.at <= t) {
                credited.add(x);
            }
        }
        if (lead != null && !credited.contains(lead)) {
            credited.add(lead);
        }
        for (Credit c : Attribution.credit(d.amount, credited, lead, d.createdAt, t, AttributionSettings.defaults())) {
            credits.add(new Money(t, c.channel(), c.model().name(), BigDecimal.valueOf(c.cents(), 2)));
            count("channel=" + c.channel(), t);
        }
    }

    private static boolean sameOpen(Snap a, Snap b) {
        if (a == null || !a.open() || !b.open()) {
            return a != null && !a.open() && !b.open();
        }
        return Objects.equals(a.segment(), b.segment())
                && Objects.equals(a.region(), b.region())
                && Objects.equals(a.owner(), b.owner())
                && a.dealType().equals(b.dealType())
                && a.stage() == b.stage()
                && a.amount().compareTo(b.amount()) == 0
                && Objects.equals(a.ecd(), b.ecd())
                && a.category().equals(b.category());
    }

    private void fact(String kind, long t, Deal d, BigDecimal amount, long millis, String stage, boolean forward) {
        DealFact f = new DealFact(kind, t, d.segment, d.region, d.owner, d.type(), amount, millis, stage, forward);
        dealFacts.add(f);
        for (String k : keys(f.segment(), f.region(), f.owner(), f.dealType())) {
            count(k, t);
        }
    }

    private void countDeal(Snap s, long t) {
        for (String k : keys(s.segment(), s.region(), s.owner(), s.dealType())) {
            count(k, t);
        }
    }

    private static List<String> keys(String segment, String region, String owner, String dealType) {
        return List.of(
                "all=all",
                "segment=" + orUnknown(segment),
                "region=" + orUnknown(region),
                "ownerId=" + orUnknown(owner),
                "dealType=" + orUnknown(dealType));
    }

    private void count(String key, long t) {
        counted.computeIfAbsent(key, k -> new HashSet<>()).add(t);
    }

    static String orUnknown(String v) {
        return v == null ? "unknown" : v;
    }

    // ---- windows ---------------------------------------------------------------------------------

    /** Every expected snapshot: "size start dimension=value" -> metric -> value (null for JSON null). */
    Map<String, Map<String, BigDecimal>> snapshots(List<KpiWindow> windows, long earliest, long asOf) {
        Map<String, Map<String, BigDecimal>> out = new TreeMap<>();
        Set<String> keys = new HashSet<>(counted.keySet());
        keys.add("all=all");
        for (KpiWindow w : windows) {
            for (long s = w.startOf(earliest), e = w.endOf(s); e <= asOf; s = e, e = w.endOf(s)) {
                for (String key : keys) {
                    String dim = key.substring(0, key.indexOf('='));
                    String value = key.substring(key.indexOf('=') + 1);
                    final long start = s;
                    final long end = e;
                    boolean countedIn =
                            counted.getOrDefault(key, Set.of()).stream().anyMatch(x -> x >= start && x < end);
                    boolean dealDim = !dim.equals("channel");
                    long openAtEnd = dealDim ? openDeals(dim, value, end).size() : 0;
                    if (!dim.equals("all") && !countedIn && openAtEnd == 0) {
                        continue;
                    }
                    Map<String, BigDecimal> m = new LinkedHashMap<>();
                    if (dim.equals("channel")) {
                        channel(m, value, start, end);
                    } else {
                        deals(m, dim, value, start, end);
                        if (dim.equals("all")) {
                            funnel(m, start, end);
                        }
                        if (dim.equals("all") || dim.equals("segment")) {
                            revenue(m, dim.equals("all") ? null : value, start, end);
                        }
                        if (dim.equals("all")) {
                            BigDecimal sp = sum(spend, null, start, end);
                            long nc = firstCustomer.values().stream()
                                    .filter(x -> x >= start && x < end)
                                    .count();
                            m.put("spend", money(sp));
                            m.put("cac", nc == 0 ? null : money(sp.divide(BigDecimal.valueOf(nc), MC)));
                        }
                        List<DealFact> wonIn = won(dim, value, start, end);
                        BigDecimal quota = quota(dim, value, w.name(), start);
                        BigDecimal wonSum =
                                wonIn.stream().map(DealFact::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
                        m.put("quota", quota == null ? null : money(quota));
                        m.put(
                                "attainment",
                                quota == null || quota.signum() == 0 ? null : ratio(wonSum.divide(quota, MC)));
                        ReferencePipeline.metrics(
                                m,
                                dealSnaps,
                                stages,
                                !w.name().equals("1h"),
                                start,
                                end,
                                x -> match(dim, value, x.segment(), x.region(), x.owner(), x.dealType()),
                                wonIn.size(),
                                wonIn.stream().map(DealFact::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
                        if (w.name().equals("1M") || w.name().equals("1Q")) {
                            ReferenceForecast.metrics(
                                    m,
                                    dealSnaps,
                                    stages,
                                    prob,
                                    w,
                                    start,
                                    x -> match(dim, value, x.segment(), x.region(), x.owner(), x.dealType()));
                        }
                        if (!w.name().equals("1h")) {
                            // forecast accuracy: F from the deals open at the start, A = won amount in W
                            LocalDate from = LocalDate.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC);
                            LocalDate to = LocalDate.ofInstant(Instant.ofEpochMilli(end), ZoneOffset.UTC);
                            BigDecimal f = BigDecimal.ZERO;
                            for (Snap x : openDeals(dim, value, start)) {
                                if (x.ecd() != null
                                        && !LocalDate.parse(x.ecd()).isBefore(from)
                                        && LocalDate.parse(x.ecd()).isBefore(to)) {
                                    f = f.add(x.amount().multiply(BigDecimal.valueOf(prob[x.stage()])));
                                }
                            }
                            BigDecimal a = won(dim, value, start, end).stream()
                                    .map(DealFact::amount)
                                    .reduce(BigDecimal.ZERO, BigDecimal::add);
                            m.put(
                                    "forecastAccuracy",
                                    a.signum() == 0 && f.signum() == 0
                                            ? null
                                            : ratio(BigDecimal.ONE.subtract(
                                                    a.subtract(f).abs().divide(a.max(f), MC))));
                        } else {
                            m.put("forecastAccuracy", null);
                        }
                    }
                    out.put(w.name() + " " + Instant.ofEpochMilli(start) + " " + key, m);
                }
            }
        }
        return out;
    }

    /** An owner's quota for the window, the sum of all owners' for all, else none. */
    private BigDecimal quota(String dim, String value, String size, long start) {
        BigDecimal sum = null;
        for (Map.Entry<String, BigDecimal> q : quotas.entrySet()) {
            String[] k = q.getKey().split("\\|");
            if (k[1].equals(size)
                    && Long.parseLong(k[2]) == start
                    && (dim.equals("all") || dim.equals("ownerId") && k[0].equals(value))) {
                sum = sum == null ? q.getValue() : sum.add(q.getValue());
            }
        }
        return sum;
    }

    private boolean match(String dim, String value, String segment, String region, String owner, String dealType) {
        return switch (dim) {
            case "all" -> true;
            case "segment" -> orUnknown(segment).equals(value);
            case "region" -> orUnknown(region).equals(value);
            case "ownerId" -> orUnknown(owner).equals(value);
            default -> orUnknown(dealType).equals(value);
        };
    }

    private List<Snap> openDeals(String dim, String value, long at) {
        List<Snap> open = new ArrayList<>();
        for (List<Snap> snaps : dealSnaps) {
            Snap last = null;
            for (Snap s : snaps) {
                if (s.at() < at) {
                    last = s;
                }
            }
            if (last != null
                    && last.open()
                    && match(dim, value, last.segment(), last.region(), last.owner(), last.dealType())) {
                open.add(last);
            }
        }
        return open;
    }

    private List<DealFact> facts(String kind, String dim, String value, long from, long to) {
        return dealFacts.stream()
                .filter(f -> f.kind().equals(kind)
                        && f.at() >= from
                        && f.at() < to
                        && match(dim, value, f.segment(), f.region(), f.owner(), f.dealType()))
                .toList();
    }

    private List<DealFact> won(String dim, String value, long from, long to) {
        return facts("WON", dim, value, from, to);
    }

    private void deals(Map<String, BigDecimal> m, String dim, String value, long start, long end) {
        long l = end - Math.max(lookback, end - start);
        m.put(
                "dealsCreated",
                BigDecimal.valueOf(facts("CREATED", dim, value, start, end).size()));
        m.put(
                "dealsAdopted",
                BigDecimal.valueOf(facts("ADOPTED", dim, value, start, end).size()));
        m.put(
                "pipelineCreatedAmount",
                money(facts("CREATED", dim, value, start, end).stream()
                        .map(DealFact::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)));
        m.put("dealsWon", BigDecimal.valueOf(won(dim, value, start, end).size()));
        m.put(
                "dealsLost",
                BigDecimal.valueOf(facts("LOST", dim, value, start, end).size()));
        m.put(
                "wonAmount",
                money(won(dim, value, start, end).stream()
                        .map(DealFact::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)));
        List<Snap> open = openDeals(dim, value, end);
        m.put("openDeals", BigDecimal.valueOf(open.size()));
        m.put("openPipelineAmount", money(open.stream().map(Snap::amount).reduce(BigDecimal.ZERO, BigDecimal::add)));
        m.put(
                "weightedPipelineAmount",
                money(open.stream()
                        .map(s -> s.amount().multiply(BigDecimal.valueOf(prob[s.stage()])))
                        .reduce(BigDecimal.ZERO, BigDecimal::add)));
        List<DealFact> wonL = won(dim, value, l, end);
        long lostL = facts("LOST", dim, value, l, end).size();
        BigDecimal winRate = wonL.size() + lostL == 0
                ? null
                : BigDecimal.valueOf(wonL.size()).divide(BigDecimal.valueOf(wonL.size() + lostL), MC);
        BigDecimal size = wonL.isEmpty()
                ? null
                : wonL.stream()
                        .map(DealFact::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                        .divide(BigDecimal.valueOf(wonL.size()), MC);
        List<DealFact> cycles = wonL.stream().filter(f -> f.millis() >= 0).toList();
        BigDecimal cycle = cycles.isEmpty()
                ? null
                : BigDecimal.valueOf(cycles.stream().mapToLong(DealFact::millis).sum())
                        .divide(BigDecimal.valueOf(DAY), MC)
                        .divide(BigDecimal.valueOf(cycles.size()), MC);
        m.put("winRate", winRate == null ? null : ratio(winRate));
        m.put("avgDealSize", size == null ? null : money(size));
        m.put("avgSalesCycleDays", cycle == null ? null : ratio(cycle));
        m.put(
                "pipelineVelocityPerDay",
                winRate == null || size == null || cycle == null || cycle.signum() == 0
                        ? null
                        : money(BigDecimal.valueOf(open.size())
                                .multiply(size)
                                .multiply(winRate)
                                .divide(cycle, MC)));
        for (String stage : stages) {
            List<DealFact> exits = facts("EXIT", dim, value, l, end).stream()
                    .filter(f -> f.stage().equals(stage))
                    .toList();
            if (!exits.isEmpty()) {
                m.put(
                        "stageConversion." + stage,
                        ratio(BigDecimal.valueOf(
                                        exits.stream().filter(DealFact::forward).count())
                                .divide(BigDecimal.valueOf(exits.size()), MC)));
                m.put(
                        "avgDaysInStage." + stage,
                        ratio(BigDecimal.valueOf(exits.stream()
                                        .mapToLong(DealFact::millis)
                                        .sum())
                                .divide(BigDecimal.valueOf(DAY), MC)
                                .divide(BigDecimal.valueOf(exits.size()), MC)));
            }
        }
    }

    private void funnel(Map<String, BigDecimal> m, long start, long end) {
        m.put("newLeads", BigDecimal.valueOf(in(firstLead, start, end)));
        m.put("newMqls", BigDecimal.valueOf(in(firstMql, start, end)));
        m.put("newSqls", BigDecimal.valueOf(in(firstSql, start, end)));
        m.put("newOpportunities", BigDecimal.valueOf(in(firstDeal, start, end)));
        m.put("newCustomers", BigDecimal.valueOf(in(firstCustomer, start, end)));
        long l = end - Math.max(lookback, end - start);
        long mqls = 0;
        long withSql = 0;
        for (Map.Entry<String, Long> e : firstMql.entrySet()) {
            if (e.getValue() >= l && e.getValue() < end) {
                mqls++;
                Long sql = firstSql.get(e.getKey());
                withSql += sql != null && sql < end ? 1 : 0;
            }
        }
        m.put(
                "mqlToSqlRate",
                mqls == 0 ? null : ratio(BigDecimal.valueOf(withSql).divide(BigDecimal.valueOf(mqls), MC)));
    }

    private static long in(Map<String, Long> firsts, long start, long end) {
        return firsts.values().stream().filter(x -> x >= start && x < end).count();
    }

    /** ARR and customers of a segment (null: all) at {@code t}: [arr, customers]. */
    private BigDecimal[] level(String segment, long t) {
        BigDecimal total = BigDecimal.ZERO;
        long customers = 0;
        for (List<ArrPoint> h : arr.values()) {
            ArrPoint p = at(h, t);
            if (p != null && (segment == null || orUnknown(p.segment()).equals(segment))) {
                total = total.add(p.arr());
                customers += p.arr().signum() > 0 ? 1 : 0;
            }
        }
        return new BigDecimal[] {total, BigDecimal.valueOf(customers)};
    }

    private static ArrPoint at(List<ArrPoint> h, long t) {
        ArrPoint last = null;
        for (ArrPoint p : h) {
            if (p.at() < t) {
                last = p;
            }
        }
        return last;
    }

    private void revenue(Map<String, BigDecimal> m, String segment, long start, long end) {
        BigDecimal[] atEnd = level(segment, end);
        m.put("arr", money(atEnd[0]));
        m.put("customers", atEnd[1]);
        BigDecimal total = BigDecimal.ZERO;
        for (String kind : List.of("new", "expansion", "contraction", "churn")) {
            BigDecimal v = flows.stream()
                    .filter(f -> f.kind().equals(kind)
                            && f.at() >= start
                            && f.at() < end
                            && (segment == null || orUnknown(f.segment()).equals(segment)))
                    .map(Flow::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            m.put(
                    switch (kind) {
                        case "new" -> "newArr";
                        case "expansion" -> "expansionArr";
                        case "contraction" -> "contractionArr";
                        default -> "churnedArr";
                    },
                    money(v));
            total = kind.equals("new") || kind.equals("expansion") ? total.add(v) : total.subtract(v);
        }
        m.put("netNewArr", money(total));
        BigDecimal atStart = level(segment, start)[1];
        long churned = churns.stream()
                .filter(c -> c.at() >= start
                        && c.at() < end
                        && c.spellStart() < start
                        && (segment == null || orUnknown(c.segment()).equals(segment)))
                .count();
        m.put(
                "logoChurnRate",
                atStart.signum() == 0 ? null : ratio(BigDecimal.valueOf(churned).divide(atStart, MC)));
        long from = end - Math.max(retention, end - start);
        BigDecimal base = BigDecimal.ZERO;
        BigDecimal now = BigDecimal.ZERO;
        BigDecimal gross = BigDecimal.ZERO;
        for (List<ArrPoint> h : arr.values()) {
            ArrPoint then = at(h, from);
            if (then == null
                    || then.arr().signum() <= 0
                    || segment != null && !orUnknown(then.segment()).equals(segment)) {
                continue;
            }
            BigDecimal cur = at(h, end).arr();
            base = base.add(then.arr());
            now = now.add(cur);
            gross = gross.add(cur.min(then.arr()));
        }
        m.put("netRevenueRetention", base.signum() == 0 ? null : ratio(now.divide(base, MC)));
        m.put("grossRevenueRetention", base.signum() == 0 ? null : ratio(gross.divide(base, MC)));
        long l = end - Math.max(lookback, end - start);
        BigDecimal customersThen = level(segment, l)[1];
        long churnedL = churns.stream()
                .filter(c -> c.at() >= l
                        && c.at() < end
                        && c.spellStart() < l
                        && (segment == null || orUnknown(c.segment()).equals(segment)))
                .count();
        BigDecimal clv = null;
        if (atEnd[1].signum() != 0 && customersThen.signum() != 0 && churnedL != 0) {
            BigDecimal annual = BigDecimal.valueOf(churnedL)
                    .divide(customersThen, MC)
                    .multiply(BigDecimal.valueOf(365))
                    .divide(BigDecimal.valueOf((end - l) / (double) DAY), MC);
            clv = money(atEnd[0].divide(atEnd[1], MC).divide(annual, MC));
        }
        m.put("clv", clv);
    }

    private void channel(Map<String, BigDecimal> m, String channel, long start, long end) {
        BigDecimal w = BigDecimal.ZERO;
        for (AttributionModel model : AttributionModel.values()) {
            BigDecimal v = credits.stream()
                    .filter(c -> c.channel().equals(channel)
                            && c.model().equals(model.name())
                            && c.at() >= start
                            && c.at() < end)
                    .map(Money::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            m.put("attributedRevenue." + model.name(), money(v));
            if (model == AttributionModel.W_SHAPED) {
                w = v;
            }
        }
        BigDecimal sp = money(sum(spend, channel, start, end));
        m.put("spend", sp);
        m.put("roi", sp.signum() == 0 ? null : ratio(w.divide(sp, MC)));
    }

    private static BigDecimal sum(List<Money> list, String channel, long start, long end) {
        return list.stream()
                .filter(x -> x.at() >= start
                        && x.at() < end
                        && (channel == null || x.channel().equals(channel)))
                .map(Money::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static BigDecimal money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN);
    }

    static BigDecimal ratio(BigDecimal v) {
        return v.setScale(6, RoundingMode.HALF_EVEN);
    }
}
