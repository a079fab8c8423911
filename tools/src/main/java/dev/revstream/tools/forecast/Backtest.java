package dev.revstream.tools.forecast;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.forecast.Forecast;
import dev.revstream.forecast.ForecastDeal;
import dev.revstream.forecast.ForecastLearner;
import dev.revstream.ingest.EventParser;
import dev.revstream.kpi.KpiWindow;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import dev.revstream.tools.importer.CrmRecords;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays a CRM export's deal events in time order and, at the start of each period of a year,
 * forecasts the period's won amount from what was known then, twice: learned from the history so
 * far ({@link ForecastLearner}) and by the configured stage probabilities; then compares each with the
 * amount actually won in the period.
 *
 * <p>The events go through the input contract's parser, as the job reads them. A deal's view is
 * folded here as the journey keeps it: the stage and when it was entered, the amount, the expected
 * close date and how often it moved later, the segment.
 */
public final class Backtest {
    private static final long MONTH_HISTORY = 365L * 86_400_000L;

    /** One period: what each forecast said at its start and what happened; every open deal's part, largest first. */
    public record Row(
            String period,
            int openAtStart,
            BigDecimal actual,
            BigDecimal fixedWeights,
            BigDecimal learned,
            BigDecimal low,
            BigDecimal high,
            BigDecimal fromOpen,
            BigDecimal fromNew,
            long examples,
            List<Forecast.Contribution> contributions) {

        public double fixedError() {
            return error(fixedWeights);
        }

        public double learnedError() {
            return error(learned);
        }

        public boolean inside() {
            return actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0;
        }

        private double error(BigDecimal forecast) {
            return actual.signum() == 0 ? Double.NaN : forecast.subtract(actual).doubleValue() / actual.doubleValue();
        }
    }

    private Backtest() {}

    /**
     * @param periodName a window size: {@code 1Q} or {@code 1M}
     * @param strength the prior's weight in deals
     */
    public static List<Row> run(RevstreamConfig cfg, CrmRecords records, int year, String periodName, double strength)
            throws Exception {
        if (!periodName.equals("1Q") && !periodName.equals("1M")) {
            throw new IllegalArgumentException("--period must be 1Q or 1M, was " + periodName);
        }
        KpiWindow period =
                new KpiWindow(periodName, cfg.time().zone(), cfg.kpi().fiscalYearStartMonth());
        KpiWindow month = new KpiWindow("1M", cfg.time().zone(), cfg.kpi().fiscalYearStartMonth());
        List<Event> events = parse(cfg, records);
        Map<String, Double> probability = new HashMap<>();
        cfg.deals().stages().forEach(s -> probability.put(s.name(), s.winProbability()));

        ForecastLearner learner = new ForecastLearner(period, month, MONTH_HISTORY, strength);
        Map<String, ForecastDeal> deals = new HashMap<>();
        long first = LocalDate.of(year, 1, 1)
                .atStartOfDay(cfg.time().zone())
                .toInstant()
                .toEpochMilli();
        long until = LocalDate.of(year + 1, 1, 1)
                .atStartOfDay(cfg.time().zone())
                .toInstant()
                .toEpochMilli();
        List<Row> rows = new ArrayList<>();
        long start = period.startOf(first);
        int next = 0;
        while (start < until) {
            long end = period.endOf(start);
            next = apply(
                    events, next, start, learner, deals, probability, cfg.time().zone(), null);
            learner.advance(start);
            Forecast f = learner.forecast(start);
            BigDecimal[] won = {BigDecimal.ZERO};
            next = apply(
                    events, next, end, learner, deals, probability, cfg.time().zone(), won);
            learner.advance(end);
            rows.add(new Row(
                    label(start, period),
                    f.contributions().size(),
                    won[0].setScale(2, RoundingMode.HALF_EVEN),
                    f.fixedWeights(),
                    f.expected(),
                    f.low(),
                    f.high(),
                    f.fromOpen(),
                    f.fromNew(),
                    learner.rates().examples(),
                    f.contributions()));
            start = end;
        }
        return rows;
    }

    /** Applies the events before {@code until}, adding won amounts to {@code won} when given. */
    private static int apply(
            List<Event> events,
            int from,
            long until,
            ForecastLearner learner,
            Map<String, ForecastDeal> deals,
            Map<String, Double> probability,
            java.time.ZoneId zone,
            BigDecimal[] won)
            throws Exception {
        int i = from;
        for (; i < events.size() && events.get(i).occurredAt() < until; i++) {
            Event e = events.get(i);
            long t = e.occurredAt();
            learner.advance(t);
            ForecastDeal d = deals.get(e.dealId());
            switch (e.type()) {
                case "CLOSED_WON" -> {
                    if (d != null) {
                        BigDecimal amount = e.amount() != null ? e.amount() : d.amount();
                        learner.won(d.dealId(), amount, t);
                        deals.remove(d.dealId());
                        if (won != null) {
                            won[0] = won[0].add(amount);
                        }
                    }
                }
                case "CLOSED_LOST" -> {
                    if (d != null) {
                        learner.close(d.dealId());
                        deals.remove(d.dealId());
                    }
                }
                default -> {
                    ForecastDeal next = fold(d, e, t, probability, zone);
                    deals.put(next.dealId(), next);
                    learner.open(next);
                }
            }
        }
        return i;
    }

    private static ForecastDeal fold(
            ForecastDeal d, Event e, long t, Map<String, Double> probability, java.time.ZoneId zone) {
        String stage = e.stage() != null ? e.stage() : d != null ? d.stage() : "QUALIFICATION";
        long entered = d == null || !stage.equals(d.stage()) ? t : d.stageEnteredAt();
        Long close = e.expectedCloseDate() != null
                ? (Long) LocalDate.parse(e.expectedCloseDate())
                        .atStartOfDay(zone)
                        .toInstant()
                        .toEpochMilli()
                : d == null ? null : d.expectedCloseAt();
        int slips = d == null ? 0 : d.slips();
        if (d != null && d.expectedCloseAt() != null && close != null && close > d.expectedCloseAt()) {
            slips++;
        }
        return new ForecastDeal(
                e.dealId(),
                stage,
                probability.getOrDefault(stage, 0.0),
                entered,
                slips,
                e.segment() != null ? e.segment() : d == null ? null : d.segment(),
                e.amount() != null ? e.amount() : d == null ? BigDecimal.ZERO : d.amount(),
                close,
                d == null ? t : d.createdAt());
    }

    private static List<Event> parse(RevstreamConfig cfg, CrmRecords records) {
        EventParser parser = new EventParser(cfg.ingestSettings());
        String topic = cfg.topics().deals();
        List<Event> events = new ArrayList<>();
        long now = System.currentTimeMillis();
        long offset = 0;
        for (CrmRecords.DealEvent r : records.events) {
            Ingested in = parser.parse(
                    topic,
                    0,
                    offset++,
                    r.accountId().getBytes(StandardCharsets.UTF_8),
                    r.json().getBytes(StandardCharsets.UTF_8),
                    r.occurredAt(),
                    now);
            if (in.event() != null) {
                events.add(in.event());
            }
        }
        events.sort(Comparator.comparingLong(Event::occurredAt).thenComparing(Event::eventId));
        return events;
    }

    private static String label(long start, KpiWindow period) {
        LocalDate d = Instant.ofEpochMilli(start).atZone(period.zone()).toLocalDate();
        if (period.name().equals("1M")) {
            return d.toString().substring(0, 7);
        }
        LocalDate last = d.plusMonths(2);
        return d.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT) + "–"
                + last.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT) + " " + last.getYear();
    }

    /** The rows as a Markdown table, with the mean absolute error of each forecast. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(
                "| period | open deals at start | won in the period | fixed stage weights | learned | learned 80 % interval |\n");
        b.append("| --- | --- | --- | --- | --- | --- |\n");
        double fixed = 0;
        double learned = 0;
        int inside = 0;
        int counted = 0;
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %s | %s (%s) | %s (%s) | %s to %s%s |%n",
                    r.period(),
                    r.openAtStart(),
                    money(r.actual()),
                    money(r.fixedWeights()),
                    percent(r.fixedError()),
                    money(r.learned()),
                    percent(r.learnedError()),
                    money(r.low()),
                    money(r.high()),
                    r.inside() ? "" : " (missed)"));
            if (r.actual().signum() != 0) {
                fixed += Math.abs(r.fixedError());
                learned += Math.abs(r.learnedError());
                counted++;
            }
            inside += r.inside() ? 1 : 0;
        }
        b.append(String.format(
                Locale.ROOT,
                "| mean absolute error (periods with wins) | | | %.0f %% | %.0f %% | %d of %d periods inside |%n",
                100 * fixed / counted,
                100 * learned / counted,
                inside,
                rows.size()));
        return b.toString();
    }

    private static String percent(double error) {
        return Double.isNaN(error) ? "nothing won" : String.format(Locale.ROOT, "%+.0f %%", 100 * error);
    }

    private static String money(BigDecimal x) {
        return String.format(
                Locale.ROOT, "%,d", x.setScale(0, RoundingMode.HALF_EVEN).longValueExact());
    }
}
