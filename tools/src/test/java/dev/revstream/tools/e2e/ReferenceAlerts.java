package dev.revstream.tools.e2e;

import dev.revstream.alerts.Alert;
import dev.revstream.alerts.AlertType;
import dev.revstream.model.Event;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A straightforward computation of the alerts of docs/alerts.md over a list of accepted events,
 * written for the tests independently of the job's code: it walks each account's events in order
 * and checks deadlines and day boundaries naively, re-scanning all signals at every evaluation.
 * Uses the defaults of docs/alerts.md (stall SLAs per stage, a 24 h hand-off SLA, slippage from the 2nd
 * slip, health weights) passed in, in a UTC day.
 */
final class ReferenceAlerts {
    static final long DAY = 86_400_000L;
    private static final Set<String> SALES = Set.of("SALES_EMAIL", "SALES_CALL", "MEETING", "DEMO");
    private static final Set<String> DEAL_ACTIVITY = Set.of("SALES_EMAIL", "SALES_CALL", "MEETING", "DEMO", "CHAT");

    /** One alert's identity, and when the deal it concerns (if any) closed. */
    record Found(String alertId, AlertType type, String accountId, String dealId, long triggeredAt) {}

    private final List<String> stages;
    private final long[] stallSla;
    private final long leadSla;
    private final long asOf;
    private final ZoneId zone;
    final List<Found> alerts = new ArrayList<>();
    final Map<String, Long> dealClosedAt = new HashMap<>();

    ReferenceAlerts(List<String> stages, long[] stallSla, long leadSla, long asOf, ZoneId zone) {
        this.stages = stages;
        this.stallSla = stallSla;
        this.leadSla = leadSla;
        this.asOf = asOf;
        this.zone = zone;
    }

    /** Order of application: occurredAt, deal events before touchpoints, source, eventId. */
    static final Comparator<Event> ORDER = (x, y) -> {
        if (x.occurredAt() != y.occurredAt()) {
            return Long.compare(x.occurredAt(), y.occurredAt());
        }
        if (x.isDeal() != y.isDeal()) {
            return x.isDeal() ? -1 : 1;
        }
        int c = x.source().compareTo(y.source());
        return c != 0 ? c : x.eventId().compareTo(y.eventId());
    };

    private static final class Deal {
        int stage;
        boolean closed;
        long lastActivity;
        boolean alerted;
        String closeDate;
        int slips;
        BigDecimal amount = BigDecimal.ZERO;
        String dealType;
    }

    private record Signal(long at, String type, double amount) {}

    void account(String account, List<Event> events) {
        events.sort(ORDER);
        TreeMap<Long, List<Event>> byTime = new TreeMap<>();
        for (Event e : events) {
            byTime.computeIfAbsent(e.occurredAt(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Deal> deals = new HashMap<>();
        List<Signal> signals = new ArrayList<>();
        BigDecimal[] arr = {BigDecimal.ZERO};
        boolean[] armed = {true};
        Long firstMql = null;
        List<Long> salesTouches = new ArrayList<>();
        Long previous = null;

        for (Map.Entry<Long, List<Event>> group : byTime.entrySet()) {
            long t = group.getKey();
            stalls(account, deals, t, true);
            boundaries(account, previous, t, false, signals, arr, armed);
            for (Event e : group.getValue()) {
                if (e.isDeal()) {
                    deal(account, e, deals, arr);
                } else {
                    String type = e.type();
                    if (type.equals("MQL") && firstMql == null) {
                        firstMql = t;
                    }
                    if (SALES.contains(type)) {
                        salesTouches.add(t);
                    }
                    if (e.dealId() != null && DEAL_ACTIVITY.contains(type)) {
                        Deal d = deals.get(e.dealId());
                        if (d != null && !d.closed) {
                            d.lastActivity = t;
                            d.alerted = false;
                        }
                    }
                    if (Set.of("PRODUCT_USAGE", "SUPPORT_TICKET", "NPS", "CHAMPION_LEFT", "PAYMENT_FAILED")
                            .contains(type)) {
                        signals.add(new Signal(
                                t,
                                type,
                                e.amount() == null ? Double.NaN : e.amount().doubleValue()));
                    }
                }
                churn(account, t, signals, arr, armed);
            }
            stalls(account, deals, t, false);
            boundaries(account, t - 1, t, true, signals, arr, armed);
            previous = t;
        }
        stalls(account, deals, asOf, false);
        if (previous != null) {
            boundaries(account, previous, asOf, true, signals, arr, armed);
        }
        if (firstMql != null && firstMql + leadSla <= asOf) {
            long m = firstMql;
            boolean answered = salesTouches.stream().anyMatch(s -> s >= m && s <= m + leadSla);
            if (!answered) {
                found(AlertType.LEAD_SLA_BREACH, account, null, m + leadSla);
            }
        }
    }

    private void deal(String account, Event e, Map<String, Deal> deals, BigDecimal[] arr) {
        long t = e.occurredAt();
        Deal d = deals.get(e.dealId());
        if (d != null && (d.closed || e.type().equals("CREATED"))) {
            return;
        }
        if (d == null) {
            d = new Deal();
            int s = e.stage() == null ? -1 : stages.indexOf(e.stage());
            d.stage = Math.max(s, 0);
            d.lastActivity = t;
            deals.put(e.dealId(), d);
        }
        if (e.amount() != null) {
            d.amount = e.amount();
        }
        if (d.dealType == null && e.dealType() != null) {
            d.dealType = e.dealType();
        }
        boolean terminal = e.type().equals("CLOSED_WON") || e.type().equals("CLOSED_LOST");
        if (!terminal && e.expectedCloseDate() != null) {
            if (d.closeDate != null && LocalDate.parse(e.expectedCloseDate()).isAfter(LocalDate.parse(d.closeDate))) {
                d.slips++;
                if (d.slips >= 2) {
                    found(AlertType.DEAL_SLIPPAGE, account, e.dealId(), t);
                }
            }
            d.closeDate = e.expectedCloseDate();
        }
        if (e.type().equals("STAGE_CHANGED")) {
            int target = stages.indexOf(e.stage());
            if (target != d.stage) {
                d.stage = target;
                d.lastActivity = t;
                d.alerted = false;
            }
        }
        if (terminal) {
            d.closed = true;
            dealClosedAt.put(e.dealId(), t);
            String type = d.dealType == null ? "new_business" : d.dealType;
            if (e.type().equals("CLOSED_WON")) {
                arr[0] = switch (type) {
                    case "renewal" -> d.amount;
                    case "contraction" -> arr[0].subtract(d.amount).max(BigDecimal.ZERO);
                    default -> arr[0].add(d.amount);
                };
            } else if (type.equals("renewal")) {
                arr[0] = BigDecimal.ZERO;
            }
        }
    }

    /** Stall deadlines before {@code t} (strict) or at or before it. */
    private void stalls(String account, Map<String, Deal> deals, long t, boolean strict) {
        for (Map.Entry<String, Deal> e : deals.entrySet()) {
            Deal d = e.getValue();
            long deadline = d.lastActivity + stallSla[d.stage];
            if (!d.closed && !d.alerted && (strict ? deadline < t : deadline <= t) && deadline <= asOf) {
                found(AlertType.STALLED_DEAL, account, e.getKey(), deadline);
                d.alerted = true;
            }
        }
    }

    /** Evaluates churn risk at every midnight in (from, to), or (from, to] when inclusive. */
    private void boundaries(
            String account,
            Long from,
            long to,
            boolean inclusive,
            List<Signal> signals,
            BigDecimal[] arr,
            boolean[] armed) {
        if (from == null || arr[0].signum() <= 0) {
            return;
        }
        LocalDate day = Instant.ofEpochMilli(from).atZone(zone).toLocalDate();
        for (long b = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
                inclusive ? b <= to : b < to;
                b = Instant.ofEpochMilli(b)
                        .atZone(zone)
                        .toLocalDate()
                        .plusDays(1)
                        .atStartOfDay(zone)
                        .toInstant()
                        .toEpochMilli()) {
            if (b > asOf) {
                return;
            }
            churn(account, b, signals, arr, armed);
        }
    }

    private void churn(String account, long t, List<Signal> signals, BigDecimal[] arr, boolean[] armed) {
        if (arr[0].signum() <= 0) {
            return;
        }
        double recent = 0;
        double before = 0;
        int tickets = 0;
        boolean nps = false;
        boolean champion = false;
        boolean payment = false;
        for (Signal s : signals) {
            if (s.at() > t) {
                continue;
            }
            switch (s.type()) {
                case "PRODUCT_USAGE" -> {
                    double v = Double.isNaN(s.amount()) ? 0 : s.amount();
                    if (s.at() > t - 14 * DAY) {
                        recent += v;
                    } else if (s.at() > t - 28 * DAY) {
                        before += v;
                    }
                }
                case "SUPPORT_TICKET" -> tickets += s.at() > t - 14 * DAY ? 1 : 0;
                case "NPS" -> nps |= s.at() > t - 90 * DAY && !Double.isNaN(s.amount()) && s.amount() <= 6;
                case "CHAMPION_LEFT" -> champion |= s.at() > t - 90 * DAY;
                default -> payment |= s.at() > t - 30 * DAY;
            }
        }
        int score = 100
                - (before > 0 && recent < 0.5 * before ? 30 : 0)
                - (tickets >= 3 ? 20 : 0)
                - (nps ? 20 : 0)
                - (champion ? 25 : 0)
                - (payment ? 15 : 0);
        if (armed[0] && score < 50) {
            armed[0] = false;
            if (t <= asOf) {
                found(AlertType.CHURN_RISK, account, null, t);
            }
        } else if (!armed[0] && score >= 60) {
            armed[0] = true;
        }
    }

    private void found(AlertType type, String account, String dealId, long at) {
        alerts.add(new Found(Alert.id(type, account, dealId, at), type, account, dealId, at));
    }
}
