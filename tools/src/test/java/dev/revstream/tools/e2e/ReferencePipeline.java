package dev.revstream.tools.e2e;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The pipeline metrics of docs/metrics.md#pipeline computed straight from every deal's states after
 * each of its events, for the randomized KPI test: the open deals by stage and forecast category at a
 * window's end, and the movement of the deals expected to close in the window, each change of a deal
 * in the window sorted by the definitions (not by the engine's running totals).
 */
final class ReferencePipeline {
    static final String[] CATEGORIES = {"pipeline", "best_case", "commit", "omitted"};
    static final String[] FLOWS = {
        "openAtStart",
        "created",
        "pulledIn",
        "movedIn",
        "increased",
        "pushedOut",
        "decreased",
        "won",
        "lost",
        "movedOut",
        "openAtEnd",
        "regressed"
    };

    private ReferencePipeline() {}

    /**
     * Adds the pipeline metrics of one window and dimension value to {@code m}.
     *
     * @param key whether a deal state counts under the dimension value
     */
    static void metrics(
            Map<String, BigDecimal> m,
            List<List<ReferenceKpis.Snap>> deals,
            List<String> stages,
            boolean moves,
            long start,
            long end,
            Predicate<ReferenceKpis.Snap> key,
            long wonCount,
            BigDecimal wonAmount) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        for (String s : stages) {
            counts.put("pipelineByStage." + s, new long[1]);
            amounts.put("pipelineByStage." + s, BigDecimal.ZERO);
        }
        for (String c : CATEGORIES) {
            counts.put("forecastCategory." + c, new long[1]);
            amounts.put("forecastCategory." + c, BigDecimal.ZERO);
        }
        for (List<ReferenceKpis.Snap> snaps : deals) {
            ReferenceKpis.Snap last = at(snaps, end);
            if (last != null && last.open() && key.test(last)) {
                add(counts, amounts, "pipelineByStage." + stages.get(last.stage()), 1, last.amount());
                add(counts, amounts, "forecastCategory." + last.category(), 1, last.amount());
            }
        }
        counts.put("forecastCategory.closed", new long[] {wonCount});
        amounts.put("forecastCategory.closed", wonAmount);
        if (moves) {
            for (String f : FLOWS) {
                counts.put("pipelineMovement." + f, new long[1]);
                amounts.put("pipelineMovement." + f, BigDecimal.ZERO);
            }
            for (List<ReferenceKpis.Snap> snaps : deals) {
                ReferenceKpis.Snap first = at(snaps, start);
                if (inSet(first, key, start, end)) {
                    add(counts, amounts, "pipelineMovement.openAtStart", 1, first.amount());
                }
                ReferenceKpis.Snap last = at(snaps, end);
                if (inSet(last, key, start, end)) {
                    add(counts, amounts, "pipelineMovement.openAtEnd", 1, last.amount());
                }
                ReferenceKpis.Snap before = null;
                for (ReferenceKpis.Snap now : snaps) {
                    if (now.at() >= start && now.at() < end) {
                        move(counts, amounts, stages, before, now, key, start, end);
                    }
                    before = now;
                }
            }
        }
        counts.forEach((k, n) -> {
            m.put(k + ".deals", BigDecimal.valueOf(n[0]));
            m.put(k + ".amount", ReferenceKpis.money(amounts.get(k)));
        });
    }

    /** One change of a deal in the window, sorted. Changes that moved nothing (no new state) count for nothing. */
    private static void move(
            Map<String, long[]> counts,
            Map<String, BigDecimal> amounts,
            List<String> stages,
            ReferenceKpis.Snap before,
            ReferenceKpis.Snap now,
            Predicate<ReferenceKpis.Snap> key,
            long start,
            long end) {
        String p = "pipelineMovement.";
        boolean wasHere = before != null && before.open() && key.test(before);
        if (before == null || !before.open()) {
            if (now.open() && key.test(now) && in(now.ecd(), start, end)) {
                add(counts, amounts, p + "created", 1, now.amount());
            }
            return;
        }
        if (!now.open()) {
            if (wasHere) {
                boolean won = now.won();
                if (!in(before.ecd(), start, end)) {
                    add(counts, amounts, p + "pulledIn", 1, before.amount());
                }
                add(counts, amounts, p + (won ? "won" : "lost"), 1, before.amount());
            }
            return;
        }
        boolean isHere = key.test(now);
        boolean inBefore = in(before.ecd(), start, end);
        boolean inNow = in(now.ecd(), start, end);
        if (wasHere && isHere) {
            if (inBefore && inNow) {
                int cmp = now.amount().compareTo(before.amount());
                if (cmp > 0) {
                    add(counts, amounts, p + "increased", 1, now.amount().subtract(before.amount()));
                } else if (cmp < 0) {
                    add(counts, amounts, p + "decreased", 1, before.amount().subtract(now.amount()));
                }
                if (now.stage() < before.stage()) {
                    add(counts, amounts, p + "regressed", 1, now.amount());
                }
            } else if (inNow) {
                add(counts, amounts, p + "pulledIn", 1, now.amount());
            } else if (inBefore) {
                add(counts, amounts, p + "pushedOut", 1, before.amount());
            }
        } else if (wasHere && inBefore) {
            add(counts, amounts, p + "movedOut", 1, before.amount());
        } else if (isHere && inNow) {
            add(counts, amounts, p + "movedIn", 1, now.amount());
        }
    }

    private static boolean inSet(ReferenceKpis.Snap s, Predicate<ReferenceKpis.Snap> key, long start, long end) {
        return s != null && s.open() && key.test(s) && in(s.ecd(), start, end);
    }

    /** Whether a close date's day starts in [start, end) (UTC, as the test runs). */
    private static boolean in(String ecd, long start, long end) {
        if (ecd == null) {
            return false;
        }
        long day = LocalDate.parse(ecd).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return day >= start && day < end;
    }

    /** The deal's state before {@code t}: after its last event before t, or null. */
    private static ReferenceKpis.Snap at(List<ReferenceKpis.Snap> snaps, long t) {
        ReferenceKpis.Snap last = null;
        for (ReferenceKpis.Snap s : snaps) {
            if (s.at() < t) {
                last = s;
            }
        }
        return last;
    }

    private static void add(
            Map<String, long[]> counts, Map<String, BigDecimal> amounts, String k, long n, BigDecimal a) {
        counts.get(k)[0] += n;
        amounts.put(k, amounts.get(k).add(a));
    }
}
