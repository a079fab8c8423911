package dev.revstream.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns from a company's deals, in event time, what the forecast of a period needs: how often deals
 * like each open one won before a period ended ({@link WinRates}), and how much was won in a period
 * by deals created in it (the part of a period's revenue that no open deal foretells).
 *
 * <p>At every {@code step} start (a month start for monthly and quarterly forecasts) it takes the
 * deals open then as examples, each resolved a period later: won before then or not. The first step is
 * the first at or after the learner's first instant. It assumes the caller {@link #advance advances}
 * it to an event's time before applying the event, in time order; a step start at the same instant as
 * an event sees the state before it.
 *
 * <p>State ({@link LearnerStore}): the open deals, each open deal's examples not resolved yet, and
 * {@link LearnerState}: the periods not ended (a period's worth of steps), the counts per group, and
 * the won amounts of deals created and won within a period for the periods that ended within {@code
 * historyMillis}. A deal's books go when it closes or leaves.
 */
public final class ForecastLearner {
    private final Period period;
    private final Period step;
    private final long historyMillis;
    private final double strength;
    private final LearnerStore store;

    /**
     * @param period the forecast's period: {@code endOf(t)} of any instant is t plus one period
     * @param step how often examples are taken (a month)
     * @param historyMillis how far back the figures of deals created and won within a period count
     * @param strength the weight of the prior in deals ({@link WinRates})
     */
    public ForecastLearner(Period period, Period step, long historyMillis, double strength, LearnerStore store) {
        this.period = period;
        this.step = step;
        this.historyMillis = historyMillis;
        this.strength = strength;
        this.store = store;
    }

    /** In memory: for the backtest and tests. */
    public ForecastLearner(Period period, Period step, long historyMillis, double strength) {
        this(period, step, historyMillis, strength, new MemoryLearnerStore());
    }

    /** Whether the learner has seen its first instant. */
    public boolean started() throws Exception {
        return store.state() != null;
    }

    /** Takes the examples of every step start up to {@code t}, and resolves those whose period ended by then. */
    public void advance(long t) throws Exception {
        LearnerState st = store.state();
        if (st == null) {
            st = new LearnerState();
            st.nextStep = step.startOf(t) == t ? t : step.endOf(step.startOf(t));
        }
        boolean changed = store.state() == null;
        while (true) {
            long s = st.nextStep;
            LearnerState.Batch first = st.pending.isEmpty() ? null : st.pending.get(0);
            if (first != null && first.end <= Math.min(s, t)) {
                resolve(st, st.pending.remove(0));
            } else if (s <= t) {
                expose(st, s);
                st.nextStep = step.endOf(s);
            } else {
                break;
            }
            changed = true;
        }
        if (changed) {
            store.putState(st);
        }
    }

    /** The deals open at {@code s} become examples of the period starting there. */
    private void expose(LearnerState st, long s) throws Exception {
        LearnerState.Batch b = new LearnerState.Batch(s, period.endOf(s));
        Set<String> pendingStarts = new HashSet<>();
        for (LearnerState.Batch p : st.pending) {
            pendingStarts.add(Long.toString(p.start));
        }
        List<ForecastDeal> open = new ArrayList<>();
        store.deals().values().forEach(open::add);
        for (ForecastDeal d : open) {
            String group = WinRates.groupOf(d, s, b.end);
            b.exposed.merge(group, 1L, Long::sum);
            List<String> kept = new ArrayList<>();
            List<String> before = store.exposures().get(d.dealId());
            if (before != null) {
                for (String e : before) {
                    if (pendingStarts.contains(e.substring(0, e.indexOf('|')))) {
                        kept.add(e); // resolved ones go
                    }
                }
            }
            kept.add(s + "|" + group);
            store.exposures().put(d.dealId(), kept);
        }
        st.pending.add(b);
    }

    private void resolve(LearnerState st, LearnerState.Batch b) {
        WinRates rates = new WinRates(strength, st.rates);
        for (Map.Entry<String, Long> e : b.exposed.entrySet()) {
            rates.add(e.getKey(), e.getValue(), b.wins.getOrDefault(e.getKey(), 0L));
        }
        st.newWonEnds.add(b.end);
        st.newWonCents.add(b.newWonCents);
        while (!st.newWonEnds.isEmpty() && st.newWonEnds.get(0) < b.end - historyMillis) {
            st.newWonEnds.remove(0);
            st.newWonCents.remove(0);
        }
    }

    /** A deal was created or changed at {@code at}, or came to this learner's deals: how it looks now. */
    public void open(ForecastDeal d) throws Exception {
        store.deals().put(d.dealId(), d);
    }

    /** An open deal closed won at {@code at} (advance to it first). */
    public void won(String dealId, BigDecimal amount, long at) throws Exception {
        ForecastDeal d = store.deals().get(dealId);
        LearnerState st = store.state();
        if (d == null || st == null) {
            close(dealId);
            return;
        }
        List<String> exposures = store.exposures().get(dealId);
        for (LearnerState.Batch b : st.pending) {
            if (at >= b.end) {
                continue;
            }
            if (exposures != null) {
                String prefix = b.start + "|";
                for (String e : exposures) {
                    if (e.startsWith(prefix)) {
                        b.wins.merge(e.substring(prefix.length()), 1L, Long::sum);
                    }
                }
            }
            if (d.createdAt() >= b.start) {
                b.newWonCents += cents(amount);
            }
        }
        store.putState(st);
        close(dealId);
    }

    /** An open deal closed lost, or left this learner's deals (another owner, segment, ...). */
    public void close(String dealId) throws Exception {
        store.deals().remove(dealId);
        store.exposures().remove(dealId);
    }

    /** The deals open now. */
    public List<ForecastDeal> openDeals() throws Exception {
        List<ForecastDeal> out = new ArrayList<>();
        store.deals().values().forEach(out::add);
        return out;
    }

    /** The win rates learned so far. */
    public WinRates rates() throws Exception {
        LearnerState st = store.state();
        return new WinRates(strength, st == null ? new java.util.HashMap<>() : st.rates);
    }

    /** The won amount of deals created and won within one period, for each period that ended within the history. */
    public List<BigDecimal> newWonHistory() throws Exception {
        LearnerState st = store.state();
        List<BigDecimal> out = new ArrayList<>();
        if (st != null) {
            for (long c : st.newWonCents) {
                out.add(BigDecimal.valueOf(c, 2));
            }
        }
        return out;
    }

    /** The forecast of the period starting at {@code start} from the deals open now (advance to it first). */
    public Forecast forecast(long start) throws Exception {
        return Forecast.of(openDeals(), start, period.endOf(start), rates(), newWonHistory());
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
