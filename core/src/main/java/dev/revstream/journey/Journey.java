package dev.revstream.journey;

import dev.revstream.alerts.Alert;
import dev.revstream.alerts.AlertType;
import dev.revstream.alerts.Severity;
import dev.revstream.attribution.Attribution;
import dev.revstream.attribution.AttributionRecord;
import dev.revstream.attribution.Credit;
import dev.revstream.attribution.Touch;
import dev.revstream.kpi.DealMove;
import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.KpiFact;
import dev.revstream.model.DealEventType;
import dev.revstream.model.DealType;
import dev.revstream.model.Event;
import dev.revstream.model.TouchpointType;
import dev.revstream.time.WindowEdges;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The journey rules of docs/metrics.md (alerts: docs/alerts.md) for one account, in plain Java: lifecycle, deals and their
 * stages (creation, adoption, closed-is-final tombstones), ARR, the health score, and the four
 * alerts. The caller applies events in the account's event-time order and tells it when time
 * passes; it never looks at a clock.
 *
 * <p>At an instant t the caller first {@link #expireTombstones(long) expires tombstones} due at t
 * (a deal is remembered while {@code occurredAt < closedAt + tombstone}), then {@link #apply}s the
 * events at t in order, then {@link #advanceTo(long) advances} to t (deadlines and day boundaries
 * due at or before t), so that activity at exactly a deadline counts as in time.
 */
public final class Journey {
    private static final Set<TouchpointType> DEAL_ACTIVITY = EnumSet.of(
            TouchpointType.SALES_EMAIL,
            TouchpointType.SALES_CALL,
            TouchpointType.MEETING,
            TouchpointType.DEMO,
            TouchpointType.CHAT);
    private static final Set<TouchpointType> ATTRIBUTABLE = EnumSet.of(
            TouchpointType.AD_CLICK,
            TouchpointType.WEB_VISIT,
            TouchpointType.CONTENT_DOWNLOAD,
            TouchpointType.FORM_SUBMIT,
            TouchpointType.EMAIL_CLICK,
            TouchpointType.WEBINAR_ATTEND,
            TouchpointType.EVENT_ATTEND,
            TouchpointType.CHAT,
            TouchpointType.TRIAL_START,
            TouchpointType.SALES_EMAIL,
            TouchpointType.SALES_CALL,
            TouchpointType.MEETING,
            TouchpointType.DEMO);
    private static final List<String> LIFECYCLE = List.of("lead", "mql", "sql", "opportunity", "customer", "churned");

    private final JourneySettings s;
    private final JourneyStore store;
    private final JourneyOutput out;
    private final String accountId;
    private final AccountState a;

    /**
     * Where {@link #schedule} last found no day boundary to plan (none planned, and no crossing after any
     * later change of the score), with the signals and the churn state it saw: a later call with both
     * unchanged finds none either (the boundaries it would look at are among those looked at then), so it
     * returns at once. A replay or a firing that fires at many instants calls it at each.
     */
    private long quietFrom = Long.MAX_VALUE;

    private long quietSignals;
    private boolean quietArmed;
    /** Changes to the health signals made through this journey. */
    private long signalChanges;

    public Journey(JourneySettings settings, String accountId, JourneyStore store, JourneyOutput out) {
        this.s = settings;
        this.store = store;
        this.out = out;
        this.accountId = accountId;
        this.a = store.account();
    }

    // ---- events ------------------------------------------------------------------------------

    /** Applies one event; events must come in the account's order. */
    public void apply(Event e) throws Exception {
        long t = e.occurredAt();
        if (e.ownerId() != null && !e.isDeal()) {
            a.ownerId = e.ownerId();
        }
        if (e.isDeal()) {
            applyDeal(e, t);
        } else {
            applyTouch(e, t);
        }
        evaluateHealth(t);
        schedule(t);
    }

    private void applyTouch(Event e, long t) throws Exception {
        TouchpointType type = TouchpointType.valueOf(e.type());
        a.lastActivity = type.name();
        a.lastActivityAt = t;
        if (ATTRIBUTABLE.contains(type)) {
            Touch touch =
                    new Touch(t, e.source(), e.eventId(), type.name(), e.channel() == null ? "other" : e.channel());
            store.addTouch(touch);
            a.lastTouch = touch;
            if (a.oldestTouchAt == null) {
                a.oldestTouchAt = t;
            }
            countTouch();
            if (type == TouchpointType.FORM_SUBMIT && a.firstFormTouch == null) {
                a.firstFormTouch = touch;
            }
        }
        if (type == TouchpointType.LEAD_CREATED && !a.leadMarkerSeen) {
            a.leadMarkerSeen = true;
            a.leadTouch = a.lastTouch; // the last attributable touch at or before the first LEAD_CREATED
        }
        switch (type) {
            case LEAD_CREATED, FORM_SUBMIT -> {
                // a lead is the first LEAD_CREATED or form fill, for the lifecycle and the funnel alike
                if (a.firstLeadAt == null) {
                    a.firstLeadAt = t;
                    funnel(FactKind.FIRST_LEAD, t, -1);
                }
                advanceLifecycle("lead", t, e);
            }
            case MQL -> {
                if (a.firstMqlAt == null) {
                    a.firstMqlAt = t;
                    funnel(FactKind.FIRST_MQL, t, a.firstSqlAt == null ? -1 : a.firstSqlAt);
                    a.mqlOwnerId = e.ownerId() != null ? e.ownerId() : a.ownerId;
                    boolean answered = a.lastSalesTouchAt != null && a.lastSalesTouchAt == t;
                    a.salesTouchesSinceMql = answered ? 1 : 0;
                    a.leadDeadline = answered ? null : s.leadDeadline(t, a.segment);
                }
                advanceLifecycle("mql", t, e);
            }
            case SQL -> {
                if (a.firstSqlAt == null) {
                    a.firstSqlAt = t;
                    funnel(FactKind.FIRST_SQL, t, a.firstMqlAt == null ? -1 : a.firstMqlAt);
                }
                advanceLifecycle("sql", t, e);
            }
            case PRODUCT_USAGE ->
                signal(t, b -> b.usage += e.amount() == null ? 0 : e.amount().doubleValue());
            case SUPPORT_TICKET -> signal(t, b -> b.tickets++);
            case NPS -> {
                if (e.amount() != null && e.amount().doubleValue() <= s.health().npsMaxScore()) {
                    signal(t, b -> b.lowNps++);
                }
            }
            case CHAMPION_LEFT -> signal(t, b -> b.championLeft++);
            case PAYMENT_FAILED -> signal(t, b -> b.paymentFailed++);
            default -> {}
        }
        if (TouchpointType.SALES_TOUCHES.contains(type)) {
            a.lastSalesTouchAt = t;
            if (a.firstMqlAt != null && t >= a.firstMqlAt) {
                a.salesTouchesSinceMql++;
            }
            if (a.leadDeadline != null && t >= a.firstMqlAt && t <= a.leadDeadline) {
                a.leadDeadline = null;
            }
        }
        if (e.dealId() != null && DEAL_ACTIVITY.contains(type)) {
            DealState d = store.deal(e.dealId());
            if (d != null && d.isOpen()) {
                activity(d, t, type.name());
                store.putDeal(d);
                recomputeDealWakeUps(); // re-armed: its next deadline may be the earliest
            }
        }
    }

    private interface BucketChange {
        void change(HealthBucket b);
    }

    private void signal(long t, BucketChange change) throws Exception {
        HealthBucket b = store.signal(t);
        if (b == null) {
            b = new HealthBucket();
        }
        change.change(b);
        store.putSignal(t, b);
        signalChanges++;
        if (a.oldestSignalAt == null || t < a.oldestSignalAt) {
            a.oldestSignalAt = t;
        }
        if (a.newestSignalAt == null || t > a.newestSignalAt) {
            a.newestSignalAt = t;
        }
    }

    private void applyDeal(Event e, long t) throws Exception {
        DealEventType type = DealEventType.valueOf(e.type());
        DealState d = store.deal(e.dealId());
        if (d != null && !d.isOpen()) {
            out.ignored(e); // closed is final
            return;
        }
        if (d != null && type == DealEventType.CREATED) {
            out.ignored(e);
            return;
        }
        a.lastActivity = "DEAL_" + type.name();
        a.lastActivityAt = t;
        boolean fresh = d == null;
        KpiFact openBefore = fresh ? null : open(d, t, -1);
        if (fresh) {
            d = new DealState();
            d.dealId = e.dealId();
            d.adopted = type != DealEventType.CREATED;
            int stage = e.stage() == null ? -1 : s.stageIndex(e.stage());
            d.stage = stage >= 0 ? stage : 0;
            d.createdAt = t;
            d.stageEnteredAt = t;
            d.timeInStage = new long[s.stages().size()];
            d.amount = BigDecimal.ZERO;
        }
        // the fields an event carries apply when it is applied; a terminal event's before the deal freezes
        if (e.amount() != null) {
            d.amount = e.amount();
        }
        if (e.ownerId() != null) {
            d.ownerId = e.ownerId();
            a.ownerId = e.ownerId();
        }
        if (e.segment() != null) {
            d.segment = e.segment();
            a.segment = e.segment();
        }
        if (e.region() != null) {
            d.region = e.region();
            a.region = e.region();
        }
        if (d.dealType == null && e.dealType() != null) {
            d.dealType = e.dealType();
        }
        if (fresh) {
            if (a.firstDealAt == null) {
                a.firstDealAt = t;
                funnel(FactKind.FIRST_DEAL, t, -1);
            }
            dealFact(
                    d.adopted ? FactKind.DEAL_ADOPTED : FactKind.DEAL_CREATED,
                    d,
                    t,
                    d.adopted ? null : d.amount,
                    0,
                    null,
                    false);
            update("DEAL_STAGE", d, null, stageName(d.stage), t, null, null, null, e);
            activity(d, t, type.name());
            advanceLifecycle("opportunity", t, e);
        }
        if (!type.isTerminal() && e.forecastCategory() != null && !"closed".equals(e.forecastCategory())) {
            d.forecastCategory = e.forecastCategory(); // closed is what a win makes a deal, not an open one's
        }
        if (!type.isTerminal() && e.expectedCloseDate() != null) {
            String previous = d.expectedCloseDate;
            d.expectedCloseDate = e.expectedCloseDate();
            if (previous != null && LocalDate.parse(e.expectedCloseDate()).isAfter(LocalDate.parse(previous))) {
                d.slips++;
                if (d.slips >= s.slippageAlertFrom()) {
                    slippageAlert(d, previous, t);
                }
            }
        }
        switch (type) {
            case STAGE_CHANGED -> {
                int target = s.stageIndex(e.stage());
                if (target >= 0 && target != d.stage) {
                    long spent = t - d.stageEnteredAt;
                    d.timeInStage[d.stage] += spent;
                    dealFact(FactKind.STAGE_EXIT, d, t, null, spent, stageName(d.stage), target > d.stage);
                    update(
                            "DEAL_STAGE",
                            d,
                            stageName(d.stage),
                            stageName(target),
                            t,
                            spent,
                            d.timeInStage[d.stage],
                            target > d.stage,
                            e);
                    d.stage = target;
                    d.stageEnteredAt = t;
                    activity(d, t, type.name());
                }
                store.putDeal(d);
            }
            case CLOSED_WON, CLOSED_LOST -> close(d, type, t, e);
            default -> store.putDeal(d);
        }
        KpiFact openAfter = type.isTerminal() ? null : open(d, t, 1);
        if (openAfter != null) {
            d.weighted = openAfter.weighted();
            store.putDeal(d);
        }
        if (!sameOpen(openBefore, openAfter)) {
            out.fact(moved(openBefore, openAfter, d, type, t));
            if (openBefore != null
                    && openAfter != null
                    && !openBefore.category().equals(openAfter.category())) {
                update(
                        "DEAL_FORECAST_CATEGORY",
                        d,
                        openBefore.category(),
                        openAfter.category(),
                        t,
                        null,
                        null,
                        null,
                        e);
            }
        }
        recomputeDealWakeUps();
    }

    private void close(DealState d, DealEventType type, long t, Event e) throws Exception {
        long spent = t - d.stageEnteredAt;
        d.timeInStage[d.stage] += spent;
        boolean won = type == DealEventType.CLOSED_WON;
        dealFact(FactKind.STAGE_EXIT, d, t, null, spent, stageName(d.stage), won);
        dealFact(
                won ? FactKind.DEAL_WON : FactKind.DEAL_LOST,
                d,
                t,
                won ? d.amount : null,
                d.adopted ? -1 : t - d.createdAt,
                null,
                false);
        update(
                "DEAL_STAGE",
                d,
                stageName(d.stage),
                type.name(),
                t,
                spent,
                d.timeInStage[d.stage],
                type == DealEventType.CLOSED_WON,
                e);
        String dealType = d.dealType == null ? DealType.NEW_BUSINESS.wireName() : d.dealType;
        BigDecimal before = a.arr;
        String segmentBefore = a.arrSegment;
        BigDecimal amount = d.amount == null ? BigDecimal.ZERO : d.amount;
        if (won && DealType.NEW_BUSINESS.wireName().equals(dealType)) {
            attribute(d, amount, t);
        }
        if (won && DealType.NEW_BUSINESS.wireName().equals(dealType) && a.firstNewBusinessWonAt == null) {
            a.firstNewBusinessWonAt = t;
            funnel(FactKind.NEW_CUSTOMER, t, -1);
        }
        if (type == DealEventType.CLOSED_WON) {
            a.arr = switch (DealType.parse(dealType)) {
                case NEW_BUSINESS, EXPANSION -> a.arr.add(amount);
                case RENEWAL -> amount;
                case CONTRACTION -> a.arr.subtract(amount).max(BigDecimal.ZERO);
            };
            if (d.segment != null) {
                a.arrSegment = d.segment;
            }
        } else if (DealType.RENEWAL.wireName().equals(dealType)) {
            a.arr = BigDecimal.ZERO;
        }
        if (before.signum() <= 0 && a.arr.signum() > 0) {
            a.customerSince = t;
        }
        arrFacts(before, segmentBefore, dealType, won, t);
        if (a.arr.signum() == 0) {
            a.customerSince = null;
        }
        if (before.signum() <= 0 && a.arr.signum() > 0) {
            setLifecycle("customer", t, e);
        } else if (before.signum() > 0 && a.arr.signum() == 0) {
            setLifecycle("churned", t, e);
        }
        store.putDeal(DealState.tombstone(d.dealId, type.name(), t));
        long expiry = t + s.tombstoneMillis();
        a.nextTombstoneExpiry = a.nextTombstoneExpiry == null ? expiry : Math.min(a.nextTombstoneExpiry, expiry);
    }

    // ---- attribution -----------------------------------------------------------------------------

    /** Credits a won new-business deal to the account's touches by every model. */
    private void attribute(DealState d, BigDecimal amount, long t) throws Exception {
        Touch lead = a.leadMarkerSeen ? a.leadTouch : a.firstFormTouch;
        long from = d.createdAt - s.attribution().windowMillis();
        List<Touch> credited = new ArrayList<>();
        for (Touch touch : store.touches()) {
            if (touch.at >= from && touch.at <= t) {
                credited.add(touch);
            }
        }
        if (lead != null
                && credited.stream()
                        .noneMatch(x ->
                                x.at == lead.at && x.source.equals(lead.source) && x.eventId.equals(lead.eventId))) {
            credited.add(lead);
        }
        BigDecimal dealAmount = amount.setScale(2, RoundingMode.HALF_EVEN);
        for (Credit c : Attribution.credit(amount, credited, lead, d.createdAt, t, s.attribution())) {
            BigDecimal credit = BigDecimal.valueOf(c.cents(), 2);
            Touch x = c.touch();
            String id = UUID.nameUUIDFromBytes(
                            (d.dealId + "|" + c.model() + "|" + (x == null ? "" : x.source + "|" + x.eventId))
                                    .getBytes(StandardCharsets.UTF_8))
                    .toString();
            if (s.asOf() == null || t <= s.asOf()) {
                out.attribution(new AttributionRecord(
                        id,
                        accountId,
                        d.dealId,
                        c.model().name(),
                        t,
                        dealAmount,
                        x == null ? null : x.at,
                        x == null ? null : x.source,
                        x == null ? null : x.eventId,
                        x == null ? null : x.type,
                        c.channel(),
                        credit));
            }
            out.fact(new KpiFact(
                    FactKind.ATTRIBUTED,
                    t,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    c.model().name(),
                    c.channel(),
                    c.cents(),
                    credit,
                    null,
                    0,
                    false,
                    accountId,
                    d.dealId,
                    null,
                    -1));
        }
    }

    /** Counts a touch added; past the cap and a tenth, drops the oldest down to the cap (amortized O(1)). */
    private void countTouch() throws Exception {
        if (a.touchCount == null) {
            int n = 0;
            for (Touch ignored : store.touches()) {
                n++;
            }
            a.touchCount = n; // once, for state from before touches were counted
        } else {
            a.touchCount++;
        }
        if (a.touchCount <= Attribution.MAX_TOUCHES + Attribution.MAX_TOUCHES / 10) {
            return;
        }
        List<Long> times = new ArrayList<>(a.touchCount);
        for (Touch touch : store.touches()) {
            times.add(touch.at);
        }
        times.sort(null);
        long keepFrom = times.get(times.size() - Attribution.MAX_TOUCHES); // touches at one instant go together
        int dropped = 0;
        while (times.get(dropped) < keepFrom) {
            dropped++;
        }
        store.removeTouchesBefore(keepFrom);
        a.oldestTouchAt = keepFrom;
        a.touchCount = times.size() - dropped;
        a.touchesDropped += dropped;
        out.touchesDropped(dropped);
    }

    /** Forgets touches no deal can be credited with any more. */
    private void pruneTouches(long t) throws Exception {
        if (a.oldestTouchAt == null || a.oldestTouchAt + s.attribution().windowMillis() >= t) {
            return;
        }
        long keepFrom = t - s.attribution().windowMillis();
        for (DealState d : store.openDeals()) {
            if (d.dealType == null || DealType.NEW_BUSINESS.wireName().equals(d.dealType)) {
                keepFrom = Math.min(keepFrom, d.createdAt - s.attribution().windowMillis());
            }
        }
        if (keepFrom <= a.oldestTouchAt) {
            return; // an open deal keeps them all: nothing to read or remove
        }
        store.removeTouchesBefore(keepFrom);
        Long oldest = null;
        int n = 0;
        for (Touch touch : store.touches()) {
            oldest = oldest == null ? touch.at : Math.min(oldest, touch.at);
            n++;
        }
        a.oldestTouchAt = oldest;
        a.touchCount = n;
    }

    // ---- KPI facts -----------------------------------------------------------------------------

    private void funnel(FactKind kind, long t, long since) {
        out.fact(new KpiFact(
                kind, t, null, null, null, null, null, null, null, null, 1, null, null, 0, false, accountId, null, null,
                since));
    }

    private void dealFact(
            FactKind kind, DealState d, long t, BigDecimal amount, long millis, String stage, boolean forward) {
        out.fact(new KpiFact(
                kind,
                t,
                null,
                null,
                d.segment,
                d.region,
                d.ownerId,
                dealTypeOf(d),
                stage,
                null,
                1,
                amount,
                null,
                millis,
                forward,
                accountId,
                d.dealId,
                null,
                -1));
    }

    /**
     * The open-pipeline contribution of a deal ({@code sign} -1 to take it away), under its values: what a
     * DEAL_MOVED fact says of it before and after (the KPIs take both from that one fact).
     */
    private KpiFact open(DealState d, long t, int sign) {
        BigDecimal amount = d.amount == null ? BigDecimal.ZERO : d.amount;
        // taken out as it was put in: the stage's probability may have been configured otherwise since
        BigDecimal weighted = sign < 0 && d.weighted != null
                ? d.weighted
                : amount.multiply(BigDecimal.valueOf(s.stages().get(d.stage).winProbability()));
        BigDecimal k = BigDecimal.valueOf(sign);
        return new KpiFact(
                        FactKind.OPEN,
                        t,
                        null,
                        null,
                        d.segment,
                        d.region,
                        d.ownerId,
                        dealTypeOf(d),
                        stageName(d.stage),
                        null,
                        sign,
                        amount.multiply(k),
                        weighted.multiply(k),
                        0,
                        false,
                        accountId,
                        d.dealId,
                        d.expectedCloseDate,
                        -1)
                .with(categoryOf(d), null);
    }

    /**
     * How the deal moved in the pipeline: its open contribution before (or null) and after (or null), and
     * what the forecast learns from (its stage's probability, time in stage, slips, creation).
     */
    private KpiFact moved(KpiFact before, KpiFact after, DealState d, DealEventType type, long t) {
        KpiFact now = after != null ? after : before;
        boolean won = type == DealEventType.CLOSED_WON;
        DealMove move = new DealMove(
                before != null,
                before == null ? null : before.stage(),
                before == null ? null : before.amount().negate(),
                before == null ? null : before.weighted().negate(),
                before == null ? null : before.category(),
                before == null ? null : before.expectedCloseDate(),
                before == null ? null : before.segment(),
                before == null ? null : before.region(),
                before == null ? null : before.ownerId(),
                before == null ? null : before.dealType(),
                after != null,
                won ? "won" : type == DealEventType.CLOSED_LOST ? "lost" : null,
                false,
                d.stage >= 0 ? s.stages().get(d.stage).winProbability() : 0,
                d.stageEnteredAt,
                d.slips,
                d.createdAt);
        return new KpiFact(
                        FactKind.DEAL_MOVED,
                        t,
                        null,
                        null,
                        now.segment(),
                        now.region(),
                        now.ownerId(),
                        now.dealType(),
                        now.stage(),
                        null,
                        1,
                        after != null ? after.amount() : won ? d.amount : null, // won: the amount won
                        after == null ? null : after.weighted(),
                        0,
                        false,
                        now.accountId(),
                        now.dealId(),
                        after == null ? null : after.expectedCloseDate(),
                        -1)
                .with(now.category(), move);
    }

    /** A deal's forecast category: the one its source sent, else its stage's. */
    private String categoryOf(DealState d) {
        return d.forecastCategory != null
                ? d.forecastCategory
                : s.stages().get(d.stage).forecastCategory();
    }

    private static boolean sameOpen(KpiFact before, KpiFact after) {
        if (before == null || after == null) {
            return before == after;
        }
        return Objects.equals(before.segment(), after.segment())
                && Objects.equals(before.region(), after.region())
                && Objects.equals(before.ownerId(), after.ownerId())
                && before.dealType().equals(after.dealType())
                && before.stage().equals(after.stage())
                && before.amount().negate().compareTo(after.amount()) == 0
                && Objects.equals(before.expectedCloseDate(), after.expectedCloseDate())
                && Objects.equals(before.category(), after.category());
    }

    private static String dealTypeOf(DealState d) {
        return d.dealType == null ? DealType.NEW_BUSINESS.wireName() : d.dealType;
    }

    /** ARR levels per segment (moving the account when its segment changes) and the classified change. */
    private void arrFacts(BigDecimal before, String segmentBefore, String dealType, boolean won, long t) {
        BigDecimal after = a.arr;
        String segmentAfter = a.arrSegment;
        int customersBefore = before.signum() > 0 ? 1 : 0;
        int customersAfter = after.signum() > 0 ? 1 : 0;
        if (Objects.equals(segmentBefore, segmentAfter)) {
            if (after.compareTo(before) != 0 || customersAfter != customersBefore) {
                out.fact(arrLevel(segmentAfter, after.subtract(before), customersAfter - customersBefore, t));
            }
        } else {
            if (before.signum() != 0 || customersBefore != 0) {
                out.fact(arrLevel(segmentBefore, before.negate(), -customersBefore, t));
            }
            out.fact(arrLevel(segmentAfter, after, customersAfter, t));
        }
        int cmp = after.compareTo(before);
        if (cmp == 0) {
            return;
        }
        String kind = cmp > 0
                ? (won && DealType.NEW_BUSINESS.wireName().equals(dealType) ? "new" : "expansion")
                : (after.signum() == 0 ? "churn" : "contraction");
        out.fact(new KpiFact(
                FactKind.ARR_FLOW,
                t,
                null,
                null,
                segmentAfter,
                null,
                null,
                null,
                kind,
                null,
                0,
                after.subtract(before).abs(),
                null,
                0,
                false,
                accountId,
                null,
                null,
                a.customerSince == null ? -1 : a.customerSince));
        // the account's ARR as it now stands, for retention; stage names the segment it left
        out.fact(new KpiFact(
                FactKind.ARR_ACCOUNT,
                t,
                null,
                null,
                segmentAfter,
                null,
                null,
                null,
                Objects.equals(segmentBefore, segmentAfter) ? null : segmentBefore,
                null,
                0,
                after,
                null,
                0,
                false,
                accountId,
                null,
                null,
                -1));
    }

    private KpiFact arrLevel(String segment, BigDecimal delta, int customers, long t) {
        return new KpiFact(
                FactKind.ARR_LEVEL,
                t,
                null,
                null,
                segment,
                null,
                null,
                null,
                null,
                null,
                customers,
                delta,
                null,
                0,
                false,
                accountId,
                null,
                null,
                -1);
    }

    private void activity(DealState d, long t, String what) {
        d.lastActivityAt = t;
        d.lastActivity = what;
        d.stallAlerted = false;
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    private void advanceLifecycle(String to, long t, Event cause) {
        int current = a.lifecycle == null ? -1 : LIFECYCLE.indexOf(a.lifecycle);
        if (LIFECYCLE.indexOf(to) > current) {
            setLifecycle(to, t, cause);
        }
    }

    private void setLifecycle(String to, long t, Event cause) {
        if (to.equals(a.lifecycle)) {
            return;
        }
        String from = a.lifecycle;
        Long spent = from == null ? null : t - a.lifecycleSince;
        a.lifecycle = to;
        a.lifecycleSince = t;
        emitUpdate(new JourneyUpdate(
                updateId("LIFECYCLE", null, to, t),
                "LIFECYCLE",
                accountId,
                null,
                from,
                to,
                t,
                spent,
                null,
                null,
                false,
                null,
                null,
                a.ownerId,
                a.segment,
                a.region,
                cause.source(),
                cause.eventId()));
    }

    // ---- time ----------------------------------------------------------------------------------

    /** Forgets closed deals whose tombstone has expired at {@code t}. */
    public void expireTombstones(long t) throws Exception {
        if (a.nextTombstoneExpiry == null || a.nextTombstoneExpiry > t) {
            return;
        }
        List<String> expired = new ArrayList<>();
        Long next = null;
        for (DealState d : store.closedDeals()) {
            long expiry = d.closedAt + s.tombstoneMillis();
            if (expiry <= t) {
                expired.add(d.dealId);
            } else {
                next = next == null ? expiry : Math.min(next, expiry);
            }
        }
        for (String id : expired) {
            store.removeDeal(id);
        }
        a.nextTombstoneExpiry = next;
    }

    /** Lets time pass up to {@code t}: deadlines and day boundaries at or before it fire, old signals go. */
    public void advanceTo(long t) throws Exception {
        if (a.leadDeadline != null && a.leadDeadline <= t) {
            leadAlert(a.leadDeadline);
            a.leadDeadline = null;
        }
        if (a.nextStallCheck != null && a.nextStallCheck <= t) {
            for (DealState d : store.openDeals()) {
                if (!d.stallAlerted && stallDeadline(d) <= t) {
                    stallAlert(d, stallDeadline(d));
                    d.stallAlerted = true;
                    store.putDeal(d);
                }
            }
            recomputeDealWakeUps();
        }
        while (a.nextDayBoundary != null && a.nextDayBoundary <= t) {
            long boundary = a.nextDayBoundary;
            evaluateHealth(boundary);
            a.nextDayBoundary = null;
            schedule(boundary);
        }
        pruneSignals(t);
        pruneTouches(t);
        schedule(t);
    }

    /**
     * The earliest instant after {@code t} at which something is due, or null. A candidate at or
     * before t is passed over: touches an open deal still needs outlive their expiry, and such a
     * stale time must not hide the deadlines after it.
     */
    public Long nextWakeUp(long t) {
        Long w = null;
        for (Long c : new Long[] {
            a.leadDeadline,
            a.nextStallCheck,
            a.nextDayBoundary,
            a.nextTombstoneExpiry,
            // state cleaning: one wake-up when the newest signal or touch expires (older ones go at any firing before)
            a.oldestSignalAt == null
                    ? null
                    : (a.newestSignalAt == null ? a.oldestSignalAt : a.newestSignalAt)
                            + s.health().retentionMillis()
                            + 1,
            touchExpiry()
        }) {
            if (c != null && c > t && (w == null || c < w)) {
                w = c;
            }
        }
        return w;
    }

    /** When the newest touch leaves the attribution window (an open deal may still keep older ones). */
    private Long touchExpiry() {
        if (a.oldestTouchAt == null) {
            return null;
        }
        long newest = a.lastTouch == null ? a.oldestTouchAt : Math.max(a.oldestTouchAt, a.lastTouch.at);
        return newest + s.attribution().windowMillis() + 1;
    }

    /**
     * Plans the next day boundary at which the health score is evaluated: it matters while a signal
     * can still change the score, or to re-arm a disarmed alert. The score moves only where a signal
     * leaves a window, so between two such edges every midnight finds the same score: the boundary
     * is the first midnight after an edge at which the score would fire the alert (or re-arm it).
     * A customer wakes up when something is to be said, not every day; a new signal plans anew.
     */
    private void schedule(long t) throws Exception {
        if (!a.isCustomer() || a.oldestSignalAt == null && a.churnArmed) {
            return;
        }
        if (a.nextDayBoundary != null && a.nextDayBoundary <= t) {
            return; // due: advanceTo evaluates it and plans the next
        }
        boolean nonePlanned = a.nextDayBoundary == null;
        if (nonePlanned && t >= quietFrom && quietSignals == signalChanges && quietArmed == a.churnArmed) {
            return;
        }
        Iterable<Map.Entry<Long, HealthBucket>> signals = store.signals();
        if (nonePlanned
                && a.churnArmed
                && HealthScore.lowestFrom(t, signals, s.health()) >= s.health().churnBelow()) {
            quiet(t); // the score cannot fall under the threshold without a new signal: nothing to search
            return;
        }
        long from = t;
        long[] edges = null; // sorted once the walk goes past its first step (most calls stop there)
        while (true) {
            long change =
                    edges == null ? HealthScore.nextChange(from, signals, s.health()) : WindowEdges.after(edges, from);
            if (change == Long.MAX_VALUE) {
                if (nonePlanned) {
                    quiet(t);
                }
                return;
            }
            long boundary = nextMidnight(Math.max(t, change - 1));
            if (a.nextDayBoundary != null && boundary >= a.nextDayBoundary) {
                return; // planned already, as early
            }
            int score = HealthScore.scoreAt(boundary, signals, s.health());
            if (a.churnArmed
                    ? score < s.health().churnBelow()
                    : score >= s.health().rearmAt()) {
                a.nextDayBoundary = boundary;
                return;
            }
            from = boundary; // nothing to say at this boundary: the next edge after it
            if (edges == null) {
                edges = WindowEdges.all(signals, s.health().windowEdges());
            }
        }
    }

    private void quiet(long t) {
        quietFrom = t;
        quietSignals = signalChanges;
        quietArmed = a.churnArmed;
    }

    private long nextMidnight(long t) {
        LocalDate day = Instant.ofEpochMilli(t).atZone(s.zone()).toLocalDate();
        long midnight = day.atStartOfDay(s.zone()).toInstant().toEpochMilli();
        return midnight > t
                ? midnight
                : day.plusDays(1).atStartOfDay(s.zone()).toInstant().toEpochMilli();
    }

    private void pruneSignals(long t) throws Exception {
        if (a.oldestSignalAt == null || a.oldestSignalAt + s.health().retentionMillis() >= t) {
            return;
        }
        long keepAfter = t - s.health().retentionMillis();
        List<Long> old = new ArrayList<>();
        Long oldest = null;
        for (Map.Entry<Long, HealthBucket> e : store.signals()) {
            if (e.getKey() < keepAfter) {
                old.add(e.getKey());
            } else if (oldest == null || e.getKey() < oldest) {
                oldest = e.getKey();
            }
        }
        for (Long at : old) {
            store.removeSignal(at);
            signalChanges++;
        }
        a.oldestSignalAt = oldest;
        if (oldest == null) {
            a.newestSignalAt = null;
        }
    }

    /** The next stall check, from the open deals (a tombstone's expiry is set when its deal closes). */
    private void recomputeDealWakeUps() throws Exception {
        Long stall = null;
        for (DealState d : store.openDeals()) {
            if (!d.stallAlerted) {
                long deadline = stallDeadline(d);
                stall = stall == null ? deadline : Math.min(stall, deadline);
            }
        }
        a.nextStallCheck = stall;
    }

    private long stallDeadline(DealState d) {
        return d.lastActivityAt + s.stallSla(d.stage, d.segment);
    }

    // ---- health --------------------------------------------------------------------------------

    private void evaluateHealth(long t) throws Exception {
        if (!a.isCustomer()) {
            return;
        }
        int score = HealthScore.scoreAt(t, store.signals(), s.health());
        if (a.churnArmed && score < s.health().churnBelow()) {
            a.churnArmed = false;
            churnAlert(HealthScore.at(t, store.signals(), s.health()), t);
        } else if (!a.churnArmed && score >= s.health().rearmAt()) {
            a.churnArmed = true;
        }
    }

    // ---- alerts --------------------------------------------------------------------------------

    private void stallAlert(DealState d, long at) {
        long sla = s.stallSla(d.stage, d.segment);
        String stage = stageName(d.stage);
        boolean critical = d.stage >= s.stageIndex(s.criticalStage()) && s.stageIndex(s.criticalStage()) >= 0
                || d.amount != null && d.amount.doubleValue() >= s.criticalAmount();
        String reason = String.format(
                "Deal %s of %s (%s) has had no activity in %s for %s, since %s on %s; the stall SLA of %s is %s.",
                d.dealId,
                accountId,
                money(d.amount),
                stage,
                Durations.fractionalDays(at - d.lastActivityAt),
                d.lastActivity,
                Instant.ofEpochMilli(d.lastActivityAt),
                stage,
                Durations.days(sla));
        emitAlert(new Alert(
                Alert.id(AlertType.STALLED_DEAL, accountId, d.dealId, at),
                AlertType.STALLED_DEAL,
                critical ? Severity.CRITICAL : Severity.WARNING,
                accountId,
                d.dealId,
                d.ownerId != null ? d.ownerId : a.ownerId,
                at,
                reason,
                d.amount,
                stage,
                at - d.lastActivityAt,
                d.lastActivity,
                d.lastActivityAt,
                "no activity within the stall SLA of " + stage,
                Durations.days(sla),
                null,
                null,
                d.segment,
                d.region));
    }

    private void leadAlert(long at) {
        long waited = at - a.firstMqlAt;
        String reason = String.format(
                "%s became an MQL on %s and has had no sales touch for %s; the hand-off SLA is %s.",
                accountId,
                Instant.ofEpochMilli(a.firstMqlAt),
                Durations.fractionalDays(waited),
                Durations.days(waited));
        emitAlert(new Alert(
                Alert.id(AlertType.LEAD_SLA_BREACH, accountId, null, at),
                AlertType.LEAD_SLA_BREACH,
                Severity.WARNING,
                accountId,
                null,
                a.mqlOwnerId != null ? a.mqlOwnerId : a.ownerId,
                at,
                reason,
                null,
                a.lifecycle,
                waited,
                "MQL",
                a.firstMqlAt,
                "a sales touch (email, call, meeting, demo) within the hand-off SLA after the first MQL",
                s.businessCalendar() == null
                        ? Durations.days(s.leadSlaMillis())
                        : Durations.days(s.leadSlaMillis()) + " of business hours",
                null,
                null,
                a.segment,
                a.region));
    }

    private void slippageAlert(DealState d, String previous, long at) {
        Severity sev = d.slips >= s.slippageWarningFrom() ? Severity.WARNING : Severity.INFO;
        String reason = String.format(
                "Deal %s of %s (%s) slipped its expected close date from %s to %s: slip number %d.",
                d.dealId, accountId, money(d.amount), previous, d.expectedCloseDate, d.slips);
        emitAlert(new Alert(
                Alert.id(AlertType.DEAL_SLIPPAGE, accountId, d.dealId, at),
                AlertType.DEAL_SLIPPAGE,
                sev,
                accountId,
                d.dealId,
                d.ownerId != null ? d.ownerId : a.ownerId,
                at,
                reason,
                d.amount,
                stageName(d.stage),
                0,
                d.lastActivity,
                d.lastActivityAt,
                "expected close date moved later",
                ordinal(s.slippageAlertFrom()) + " slip",
                null,
                previous + " -> " + d.expectedCloseDate + " (slip " + d.slips + ")",
                d.segment,
                d.region));
    }

    private void churnAlert(HealthScore h, long at) {
        Severity sev = h.score() < s.health().criticalBelow() ? Severity.CRITICAL : Severity.WARNING;
        String reason = String.format(
                "Customer %s (ARR %s) has a health score of %d, under %d: %s.",
                accountId, money(a.arr), h.score(), s.health().churnBelow(), String.join("; ", h.signals()));
        emitAlert(new Alert(
                Alert.id(AlertType.CHURN_RISK, accountId, null, at),
                AlertType.CHURN_RISK,
                sev,
                accountId,
                null,
                a.ownerId,
                at,
                reason,
                a.arr,
                a.lifecycle,
                0,
                a.lastActivity,
                a.lastActivityAt,
                "health score below " + s.health().churnBelow(),
                Integer.toString(s.health().churnBelow()),
                h.score(),
                String.join("; ", h.signals()),
                a.arrSegment,
                a.region));
    }

    private void emitAlert(Alert alert) {
        if (s.asOf() == null || alert.triggeredAt() <= s.asOf()) {
            out.alert(alert);
        }
    }

    private void update(
            String kind,
            DealState d,
            String from,
            String to,
            long t,
            Long spent,
            Long cumulative,
            Boolean forward,
            Event cause) {
        emitUpdate(new JourneyUpdate(
                updateId(kind, d.dealId, to, t),
                kind,
                accountId,
                d.dealId,
                from,
                to,
                t,
                spent,
                cumulative,
                forward,
                from == null && d.adopted,
                d.dealType == null ? DealType.NEW_BUSINESS.wireName() : d.dealType,
                d.amount,
                d.ownerId,
                d.segment,
                d.region,
                cause.source(),
                cause.eventId()));
    }

    private void emitUpdate(JourneyUpdate u) {
        if (s.asOf() == null || u.at() <= s.asOf()) {
            out.update(u);
        }
    }

    private String updateId(String kind, String dealId, String to, long t) {
        String name = kind + "|" + accountId + "|" + (dealId == null ? "" : dealId) + "|" + to + "|" + t;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String stageName(int index) {
        return index >= 0 ? s.stages().get(index).name() : null;
    }

    private static String money(BigDecimal amount) {
        return amount == null ? "no amount" : String.format(Locale.ROOT, "%,.2f", amount);
    }

    private static String ordinal(int n) {
        return n
                + (n % 100 >= 11 && n % 100 <= 13
                        ? "th"
                        : switch (n % 10) {
                            case 1 -> "st";
                            case 2 -> "nd";
                            case 3 -> "rd";
                            default -> "th";
                        });
    }
}
