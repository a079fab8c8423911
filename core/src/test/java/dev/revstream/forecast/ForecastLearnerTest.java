package dev.revstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.kpi.KpiWindow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learner against a reference computed from whole deal histories: at random instants, its win
 * rates and its history of deals created and won within a period equal those counted directly from
 * what every deal looked like at every month start and what became of it a quarter later. Events
 * fall on month starts often, so ties between a step start and an event are covered.
 */
class ForecastLearnerTest {
    static final long DAY = 86_400_000L;
    static final KpiWindow QUARTER = new KpiWindow("1Q", ZoneOffset.UTC, 1);
    static final KpiWindow MONTH = new KpiWindow("1M", ZoneOffset.UTC, 1);
    static final long T0 =
            LocalDate.of(2024, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    static final long HISTORY = 200 * DAY;
    static final String[] STAGES = {"QUALIFICATION", "DISCOVERY", "PROPOSAL"};

    /** One change of a deal: its view after it, or its close. */
    record Change(long at, int seq, ForecastDeal view, Boolean won, BigDecimal wonAmount) {}

    @Test
    void ratesAndNewWinsEqualThoseCountedFromTheWholeHistories() throws Exception {
        for (int seed = 0; seed < 60; seed++) {
            Random r = new Random(seed);
            List<Change> changes = histories(r, 20 + r.nextInt(60));
            ForecastLearner learner = new ForecastLearner(QUARTER, MONTH, HISTORY, 4);
            List<Long> probes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                probes.add(T0 + (long) (r.nextDouble() * 600 * DAY));
            }
            probes.add(LocalDate.of(2025, 1, 1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli());
            probes.sort(null);
            int next = 0;
            for (long probe : probes) {
                for (; next < changes.size() && changes.get(next).at() < probe; next++) {
                    Change c = changes.get(next);
                    learner.advance(c.at());
                    if (c.won() == null) {
                        learner.open(c.view());
                    } else if (c.won()) {
                        learner.won(c.view().dealId(), c.wonAmount(), c.at());
                    } else {
                        learner.close(c.view().dealId());
                    }
                }
                learner.advance(probe);
                Reference ref = reference(changes, Math.min(changes.get(0).at(), probes.get(0)), probe);
                assertThat(learner.rates().examples())
                        .as("seed %d at %d", seed, probe)
                        .isEqualTo(ref.rates.examples());
                for (ForecastDeal d : ref.openAt(probe)) {
                    assertThat(learner.rates().probability(d, probe, QUARTER.endOf(probe)))
                            .as("seed %d, %s", seed, d.dealId())
                            .isEqualTo(ref.rates.probability(d, probe, QUARTER.endOf(probe)));
                }
                assertThat(learner.openDeals()).containsExactlyInAnyOrderElementsOf(ref.openAt(probe));
                assertThat(learner.newWonHistory()).as("seed %d", seed).isEqualTo(ref.newWon);
            }
        }
    }

    /**
     * The rates and new wins as counted from the histories, for everything resolved by {@code t}, from the
     * first step start at or after {@code first} (the learner's first instant) on.
     */
    static Reference reference(List<Change> changes, long first, long t) {
        Reference ref = new Reference(changes);
        List<long[]> ends = new ArrayList<>();
        for (long s = MONTH.startOf(first); QUARTER.endOf(s) <= t; s = MONTH.endOf(s)) {
            if (s < first) {
                continue;
            }
            long e = QUARTER.endOf(s);
            for (ForecastDeal d : ref.openAt(s)) {
                Change close = ref.closeOf(d.dealId());
                boolean won = close != null && close.won() && close.at() >= s && close.at() < e;
                ref.rates.add(d, s, e, won);
            }
            BigDecimal created = BigDecimal.ZERO;
            for (Change c : changes) {
                if (c.won() != null
                        && c.won()
                        && c.at() < e
                        && ref.createdAt(c.view().dealId()) >= s) {
                    created = created.add(c.wonAmount());
                }
            }
            ends.add(new long[] {e, created.movePointRight(2).longValueExact()});
        }
        if (!ends.isEmpty()) {
            long last = ends.get(ends.size() - 1)[0];
            for (long[] x : ends) {
                if (x[0] >= last - HISTORY) {
                    ref.newWon.add(BigDecimal.valueOf(x[1], 2));
                }
            }
        }
        return ref;
    }

    static final class Reference {
        final List<Change> changes;
        final WinRates rates = new WinRates(4);
        final List<BigDecimal> newWon = new ArrayList<>();

        Reference(List<Change> changes) {
            this.changes = changes;
        }

        /** Each deal's latest view from changes before t, unless closed before t. */
        List<ForecastDeal> openAt(long t) {
            Map<String, ForecastDeal> open = new java.util.LinkedHashMap<>();
            for (Change c : changes) {
                if (c.at() >= t) {
                    break;
                }
                if (c.won() == null) {
                    open.put(c.view().dealId(), c.view());
                } else {
                    open.remove(c.view().dealId());
                }
            }
            return new ArrayList<>(open.values());
        }

        Change closeOf(String dealId) {
            return changes.stream()
                    .filter(c -> c.won() != null && c.view().dealId().equals(dealId))
                    .findFirst()
                    .orElse(null);
        }

        long createdAt(String dealId) {
            return changes.stream()
                    .filter(c -> c.view().dealId().equals(dealId))
                    .findFirst()
                    .orElseThrow()
                    .at();
        }
    }

    /** Random deals: created, changed a few times (stage, amount, close date), then closed or left open. */
    static List<Change> histories(Random r, int deals) {
        List<Change> out = new ArrayList<>();
        int seq = 0;
        for (int i = 0; i < deals; i++) {
            String id = "d" + i;
            long t = time(r, T0 + (long) (r.nextDouble() * 500 * DAY));
            int stage = r.nextInt(STAGES.length);
            long entered = t;
            int slips = 0;
            Long close = r.nextBoolean() ? null : t + r.nextInt(120) * DAY;
            BigDecimal amount = BigDecimal.valueOf(100 + r.nextInt(10_000));
            String segment = r.nextInt(3) == 0 ? null : "s" + r.nextInt(2);
            long created = t;
            out.add(new Change(t, seq++, view(id, stage, entered, slips, segment, amount, close, created), null, null));
            int changes = r.nextInt(4);
            for (int k = 0; k < changes; k++) {
                t = time(r, t + (long) (r.nextDouble() * 60 * DAY));
                if (r.nextBoolean()) {
                    stage = r.nextInt(STAGES.length);
                    entered = t;
                }
                if (close != null && r.nextBoolean()) {
                    close += r.nextInt(60) * DAY;
                    slips++;
                }
                out.add(new Change(
                        t, seq++, view(id, stage, entered, slips, segment, amount, close, created), null, null));
            }
            int fate = r.nextInt(3);
            if (fate < 2) {
                t = time(r, t + (long) (r.nextDouble() * 120 * DAY));
                ForecastDeal v = view(id, stage, entered, slips, segment, amount, close, created);
                out.add(new Change(t, seq++, v, fate == 0, fate == 0 ? amount.add(BigDecimal.ONE) : null));
            }
        }
        out.sort(Comparator.comparingLong(Change::at).thenComparingInt(Change::seq));
        return out;
    }

    /** A third of the times moved on to the next month start, to tie with the learner's steps. */
    static long time(Random r, long t) {
        return r.nextInt(3) == 0 ? MONTH.endOf(MONTH.startOf(t)) : t;
    }

    static ForecastDeal view(
            String id,
            int stage,
            long entered,
            int slips,
            String segment,
            BigDecimal amount,
            Long close,
            long created) {
        return new ForecastDeal(id, STAGES[stage], 0.1 + 0.3 * stage, entered, slips, segment, amount, close, created);
    }
}
