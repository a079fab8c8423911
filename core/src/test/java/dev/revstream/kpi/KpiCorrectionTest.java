package dev.revstream.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Late facts and retractions: the latest report of every window equals what facts delivered in order
 * (without the retracted ones) give, whatever the arrival order within two days.
 */
class KpiCorrectionTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    private static final List<String> STAGES = List.of("QUALIFICATION", "PROPOSAL", "NEGOTIATION");

    private static KpiSettings settings() {
        return new KpiSettings(
                List.of(new KpiWindow("1h", ZoneOffset.UTC, 1), new KpiWindow("1d", ZoneOffset.UTC, 1)),
                STAGES,
                3 * DAY,
                2 * DAY,
                0.8,
                null,
                null,
                3 * DAY);
    }

    @Test
    void aLateFactRevisesTheWindowsItFallsInWithAHigherRevision() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(), "all=all");
        all.add(fact(FactKind.DEAL_WON, T0 + HOUR, "100", 0));
        all.advanceTo(T0 + 3 * DAY);
        int reported = all.snapshots.size();
        all.add(fact(FactKind.DEAL_WON, T0 + DAY + 2 * HOUR, "50", 0)); // a day and more late
        all.advanceTo(T0 + 3 * DAY + 1);
        List<KpiSnapshot> revised = all.snapshots.subList(reported, all.snapshots.size());
        assertThat(revised)
                .extracting(
                        KpiSnapshot::windowSize,
                        s -> Instant.ofEpochMilli(s.windowStart()).toString())
                .contains(
                        org.assertj.core.groups.Tuple.tuple("1h", "2026-01-06T02:00:00Z"),
                        org.assertj.core.groups.Tuple.tuple("1d", "2026-01-06T00:00:00Z"));
        assertThat(revised).allSatisfy(s -> assertThat(s.revision()).isEqualTo(1));
        KpiSnapshot day = revised.stream()
                .filter(s -> s.windowSize().equals("1d") && s.windowStart() == T0 + DAY)
                .findFirst()
                .orElseThrow();
        assertThat(day.values().deals().dealsWon()).isEqualTo(1);
        assertThat(day.values().deals().wonAmount()).isEqualByComparingTo("50");
        // windows before the fact are not reported again
        assertThat(revised).noneMatch(s -> s.windowEnd() <= T0 + DAY + 2 * HOUR);
    }

    @Test
    void aRetractedFactIsTakenBackAndAWindowLeftEmptyIsWithdrawn() throws Exception {
        MemoryKpiStore smb = new MemoryKpiStore(settings(), "segment=smb");
        KpiFact won = fact(FactKind.DEAL_WON, T0 + HOUR, "100", 0);
        smb.add(won);
        smb.add(fact(FactKind.DEAL_LOST, T0 + 5 * HOUR, null, 0));
        smb.advanceTo(T0 + 2 * DAY);
        int reported = smb.snapshots.size();
        smb.add(won.retraction());
        smb.advanceTo(T0 + 2 * DAY + 1);
        List<KpiSnapshot> revised = smb.snapshots.subList(reported, smb.snapshots.size());
        assertThat(revised)
                .filteredOn(s -> s.windowSize().equals("1h") && s.windowStart() == T0 + HOUR)
                .singleElement()
                .satisfies(s -> assertThat(s.isWithdrawn()).isTrue());
        assertThat(revised)
                .filteredOn(s -> s.windowSize().equals("1d") && s.windowStart() == T0)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.values().deals().dealsWon()).isZero();
                    assertThat(s.values().deals().dealsLost()).isEqualTo(1);
                });
    }

    @Test
    void aLateFactRightAfterARestoreRevisesAndTheFiringBehindTheLastOneMovesNothingBack() throws Exception {
        MemoryKpiStore all = new MemoryKpiStore(settings(), "all=all");
        all.add(fact(FactKind.DEAL_WON, T0 + HOUR, "100", 0));
        all.advanceTo(T0 + 3 * DAY);
        int reported = all.snapshots.size();
        // a restored job's watermark starts from nothing: the late fact's firing comes at the first one, whatever
        all.restored().add(fact(FactKind.DEAL_WON, T0 + DAY + 2 * HOUR, "50", 0));
        all.advanceTo(T0 + DAY);
        assertThat(all.snapshots.subList(reported, all.snapshots.size()))
                .filteredOn(s -> s.windowSize().equals("1d") && s.windowStart() == T0 + DAY)
                .singleElement()
                .satisfies(s -> assertThat(s.values().deals().wonAmount()).isEqualByComparingTo("50"));
        assertThat(all.firedThrough()).as("the books stay where they were").isEqualTo(T0 + 3 * DAY);
        int revised = all.snapshots.size();
        all.add(fact(FactKind.DEAL_WON, T0 + 2 * DAY + 2 * HOUR, "20", 0));
        all.advanceTo(T0 + 3 * DAY + 1);
        assertThat(all.snapshots.subList(revised, all.snapshots.size()))
                .as("a fact before the last firing is still a correction")
                .filteredOn(s -> s.windowSize().equals("1d") && s.windowStart() == T0 + 2 * DAY)
                .singleElement()
                .satisfies(s -> assertThat(s.revision()).isEqualTo(2));
    }

    @Test
    void theLatestReportOfEveryWindowEqualsTheInOrderOnes() throws Exception {
        for (long seed = 1; seed <= 60; seed++) {
            Random r = new Random(seed);
            List<KpiFact> facts = new ArrayList<>();
            List<KpiFact> phantoms = new ArrayList<>();
            for (int i = 0, n = 20 + r.nextInt(80); i < n; i++) {
                KpiFact f = randomFact(r);
                (r.nextInt(8) == 0 ? phantoms : facts).add(f);
            }
            for (String key : List.of("all=all", "segment=smb")) {
                Map<String, List<String>> inOrder = latest(run(key, facts, List.of(), new Random(seed), false));
                Map<String, List<String>> late = latest(run(key, facts, phantoms, new Random(seed), true));
                assertThat(late).as("seed %d, %s", seed, key).isEqualTo(inOrder);
            }
        }
    }

    @Test
    void factsAskForNoWakeUpOfTheirOwn() throws Exception {
        MemoryKpiStore one = new MemoryKpiStore(settings(), "all=all");
        MemoryKpiStore many = new MemoryKpiStore(settings(), "all=all");
        one.add(fact(FactKind.FIRST_MQL, T0 + 1, null, 0));
        for (int i = 1; i <= 50; i++) {
            many.add(fact(FactKind.FIRST_MQL, T0 + i * 60_000L, null, 0));
        }
        one.advanceTo(T0 + 2 * DAY);
        many.advanceTo(T0 + 2 * DAY);
        assertThat(many.firings).as("window ends and marks only").isEqualTo(one.firings);
        assertThat(many.snapshots.get(0).values().funnel().newMqls()).isEqualTo(50);
    }

    @Test
    void aWatermarkPassingManyInstantsAtOnceGivesTheSameReports() throws Exception {
        for (long seed = 1; seed <= 30; seed++) {
            Random r = new Random(seed);
            List<KpiFact> facts = new ArrayList<>();
            for (int i = 0, n = 50 + r.nextInt(150); i < n; i++) {
                facts.add(randomFact(r));
            }
            facts.sort(Comparator.comparingLong(KpiFact::at));
            for (String key : List.of("all=all", "segment=smb")) {
                // a day's and a week's windows looking back 36 hours: marks at noon, between window ends
                KpiSettings settings = seed % 2 == 0
                        ? settings()
                        : new KpiSettings(
                                List.of(new KpiWindow("1d", ZoneOffset.UTC, 1), new KpiWindow("1w", ZoneOffset.UTC, 1)),
                                STAGES,
                                36 * HOUR,
                                2 * DAY,
                                0.8,
                                null,
                                null,
                                3 * DAY);
                MemoryKpiStore stepByStep = new MemoryKpiStore(settings, key);
                MemoryKpiStore inJumps = new MemoryKpiStore(settings, key);
                for (KpiFact f : facts) {
                    stepByStep.advanceTo(f.at() - 1).add(f);
                    if (r.nextInt(25) == 0) {
                        inJumps.advanceTo(f.at() - 1); // past every instant since the last jump
                    }
                    inJumps.add(f);
                }
                stepByStep.advanceTo(T0 + 40 * DAY);
                inJumps.advanceTo(T0 + 40 * DAY);
                assertThat(reports(inJumps.snapshots))
                        .as("seed %d, %s", seed, key)
                        .isEqualTo(reports(stepByStep.snapshots));
            }
        }
    }

    @Test
    void factsAnEarlierReleaseKeptWaitingByInstantGiveTheSameReports() throws Exception {
        for (long seed = 1; seed <= 30; seed++) {
            Random r = new Random(seed);
            List<KpiFact> facts = new ArrayList<>();
            for (int i = 0, n = 20 + r.nextInt(60); i < n; i++) {
                facts.add(randomFact(r));
            }
            facts.sort(Comparator.comparingLong(KpiFact::at));
            long restored = T0 + (long) (r.nextDouble() * 20 * DAY);
            for (String key : List.of("all=all", "segment=smb")) {
                MemoryKpiStore now = new MemoryKpiStore(settings(), key);
                MemoryKpiStore before = new MemoryKpiStore(settings(), key);
                for (KpiFact f : facts) {
                    now.advanceTo(f.at() - 1).add(f);
                    before.advanceTo(f.at() - 1);
                    if (f.at() < restored) {
                        before.addAsBefore(f);
                    } else {
                        before.add(f);
                    }
                }
                now.advanceTo(T0 + 40 * DAY);
                before.advanceTo(T0 + 40 * DAY);
                List<String> a = reports(before.snapshots);
                List<String> b = reports(now.snapshots);
                for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
                    assertThat(a.get(k))
                            .as("seed %d, %s, report %d", seed, key, k)
                            .isEqualTo(b.get(k));
                }
                assertThat(a).as("seed %d, %s", seed, key).hasSameSizeAs(b);
                assertThat(before.legacyWaiting).isEmpty();
            }
        }
    }

    /** Every report, in order: window, start, revision and figures. */
    private static List<String> reports(List<KpiSnapshot> snapshots) {
        return snapshots.stream()
                .map(s -> s.windowSize() + "|" + Instant.ofEpochMilli(s.windowStart()) + "|" + s.revision() + "|"
                        + (s.isWithdrawn() ? "withdrawn" : s.values().figures()))
                .toList();
    }

    /** Arrivals: in order, or a tenth up to two days late and the phantoms emitted and later taken back. */
    private static List<KpiSnapshot> run(
            String key, List<KpiFact> facts, List<KpiFact> phantoms, Random r, boolean late) throws Exception {
        record Arrival(long at, KpiFact fact) {}
        List<Arrival> arrivals = new ArrayList<>();
        for (KpiFact f : facts) {
            long delay = late && r.nextInt(10) == 0 ? HOUR / 60 + (long) (r.nextDouble() * 2 * DAY) : 0;
            arrivals.add(new Arrival(f.at() + delay, f));
        }
        for (KpiFact f : phantoms) {
            arrivals.add(new Arrival(f.at(), f));
            arrivals.add(new Arrival(f.at() + (long) (r.nextDouble() * 2 * DAY), f.retraction()));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        MemoryKpiStore store = new MemoryKpiStore(settings(), key);
        for (Arrival a : arrivals) {
            store.advanceTo(a.at() - 1);
            store.add(a.fact());
        }
        store.advanceTo(T0 + 40 * DAY);
        return store.snapshots;
    }

    /**
     * The latest figures per window; a withdrawn window has none. A window of nothing but zeros counts
     * as none: when the key's first fact is retracted, its windows from there to the next fact stay,
     * empty (where an in-order run never began them).
     */
    private static Map<String, List<String>> latest(List<KpiSnapshot> snapshots) {
        Map<String, List<String>> out = new TreeMap<>();
        for (KpiSnapshot s : snapshots) {
            String k = s.windowSize() + "|" + Instant.ofEpochMilli(s.windowStart());
            if (s.isWithdrawn() || empty(s.values().figures())) {
                out.remove(k);
            } else {
                out.put(k, s.values().figures());
            }
        }
        return out;
    }

    private static boolean empty(List<String> figures) {
        return figures.stream().allMatch(f -> f.endsWith("=0") || f.endsWith("=0.00") || f.endsWith("=null"));
    }

    private static int deals;

    private static KpiFact randomFact(Random r) {
        long at = T0 + (long) (r.nextDouble() * 20 * DAY);
        String amount = Integer.toString(100 + r.nextInt(10_000));
        return switch (r.nextInt(10)) {
            case 0 -> fact(FactKind.DEAL_CREATED, at, amount, 0);
            case 1 -> fact(FactKind.DEAL_WON, at, amount, r.nextInt(30) * DAY);
            case 2 -> fact(FactKind.DEAL_LOST, at, null, 0);
            case 3 -> stageExit(at, STAGES.get(r.nextInt(3)), r.nextBoolean(), r.nextInt(10) * DAY);
            case 4 -> fact(FactKind.FIRST_MQL, at, null, 0);
            case 5 -> fact(FactKind.SPEND, at, amount, 0);
            case 6 -> arr(FactKind.ARR_LEVEL, at, amount, 1, null);
            case 7 -> arr(FactKind.ARR_FLOW, at, amount, 0, r.nextBoolean() ? "new" : "expansion");
            case 8 -> fact(FactKind.FIRST_SQL, at, null, 0, r.nextBoolean() ? at - r.nextInt(4 * 24) * HOUR : -1);
            default -> open(at, r.nextBoolean() ? 1 : -1, amount);
        };
    }

    private static KpiFact fact(FactKind kind, long at, String amount, long millis) {
        return fact(kind, at, amount, millis, -1);
    }

    /** @param since a first SQL's first MQL, when before it; -1 for none */
    private static KpiFact fact(FactKind kind, long at, String amount, long millis, long since) {
        return new KpiFact(
                kind,
                at,
                null,
                null,
                "smb",
                "emea",
                "rep-1",
                "new_business",
                null,
                "paid_search",
                1,
                amount == null ? null : new BigDecimal(amount),
                null,
                millis,
                false,
                "acct-1",
                "deal-1",
                null,
                since);
    }

    private static KpiFact stageExit(long at, String stage, boolean forward, long millis) {
        return new KpiFact(
                FactKind.STAGE_EXIT,
                at,
                null,
                null,
                "smb",
                "emea",
                "rep-1",
                "new_business",
                stage,
                null,
                1,
                null,
                null,
                millis,
                forward,
                "acct-1",
                "deal-1",
                null,
                -1);
    }

    private static KpiFact arr(FactKind kind, long at, String amount, long count, String flow) {
        return new KpiFact(
                kind,
                at,
                null,
                null,
                "smb",
                null,
                null,
                null,
                flow,
                null,
                count,
                new BigDecimal(amount),
                null,
                0,
                false,
                "acct-" + (++deals),
                null,
                null,
                -1);
    }

    private static KpiFact open(long at, long count, String amount) {
        BigDecimal a = new BigDecimal(amount);
        return new KpiFact(
                FactKind.OPEN,
                at,
                null,
                null,
                "smb",
                "emea",
                "rep-1",
                "new_business",
                null,
                null,
                count,
                count < 0 ? a.negate() : a,
                (count < 0 ? a.negate() : a).multiply(new BigDecimal("0.5")),
                0,
                false,
                "acct-1",
                "deal-" + (++deals),
                null,
                -1);
    }
}
