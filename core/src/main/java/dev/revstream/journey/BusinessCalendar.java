package dev.revstream.journey;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * Working time: the configured days, the daily hours and the zone they are in. Adds a duration of
 * working time to an instant, e.g. for a hand-off SLA of "8 business hours".
 */
public final class BusinessCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EnumSet<DayOfWeek> days;
    private final LocalTime open;
    private final LocalTime close;
    private final ZoneId zone;

    public BusinessCalendar(Set<DayOfWeek> days, LocalTime open, LocalTime close, ZoneId zone) {
        if (days.isEmpty() || !open.isBefore(close)) {
            throw new IllegalArgumentException(
                    "business hours need at least one day and an opening before the closing time");
        }
        this.days = EnumSet.copyOf(days);
        this.open = open;
        this.close = close;
        this.zone = zone;
    }

    /** The instant at which {@code millis} of working time have passed since {@code start}. */
    public long add(long start, long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(start).atZone(zone);
        long left = millis;
        for (int guard = 0; guard < 100_000; guard++) {
            LocalDate day = t.toLocalDate();
            ZonedDateTime dayOpen = day.atTime(open).atZone(zone);
            ZonedDateTime dayClose = day.atTime(close).atZone(zone);
            if (days.contains(day.getDayOfWeek()) && t.isBefore(dayClose)) {
                ZonedDateTime from = t.isBefore(dayOpen) ? dayOpen : t;
                long available =
                        dayClose.toInstant().toEpochMilli() - from.toInstant().toEpochMilli();
                if (left <= available) {
                    return from.toInstant().toEpochMilli() + left;
                }
                left -= available;
            }
            t = day.plusDays(1).atStartOfDay(zone);
        }
        throw new IllegalStateException("working time does not reach " + millis + " ms");
    }
}
