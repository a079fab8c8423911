package dev.revstream.kpi;

import dev.revstream.forecast.Period;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * A window size of docs/metrics.md: {@code 1h} (whole UTC hours), {@code 1d} (a calendar day),
 * {@code 1w} (Monday to Monday), {@code 1M}, {@code 1Q}, {@code 1y} in a zone, quarters and years
 * following the fiscal year's first month.
 */
public record KpiWindow(String name, ZoneId zone, int fiscalStartMonth) implements Serializable, Period {

    public KpiWindow {
        if (!List.of("1h", "1d", "1w", "1M", "1Q", "1y").contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a window size: 1h, 1d, 1w, 1M, 1Q or 1y");
        }
    }

    /** The start of the window holding {@code t}. */
    @Override
    public long startOf(long t) {
        if (name.equals("1h")) {
            return Math.floorDiv(t, 3_600_000L) * 3_600_000L;
        }
        LocalDate d = Instant.ofEpochMilli(t).atZone(zone).toLocalDate();
        LocalDate start = switch (name) {
            case "1d" -> d;
            case "1w" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "1M" -> d.withDayOfMonth(1);
            case "1Q" -> {
                int offset = Math.floorMod(d.getMonthValue() - fiscalStartMonth, 12);
                yield d.withDayOfMonth(1).minusMonths(offset % 3);
            }
            default -> {
                int offset = Math.floorMod(d.getMonthValue() - fiscalStartMonth, 12);
                yield d.withDayOfMonth(1).minusMonths(offset);
            }
        };
        return start.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The end of the window starting at {@code start} (the next window's start; of any instant: one window later). */
    @Override
    public long endOf(long start) {
        if (name.equals("1h")) {
            return start + 3_600_000L;
        }
        ZonedDateTime s = Instant.ofEpochMilli(start).atZone(zone);
        ZonedDateTime e = switch (name) {
            case "1d" -> s.plusDays(1);
            case "1w" -> s.plusWeeks(1);
            case "1M" -> s.plusMonths(1);
            case "1Q" -> s.plusMonths(3);
            default -> s.plusYears(1);
        };
        return e.toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
