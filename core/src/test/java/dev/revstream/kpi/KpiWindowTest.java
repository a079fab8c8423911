package dev.revstream.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class KpiWindowTest {
    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void aDayInAZoneWithDaylightSavingLasts23Or25Hours() {
        KpiWindow day = new KpiWindow("1d", ZoneId.of("Europe/Berlin"), 1);
        long spring = day.startOf(t("2026-03-29T10:00:00Z"));
        assertThat(Instant.ofEpochMilli(spring)).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(day.endOf(spring) - spring).isEqualTo(23 * 3_600_000L);
        long autumn = day.startOf(t("2026-10-25T10:00:00Z"));
        assertThat(day.endOf(autumn) - autumn).isEqualTo(25 * 3_600_000L);
    }

    @Test
    void weeksRunMondayToMondayAndHoursAreUtcHours() {
        KpiWindow week = new KpiWindow("1w", ZoneOffset.UTC, 1);
        assertThat(Instant.ofEpochMilli(week.startOf(t("2026-11-22T12:00:00Z"))))
                .isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
        KpiWindow hour = new KpiWindow("1h", ZoneId.of("Asia/Kolkata"), 1);
        assertThat(Instant.ofEpochMilli(hour.startOf(t("2026-11-22T12:34:56Z"))))
                .isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
    }

    @Test
    void quartersAndYearsFollowTheFiscalYear() {
        KpiWindow q = new KpiWindow("1Q", ZoneOffset.UTC, 4);
        long s = q.startOf(t("2026-03-15T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(s)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(q.endOf(s))).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(q.startOf(t("2026-05-15T00:00:00Z"))))
                .isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        KpiWindow y = new KpiWindow("1y", ZoneOffset.UTC, 4);
        assertThat(Instant.ofEpochMilli(y.startOf(t("2026-03-15T00:00:00Z"))))
                .isEqualTo(Instant.parse("2025-04-01T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(new KpiWindow("1M", ZoneOffset.UTC, 1).endOf(t("2026-02-01T00:00:00Z"))))
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThatThrownBy(() -> new KpiWindow("2d", ZoneOffset.UTC, 1))
                .hasMessageContaining("1h, 1d, 1w, 1M, 1Q or 1y");
    }
}
