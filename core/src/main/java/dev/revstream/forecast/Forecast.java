package dev.revstream.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a period will close at: the expected won amount, an 80 % interval, and the parts it is made of.
 *
 * <p>{@code fromOpen} is the sum over the deals open at the start of amount x the probability that
 * the deal wins before the period ends ({@link WinRates}); {@code fromNew} the mean won amount of
 * deals created and won within one period, over the past periods of the history. The interval
 * treats each open deal as winning or not, independently, with its probability (variance amount² x
 * p x (1 - p)), adds the uncertainty of each group's learned rate (a group of n past deals: p x
 * (1 - p) / (n + strength + 1), for the group's amount squared), and the new deals' part as spread as it was over the past periods (with one past
 * period: half of it either way); it is the expected amount ± 1.2816 standard deviations, never
 * below zero. {@code fixedWeights} is the forecast by the configured stage probabilities alone (deals
 * whose expected close date is in the period or unknown), for comparison.
 *
 * @param contributions every open deal's part, largest first
 */
public record Forecast(
        long start,
        long end,
        BigDecimal expected,
        BigDecimal low,
        BigDecimal high,
        BigDecimal fromOpen,
        BigDecimal fromNew,
        BigDecimal fixedWeights,
        List<Contribution> contributions) {

    /** z of a two-sided 80 % interval of a normal distribution. */
    static final double Z80 = 1.2815515655446004;

    /**
     * One open deal's part of the forecast.
     *
     * @param probability of winning before the period ends
     * @param group the past deals like it ({@link WinRates.Probability#group()}) and how many there were
     */
    public record Contribution(
            String dealId,
            String stage,
            BigDecimal amount,
            double probability,
            BigDecimal expected,
            String group,
            long examples) {}

    /** The forecast of [start, end) from the deals open at start and the history learned so far. */
    public static Forecast of(
            Collection<ForecastDeal> open, long start, long end, WinRates rates, List<BigDecimal> newWonHistory) {
        List<Contribution> parts = new ArrayList<>(open.size());
        double variance = 0;
        Map<String, double[]> groups = new HashMap<>(); // group -> {amount, p, examples}
        BigDecimal fromOpen = BigDecimal.ZERO;
        BigDecimal fixed = BigDecimal.ZERO;
        for (ForecastDeal d : open) {
            BigDecimal amount = d.amount() == null ? BigDecimal.ZERO : d.amount();
            WinRates.Probability p = rates.probability(d, start, end);
            BigDecimal expected = money(amount.multiply(BigDecimal.valueOf(p.value())));
            parts.add(new Contribution(d.dealId(), d.stage(), amount, p.value(), expected, p.group(), p.examples()));
            fromOpen = fromOpen.add(expected);
            double a = amount.doubleValue();
            variance += a * a * p.value() * (1 - p.value());
            groups.computeIfAbsent(p.group(), g -> new double[] {0, p.value(), p.examples()})[0] += a;
            if (d.expectedCloseAt() == null || d.expectedCloseAt() < end) {
                fixed = fixed.add(amount.multiply(BigDecimal.valueOf(d.stageProbability())));
            }
        }
        for (double[] g : groups.values()) {
            // the deals of a group share one estimated rate: its uncertainty moves them together
            variance += g[0] * g[0] * g[1] * (1 - g[1]) / (g[2] + rates.strength() + 1);
        }
        parts.sort(Comparator.comparing(Contribution::expected).reversed().thenComparing(Contribution::dealId));
        BigDecimal fromNew = BigDecimal.ZERO;
        int n = newWonHistory.size();
        if (n > 0) {
            double sum = 0;
            for (BigDecimal x : newWonHistory) {
                sum += x.doubleValue();
            }
            double mean = sum / n;
            fromNew = money(BigDecimal.valueOf(mean));
            if (n == 1) {
                variance += mean * mean / 4;
            } else {
                double squares = 0;
                for (BigDecimal x : newWonHistory) {
                    squares += (x.doubleValue() - mean) * (x.doubleValue() - mean);
                }
                variance += squares / (n - 1);
            }
        }
        BigDecimal expected = fromOpen.add(fromNew);
        BigDecimal half = money(BigDecimal.valueOf(Z80 * Math.sqrt(variance)));
        return new Forecast(
                start,
                end,
                expected,
                expected.subtract(half).max(BigDecimal.ZERO),
                expected.add(half),
                fromOpen,
                fromNew,
                money(fixed),
                List.copyOf(parts));
    }

    private static BigDecimal money(BigDecimal x) {
        return x.setScale(2, RoundingMode.HALF_EVEN);
    }
}
