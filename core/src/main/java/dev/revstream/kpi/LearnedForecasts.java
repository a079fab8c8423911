package dev.revstream.kpi;

import dev.revstream.forecast.Forecast;
import dev.revstream.forecast.ForecastDeal;
import dev.revstream.forecast.ForecastLearner;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A dimension value's learned forecasts ({@link ForecastLearner}, docs/forecast.md), one per window size
 * {@code 1M} and {@code 1Q} configured: the learners follow the value's deals from its DEAL_MOVED facts
 * in time order, take examples at every month start, and at the start of each such window forecast it;
 * the figures wait in the forecasts book ({@code size|start|learned.<figure>}) for the window's report.
 * As the fixed-weight forecast, a window's is as of its start: a late fact does not revise it, and the
 * learners learn from facts as they are applied in order (a correction does not unlearn).
 */
final class LearnedForecasts {
    static final long HISTORY_MILLIS = 365L * 86_400_000L;
    static final double PRIOR_STRENGTH = 10;
    static final String[] FIGURES = {"expected", "low", "high", "fromOpen", "fromNew"};

    private final List<KpiWindow> sizes = new ArrayList<>();
    private final List<ForecastLearner> learners = new ArrayList<>();

    LearnedForecasts(KpiSettings s, KpiStore store) {
        for (KpiWindow w : s.windows()) {
            if (w.name().equals("1M") || w.name().equals("1Q")) {
                KpiWindow month = new KpiWindow("1M", w.zone(), w.fiscalStartMonth());
                sizes.add(w);
                learners.add(new ForecastLearner(w, month, HISTORY_MILLIS, PRIOR_STRENGTH, store.learner(w.name())));
            }
        }
    }

    /** A fact applied in order: a deal's move teaches the learners (retractions are not unlearned). */
    void apply(KpiFact f) throws Exception {
        if (f.kind() != FactKind.DEAL_MOVED || f.retracted() || learners.isEmpty()) {
            return;
        }
        DealMove m = f.move();
        for (int i = 0; i < learners.size(); i++) {
            ForecastLearner l = learners.get(i);
            l.advance(f.at());
            if (m.isOpen()) {
                l.open(new ForecastDeal(
                        f.dealId(),
                        f.stage(),
                        m.winProbability(),
                        m.stageEnteredAt(),
                        m.slips(),
                        f.segment(),
                        f.amount() == null ? BigDecimal.ZERO : f.amount(),
                        f.expectedCloseDate() == null
                                ? null
                                : LocalDate.parse(f.expectedCloseDate())
                                        .atStartOfDay(sizes.get(i).zone())
                                        .toInstant()
                                        .toEpochMilli(),
                        m.createdAt()));
            } else if ("won".equals(m.outcome())) {
                l.won(f.dealId(), f.amount() == null ? BigDecimal.ZERO : f.amount(), f.at());
            } else {
                l.close(f.dealId());
            }
        }
    }

    /**
     * Forecasts the window of {@code w} starting at {@code start}, if the value ({@code key}) has had a
     * deal: keeps the figures for the window's snapshot and hands the whole forecast to {@code out}.
     */
    void forecast(KpiWindow w, long start, KpiStore store, String key, Quotas quotas, KpiOutput out) throws Exception {
        int i = sizes.indexOf(w);
        if (i < 0 || !learners.get(i).started()) {
            return;
        }
        ForecastLearner l = learners.get(i);
        l.advance(start);
        Forecast f = l.forecast(start);
        BigDecimal[] v = {f.expected(), f.low(), f.high(), f.fromOpen(), f.fromNew()};
        for (int k = 0; k < FIGURES.length; k++) {
            store.forecasts().put(key(w, start, FIGURES[k]), v[k]);
        }
        int eq = key.indexOf('=');
        out.forecast(new ForecastRecord(
                w.name(),
                start,
                f.end(),
                key.substring(0, eq),
                key.substring(eq + 1),
                f.expected(),
                f.low(),
                f.high(),
                f.fromOpen(),
                f.fromNew(),
                f.fixedWeights(),
                quotas.of(key, w, start),
                f.contributions().size(),
                List.copyOf(f.contributions()
                        .subList(
                                0,
                                Math.min(
                                        ForecastRecord.MAX_DEALS,
                                        f.contributions().size())))));
    }

    /** The figures of the window's learned forecast (null each when none was made). */
    static KpiValues.LearnedForecast read(KpiWindow w, long start, KpiStore store) throws Exception {
        BigDecimal[] v = new BigDecimal[FIGURES.length];
        for (int k = 0; k < FIGURES.length; k++) {
            v[k] = store.forecasts().get(key(w, start, FIGURES[k]));
        }
        return new KpiValues.LearnedForecast(v[0], v[1], v[2], v[3], v[4]);
    }

    static String key(KpiWindow w, long start, String figure) {
        return w.name() + "|" + start + "|learned." + figure;
    }
}
