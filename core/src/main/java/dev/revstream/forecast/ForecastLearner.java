package dev.revstream.forecast;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns from a company's deals, in event time, what the forecast of a period needs: how often deals
 * like each open one won before a period ended ({@link WinRates}), and how much was won in a period
 * by deals created in it (the part of a period's revenue that no open deal foretells).
 *
 * <p>At every {@code step} start (a month start for monthly and quarterly forecasts) it takes the
 * deals open then as examples, each resolved a period later: won before then or not. It assumes the
 * caller {@link #advance advances} it to an event's time before applying the event, in time order;
 * a step start at the same instant as an event sees the state before it.
 *
 * <p>State: the open deals, the examples not yet resolved (a period's worth of step starts), and the
 * figures of deals created and won within a period for the windows that ended within {@code
 * historyMillis}.
 */
public final class ForecastLearner {
    private final Period period;
    private final Period step;
    private final long historyMillis;
    private final WinRates rates;
    private final Map<String, ForecastDeal> open = new LinkedHashMap<>();
    private final Map<String, Long> createdAt = new HashMap<>();
    private final Deque<Batch> pending = new ArrayDeque<>();
    private final Deque<long[]> resolvedNew = new ArrayDeque<>(); // {end, cents}
    private Long nextStep;

    /** The deals open at a step start, and what was created and won after it, until its period ends. */
    private static final class Batch {
        final long start;
        final long end;
        final List<ForecastDeal> deals;
        final Map<String, Boolean> won = new HashMap<>();
        BigDecimal newWon = BigDecimal.ZERO;

        Batch(long start, long end, List<ForecastDeal> deals) {
            this.start = start;
            this.end = end;
            this.deals = deals;
        }
    }

    /**
     * @param period the forecast's period: {@code endOf(t)} of any instant is t plus one period
     * @param step how often examples are taken (a month)
     * @param historyMillis how far back the figures of deals created and won within a period count
     * @param strength the weight of the prior in deals ({@link WinRates})
     */
    public ForecastLearner(Period period, Period step, long historyMillis, double strength) {
        this.period = period;
        this.step = step;
        this.historyMillis = historyMillis;
        this.rates = new WinRates(strength);
    }

    /** Takes the examples of every step start up to {@code t}, and resolves those whose period ended by then. */
    public void advance(long t) {
        if (nextStep == null) {
            nextStep = step.startOf(t) == t ? t : step.endOf(step.startOf(t));
        }
        while (true) {
            long s = nextStep;
            Batch first = pending.peekFirst();
            if (first != null && first.end <= Math.min(s, t)) {
                resolve(pending.removeFirst());
            } else if (s <= t) {
                pending.addLast(new Batch(s, period.endOf(s), new ArrayList<>(open.values())));
                nextStep = step.endOf(s);
            } else {
                break;
            }
        }
    }

    private void resolve(Batch b) {
        for (ForecastDeal d : b.deals) {
            rates.add(d, b.start, b.end, b.won.containsKey(d.dealId()));
        }
        resolvedNew.addLast(new long[] {b.end, cents(b.newWon)});
        while (!resolvedNew.isEmpty() && resolvedNew.peekFirst()[0] < b.end - historyMillis) {
            resolvedNew.removeFirst();
        }
    }

    /** A deal was created or changed at {@code at}: how it looks now. */
    public void open(ForecastDeal d, long at) {
        open.put(d.dealId(), d);
        createdAt.putIfAbsent(d.dealId(), at);
    }

    /** An open deal closed won at {@code at}. */
    public void won(String dealId, BigDecimal amount, long at) {
        Long created = createdAt.get(dealId);
        for (Batch b : pending) {
            if (at < b.end) {
                b.won.put(dealId, true);
                if (created != null && created >= b.start) {
                    b.newWon = b.newWon.add(amount);
                }
            }
        }
        close(dealId);
    }

    /** An open deal closed lost. */
    public void lost(String dealId) {
        close(dealId);
    }

    private void close(String dealId) {
        open.remove(dealId);
        createdAt.remove(dealId);
    }

    /** The deals open now. */
    public Collection<ForecastDeal> openDeals() {
        return open.values();
    }

    public WinRates rates() {
        return rates;
    }

    /** The won amount of deals created and won within one period, for each period that ended within the history. */
    public List<BigDecimal> newWonHistory() {
        List<BigDecimal> out = new ArrayList<>();
        for (Iterator<long[]> it = resolvedNew.iterator(); it.hasNext(); ) {
            out.add(BigDecimal.valueOf(it.next()[1], 2));
        }
        return out;
    }

    /** The forecast of the period starting at {@code start} from the deals open now (advance to it first). */
    public Forecast forecast(long start) {
        return Forecast.of(open.values(), start, period.endOf(start), rates, newWonHistory());
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2)
                .setScale(0, java.math.RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
