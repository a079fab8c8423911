package dev.revstream.tools.e2e;

import dev.revstream.forecast.Forecast;
import dev.revstream.forecast.ForecastDeal;
import dev.revstream.forecast.WinRates;
import dev.revstream.kpi.KpiWindow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The learned forecast of a monthly or quarterly window (docs/forecast.md) computed from every deal's
 * states, for the randomized KPI test: which deals of the dimension value were open at each month start
 * since its first deal move, which of them won (there) before a period later, what was created and won
 * within each period, and the deals open at the window's start. The win-rate estimate and the interval
 * ({@link WinRates}, {@link Forecast}) are unit-tested on their own and used as they are.
 */
final class ReferenceForecast {
    static final long DAY = 86_400_000L;

    private ReferenceForecast() {}

    static void metrics(
            Map<String, BigDecimal> m,
            List<List<ReferenceKpis.Snap>> deals,
            List<String> stages,
            double[] prob,
            KpiWindow w,
            long start,
            Predicate<ReferenceKpis.Snap> key) {
        KpiWindow month = new KpiWindow("1M", ZoneOffset.UTC, w.fiscalStartMonth());
        Long first = null;
        for (List<ReferenceKpis.Snap> snaps : deals) {
            ReferenceKpis.Snap before = null;
            for (ReferenceKpis.Snap s : snaps) {
                boolean moved = before == null || changed(before, s);
                boolean here = (before != null && before.open() && key.test(before)) || (s.open() && key.test(s));
                if (moved && here && (first == null || s.at() < first)) {
                    first = s.at();
                }
                before = s;
            }
        }
        String[] names = {"expected", "low", "high", "fromOpen", "fromNew"};
        if (first == null || first >= start) {
            for (String n : names) {
                m.put("forecast." + n, null);
            }
            return;
        }
        WinRates rates = new WinRates(10);
        List<long[]> newWon = new ArrayList<>();
        long step = month.startOf(first) == first ? first : month.endOf(month.startOf(first));
        for (long s = step; w.endOf(s) <= start; s = month.endOf(s)) {
            long end = w.endOf(s);
            BigDecimal created = BigDecimal.ZERO;
            for (List<ReferenceKpis.Snap> snaps : deals) {
                ReferenceKpis.Snap at = at(snaps, s);
                ReferenceKpis.Snap close = closeOf(snaps);
                boolean wonHere = close != null
                        && snaps.indexOf(close) > 0 // a deal first seen closed never was in the pipeline
                        && close.won()
                        && close.at() >= s
                        && close.at() < end
                        && key.test(before(snaps, close));
                if (at != null && at.open() && key.test(at)) {
                    rates.add(WinRates.groupOf(view(at, stages, prob), s, end), 1, wonHere ? 1 : 0);
                }
                if (wonHere && snaps.get(0).at() >= s) {
                    created = created.add(close.amount());
                }
            }
            newWon.add(new long[] {end, created.movePointRight(2).longValueExact()});
        }
        List<BigDecimal> history = new ArrayList<>();
        if (!newWon.isEmpty()) {
            long last = newWon.get(newWon.size() - 1)[0];
            for (long[] x : newWon) {
                if (x[0] >= last - 365 * DAY) {
                    history.add(BigDecimal.valueOf(x[1], 2));
                }
            }
        }
        List<ForecastDeal> open = new ArrayList<>();
        for (List<ReferenceKpis.Snap> snaps : deals) {
            ReferenceKpis.Snap at = at(snaps, start);
            if (at != null && at.open() && key.test(at)) {
                open.add(view(at, stages, prob));
            }
        }
        Forecast f = Forecast.of(open, start, w.endOf(start), rates, history);
        BigDecimal[] v = {f.expected(), f.low(), f.high(), f.fromOpen(), f.fromNew()};
        for (int i = 0; i < names.length; i++) {
            m.put("forecast." + names[i], v[i]);
        }
    }

    /** Whether a deal's event changed what the pipeline sees of it (a move the KPIs get). */
    private static boolean changed(ReferenceKpis.Snap a, ReferenceKpis.Snap b) {
        return a.open() != b.open()
                || !java.util.Objects.equals(a.segment(), b.segment())
                || !java.util.Objects.equals(a.region(), b.region())
                || !java.util.Objects.equals(a.owner(), b.owner())
                || !a.dealType().equals(b.dealType())
                || a.stage() != b.stage()
                || a.amount().compareTo(b.amount()) != 0
                || !java.util.Objects.equals(a.ecd(), b.ecd())
                || !a.category().equals(b.category());
    }

    private static ForecastDeal view(ReferenceKpis.Snap s, List<String> stages, double[] prob) {
        return new ForecastDeal(
                "x",
                stages.get(s.stage()),
                prob[s.stage()],
                s.enteredAt(),
                s.slips(),
                s.segment(),
                s.amount(),
                s.ecd() == null
                        ? null
                        : LocalDate.parse(s.ecd())
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .toEpochMilli(),
                s.createdAt());
    }

    /** The state before t (after the last event before t), or null. */
    private static ReferenceKpis.Snap at(List<ReferenceKpis.Snap> snaps, long t) {
        ReferenceKpis.Snap last = null;
        for (ReferenceKpis.Snap s : snaps) {
            if (s.at() < t) {
                last = s;
            }
        }
        return last;
    }

    /** The state just before {@code close} (the event that closed the deal). */
    private static ReferenceKpis.Snap before(List<ReferenceKpis.Snap> snaps, ReferenceKpis.Snap close) {
        return snaps.get(snaps.indexOf(close) - 1);
    }

    private static ReferenceKpis.Snap closeOf(List<ReferenceKpis.Snap> snaps) {
        for (ReferenceKpis.Snap s : snaps) {
            if (!s.open()) {
                return s;
            }
        }
        return null;
    }
}
