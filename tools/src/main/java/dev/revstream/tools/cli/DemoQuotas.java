package dev.revstream.tools.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The demo's quota file (kpi.quotas): a monthly quota for each of the generator's twelve reps, from three
 * months before today to a year after (the demo's business days run from the past toward today and on).
 */
final class DemoQuotas {
    private DemoQuotas() {}

    /** Writes the file and returns its absolute path. */
    static Path write(Path file) throws IOException {
        StringBuilder yaml = new StringBuilder("quotas:\n");
        LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(3);
        for (LocalDate m = first; m.isBefore(first.plusMonths(16)); m = m.plusMonths(1)) {
            for (int rep = 1; rep <= 12; rep++) {
                yaml.append("  - { owner: rep-")
                        .append(rep)
                        .append(", period: 1M, start: ")
                        .append(m)
                        .append(", amount: ")
                        .append(150_000 + 25_000 * (rep % 5))
                        .append(" }\n");
            }
        }
        Files.writeString(file, yaml);
        return file.toAbsolutePath();
    }
}
