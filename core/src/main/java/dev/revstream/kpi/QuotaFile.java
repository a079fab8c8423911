package dev.revstream.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a quota file (YAML): a list {@code quotas} of entries {@code owner}, {@code period} ({@code 1M},
 * {@code 1Q} or {@code 1y}), {@code start} (the period's first day, {@code YYYY-MM-DD}, a month, fiscal
 * quarter or fiscal year start) and {@code amount} (in the reporting currency, not negative). Every
 * problem is collected with its entry's number, then thrown at once.
 */
public final class QuotaFile {
    private QuotaFile() {}

    /** @throws IllegalArgumentException listing every problem */
    public static Quotas fromTree(JsonNode root, ZoneId zone, int fiscalStartMonth) {
        List<String> problems = new ArrayList<>();
        List<Quotas.Quota> out = new ArrayList<>();
        JsonNode list = root == null ? null : root.get("quotas");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("needs a list 'quotas' of {owner, period, start, amount}");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode q = list.get(i);
            String at = "quotas[" + i + "]";
            String owner = text(q, "owner");
            String period = text(q, "period");
            String start = text(q, "start");
            String amount = text(q, "amount");
            if (owner == null || period == null || start == null || amount == null) {
                problems.add(at + ": needs owner, period, start and amount");
                continue;
            }
            if (!List.of("1M", "1Q", "1y").contains(period)) {
                problems.add(at + ": period '" + period + "' is not one of 1M, 1Q, 1y");
                continue;
            }
            KpiWindow w = new KpiWindow(period, zone, fiscalStartMonth);
            long from;
            try {
                from = LocalDate.parse(start).atStartOfDay(zone).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                problems.add(at + ": start '" + start + "' is not a date YYYY-MM-DD");
                continue;
            }
            if (w.startOf(from) != from) {
                problems.add(at + ": start " + start + " is not the first day of a " + period + " period (fiscal year"
                        + " from month " + fiscalStartMonth + ")");
                continue;
            }
            BigDecimal a;
            try {
                a = new BigDecimal(amount);
            } catch (NumberFormatException e) {
                problems.add(at + ": amount '" + amount + "' is not a number");
                continue;
            }
            if (a.signum() < 0) {
                problems.add(at + ": amount " + amount + " is negative");
                continue;
            }
            if (!seen.add(owner + "|" + period + "|" + from)) {
                problems.add(at + ": " + owner + " has a " + period + " quota from " + start + " already");
                continue;
            }
            out.add(new Quotas.Quota(owner, period, from, a));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return Quotas.of(out);
    }

    private static String text(JsonNode q, String field) {
        JsonNode n = q == null ? null : q.get(field);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }
}
