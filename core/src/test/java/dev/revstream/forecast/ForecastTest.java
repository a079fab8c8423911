package dev.revstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a forecast is made of adds up, and the learned rates move from the prior to the data. */
class ForecastTest {
    static final long DAY = 86_400_000L;

    @Test
    void withoutHistoryADealWeighsItsStageProbability() {
        WinRates rates = new WinRates(10);
        ForecastDeal d = new ForecastDeal("d", "PROPOSAL", 0.6, 0, 0, "smb", BigDecimal.valueOf(1000), null, 0);
        assertThat(rates.probability(d, 5 * DAY, 90 * DAY).value()).isEqualTo(0.6, within(1e-12));
        Forecast f = Forecast.of(List.of(d), 5 * DAY, 90 * DAY, rates, List.of());
        assertThat(f.expected()).isEqualByComparingTo("600.00");
        assertThat(f.fixedWeights()).isEqualByComparingTo("600.00");
    }

    @Test
    void aLargeGroupDecidesItsRateAndASmallOneMovesItALittle() {
        ForecastDeal d = new ForecastDeal("d", "DISCOVERY", 0.2, 0, 0, "smb", BigDecimal.TEN, null, 0);
        WinRates many = new WinRates(10);
        for (int i = 0; i < 10_000; i++) {
            many.add(d, 0, 90 * DAY, i % 10 < 7); // 70 % of deals like it won within the period
        }
        assertThat(many.probability(d, 0, 90 * DAY).value()).isEqualTo(0.7, within(0.002));
        WinRates few = new WinRates(10);
        few.add(d, 0, 90 * DAY, true);
        double p = few.probability(d, 0, 90 * DAY).value();
        assertThat(p).isGreaterThan(0.2).isLessThan(0.4);
        assertThat(few.probability(d, 0, 90 * DAY).examples()).isEqualTo(1);
    }

    @Test
    void thePartsAddUpAndTheIntervalHoldsTheExpectedAmount() {
        for (int seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            WinRates rates = new WinRates(1 + r.nextInt(20));
            List<ForecastDeal> open = new ArrayList<>();
            for (int i = 0; i < r.nextInt(30); i++) {
                ForecastDeal d = new ForecastDeal(
                        "d" + i,
                        "S" + r.nextInt(3),
                        r.nextDouble(),
                        r.nextInt(200) * DAY,
                        r.nextInt(3),
                        r.nextBoolean() ? null : "seg" + r.nextInt(2),
                        BigDecimal.valueOf(r.nextInt(100_000), 2),
                        r.nextBoolean() ? null : (long) r.nextInt(400) * DAY,
                        0);
                open.add(d);
                for (int k = 0; k < r.nextInt(5); k++) {
                    rates.add(d, 200 * DAY, 290 * DAY, r.nextBoolean());
                }
            }
            List<BigDecimal> history = new ArrayList<>();
            for (int i = 0; i < r.nextInt(4); i++) {
                history.add(BigDecimal.valueOf(r.nextInt(1_000_000), 2));
            }
            Forecast f = Forecast.of(open, 200 * DAY, 290 * DAY, rates, history);
            assertThat(f.expected()).isEqualByComparingTo(f.fromOpen().add(f.fromNew()));
            assertThat(f.contributions().stream()
                            .map(Forecast.Contribution::expected)
                            .reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo(f.fromOpen());
            assertThat(f.contributions()).hasSize(open.size());
            assertThat(f.low()).isLessThanOrEqualTo(f.expected()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
            assertThat(f.high()).isGreaterThanOrEqualTo(f.expected());
            for (Forecast.Contribution c : f.contributions()) {
                assertThat(c.probability()).isBetween(0.0, 1.0);
            }
            BigDecimal mean = history.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (!history.isEmpty()) {
                mean = mean.divide(BigDecimal.valueOf(history.size()), 2, java.math.RoundingMode.HALF_EVEN);
            }
            assertThat(f.fromNew().subtract(mean).abs()).isLessThanOrEqualTo(new BigDecimal("0.01"));
        }
    }
}
