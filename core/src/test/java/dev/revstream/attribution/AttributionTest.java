package dev.revstream.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static final long DAY = 86_400_000L;
    private static final Touch T1 = new Touch(0, "segment", "a", "AD_CLICK", "paid_search");
    private static final Touch T2 = new Touch(10 * DAY, "hubspot", "b", "EMAIL_CLICK", "email");
    private static final Touch T3 = new Touch(20 * DAY, "hubspot", "c", "WEBINAR_ATTEND", "events");
    private static final Touch T4 = new Touch(30 * DAY, "salesforce", "d", "SALES_CALL", "outbound");

    private static Map<String, List<Long>> byModel(List<Credit> credits) {
        return credits.stream()
                .collect(Collectors.groupingBy(
                        c -> c.model().name(), TreeMap::new, Collectors.mapping(Credit::cents, Collectors.toList())));
    }

    @Test
    void splitsAWinOverItsTouchesByEveryModel() {
        // lead-creation touch T2, deal created on day 25 (T3 is the last touch before it), closed on day 40
        Map<String, List<Long>> m = byModel(Attribution.credit(
                new BigDecimal("1000.00"),
                List.of(T1, T2, T3, T4),
                T2,
                25 * DAY,
                40 * DAY,
                AttributionSettings.defaults()));
        assertThat(m.get("FIRST_TOUCH")).containsExactly(100_000L, 0L, 0L, 0L);
        assertThat(m.get("LAST_TOUCH")).containsExactly(0L, 0L, 0L, 100_000L);
        assertThat(m.get("LINEAR")).containsExactly(25_000L, 25_000L, 25_000L, 25_000L);
        assertThat(m.get("U_SHAPED")).containsExactly(40_000L, 40_000L, 10_000L, 10_000L);
        assertThat(m.get("W_SHAPED")).containsExactly(30_000L, 30_000L, 30_000L, 10_000L);
        // four named touches, nothing left for the spread share: it goes equally to the named ones
        assertThat(m.get("FULL_PATH")).containsExactly(25_000L, 25_000L, 25_000L, 25_000L);
        // weights 2^(-40/7), 2^(-30/7), 2^(-20/7), 2^(-10/7)
        double[] w = {Math.pow(2, -40 / 7.0), Math.pow(2, -30 / 7.0), Math.pow(2, -20 / 7.0), Math.pow(2, -10 / 7.0)};
        double sum = w[0] + w[1] + w[2] + w[3];
        List<Long> decay = m.get("TIME_DECAY");
        for (int i = 0; i < 4; i++) {
            assertThat((double) decay.get(i)).isCloseTo(100_000 * w[i] / sum, org.assertj.core.data.Offset.offset(1.0));
        }
        m.values()
                .forEach(credits -> assertThat(
                                credits.stream().mapToLong(Long::longValue).sum())
                        .isEqualTo(100_000L));
    }

    @Test
    void aPositionWithoutATouchIsSpreadOverAllTouches() {
        // no lead-creation touch: U-shaped's 40 % for it goes a quarter to each
        Map<String, List<Long>> m = byModel(Attribution.credit(
                new BigDecimal("1000"),
                List.of(T1, T2, T3, T4),
                null,
                25 * DAY,
                40 * DAY,
                AttributionSettings.defaults()));
        // T1: 40 + 10 = 50 %; the rest: 10 % + 20 %/3 each
        assertThat(m.get("U_SHAPED")).containsExactly(50_000L, 16_667L, 16_667L, 16_666L);
    }

    @Test
    void namedPositionsOnOneTouchAddUpAndCentsGoByLargestRemainderToTheEarlierTouch() {
        Map<String, List<Long>> single = byModel(Attribution.credit(
                new BigDecimal("99.99"), List.of(T3), T3, 25 * DAY, 40 * DAY, AttributionSettings.defaults()));
        single.values().forEach(credits -> assertThat(credits).containsExactly(9_999L));
        Map<String, List<Long>> thirds = byModel(Attribution.credit(
                new BigDecimal("100.005"),
                List.of(T1, T2, T3),
                null,
                25 * DAY,
                40 * DAY,
                AttributionSettings.defaults()));
        assertThat(thirds.get("LINEAR"))
                .as("100.005 rounds half to even to 100.00")
                .containsExactly(3_334L, 3_333L, 3_333L);
    }

    @Test
    void aWinWithoutAttributableTouchesGoesToNone() {
        List<Credit> credits =
                Attribution.credit(new BigDecimal("10"), List.of(), null, 0, DAY, AttributionSettings.defaults());
        assertThat(credits)
                .hasSize(AttributionModel.values().length)
                .allMatch(c -> c.channel().equals(Credit.NONE) && c.cents() == 1_000 && c.touch() == null);
    }
}
