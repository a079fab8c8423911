package dev.revstream.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The floor under the health score holds at every instant after it is taken, with no new signal,
 * whatever the signals: the churn alert's boundary search is skipped only where it would find nothing.
 */
class HealthScoreFloorTest {
    private static final long DAY = 86_400_000L;
    private static final HealthSettings HEALTH = TestJourneySettings.health();

    @Property(tries = 1_000)
    void noScoreAfterTheInstantIsUnderTheFloor(
            @ForAll("signals") List<Map.Entry<Long, HealthBucket>> signals,
            @ForAll @LongRange(min = 0, max = 200) long day) {
        TreeMap<Long, HealthBucket> buckets = new TreeMap<>();
        for (Map.Entry<Long, HealthBucket> s : signals) {
            buckets.computeIfAbsent(s.getKey(), k -> new HealthBucket()).add(s.getValue());
        }
        long t = day * DAY;
        var known = buckets.headMap(t, true).entrySet(); // no new signal after t
        int floor = HealthScore.lowestFrom(t, known, HEALTH);
        for (long at = t; at <= t + 200 * DAY; at += DAY / 4) {
            assertThat(HealthScore.scoreAt(at, known, HEALTH))
                    .as("score at %d, floor from %d", at, t)
                    .isGreaterThanOrEqualTo(floor);
        }
    }

    @Provide
    Arbitrary<List<Map.Entry<Long, HealthBucket>>> signals() {
        return signal().list().ofMaxSize(12);
    }

    private static Arbitrary<Map.Entry<Long, HealthBucket>> signal() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, 200 * DAY),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 100))
                .as((at, kind, n) -> {
                    HealthBucket b = new HealthBucket();
                    switch (kind) {
                        case 0 -> b.usage = n;
                        case 1 -> b.tickets = n % 4;
                        case 2 -> b.lowNps = 1;
                        case 3 -> b.championLeft = 1;
                        case 4 -> b.paymentFailed = 1;
                        default -> b.usage = n / 2.0;
                    }
                    return Map.entry(at, b);
                });
    }
}
