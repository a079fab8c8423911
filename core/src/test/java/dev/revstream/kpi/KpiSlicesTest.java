package dev.revstream.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link KpiSlices} against every firing instant listed by brute force: the window ends of each size and
 * the mark of each window ({@code end - max(lookback, length)}), in zones with daylight saving and
 * half-hour offsets, for any lookback, asked in any order (its remembered slice must not leak).
 */
class KpiSlicesTest {
    private static final long DAY = 86_400_000L;
    private static final long BASE = 1_700_000_000_000L; // 2023-11-14
    private static final List<String> SIZES = List.of("1h", "1d", "1w", "1M", "1Q", "1y");
    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns");

    record Setup(List<KpiWindow> windows, long lookback) {}

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<String> zone = Arbitraries.of(ZONES);
        Arbitrary<List<String>> sizes =
                Arbitraries.of(SIZES).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        Arbitrary<Integer> fiscal = Arbitraries.integers().between(1, 12);
        Arbitrary<Long> lookback = Arbitraries.oneOf(
                Arbitraries.of(3_600_000L, DAY, 30 * DAY, 90 * DAY, 365 * DAY),
                Arbitraries.longs().between(3_600_000L, 400 * DAY));
        return Combinators.combine(zone, sizes, fiscal, lookback)
                .as((z, s, f, l) -> new Setup(
                        s.stream().map(n -> new KpiWindow(n, ZoneId.of(z), f)).toList(), l));
    }

    @Property(tries = 300)
    void theSliceEndIsTheFirstFiringInstantAfterEachTime(
            @ForAll("setups") Setup setup, @ForAll("times") List<Long> times) {
        TreeSet<Long> firings = new TreeSet<>();
        for (KpiWindow w : setup.windows()) {
            for (long start = w.startOf(BASE - 900 * DAY); start < BASE + 900 * DAY + setup.lookback(); ) {
                long end = w.endOf(start);
                firings.add(end);
                firings.add(end - Math.max(setup.lookback(), end - start));
                start = end;
            }
        }
        KpiSlices slices = new KpiSlices(setup.windows(), setup.lookback());
        List<Long> asked = new ArrayList<>(times);
        // the same times again, each right before and at its slice end: the remembered slice's edges
        for (long t : times) {
            long end = firings.higher(t);
            asked.add(end - 1);
            asked.add(end);
            asked.add(t);
        }
        for (long t : asked) {
            assertThat(slices.sliceEnd(t)).as("the slice end after %d", t).isEqualTo(firings.higher(t));
        }
    }

    @Provide
    Arbitrary<List<Long>> times() {
        Arbitrary<Long> near = Arbitraries.longs().between(BASE - 400 * DAY, BASE + 400 * DAY);
        return near.list().ofMinSize(1).ofMaxSize(20);
    }
}
