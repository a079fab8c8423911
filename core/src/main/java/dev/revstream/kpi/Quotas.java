package dev.revstream.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sales quotas: an amount per owner for a period (a window of size {@code 1M}, {@code 1Q} or {@code 1y}
 * starting at a given instant). A window of that size and start reports, under {@code ownerId=<owner>},
 * the owner's quota and attainment, and under {@code all} the sum of every owner's quota for it.
 */
public final class Quotas implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One owner's quota for one period. */
    public record Quota(String ownerId, String period, long start, BigDecimal amount) implements Serializable {}

    private static final Quotas NONE = new Quotas(List.of());

    private final Map<String, BigDecimal> byOwner = new HashMap<>();
    private final Map<String, BigDecimal> total = new HashMap<>();
    private final int size;

    private Quotas(List<Quota> quotas) {
        for (Quota q : quotas) {
            byOwner.merge(q.ownerId() + "|" + q.period() + "|" + q.start(), q.amount(), BigDecimal::add);
            total.merge(q.period() + "|" + q.start(), q.amount(), BigDecimal::add);
        }
        size = quotas.size();
    }

    public static Quotas of(List<Quota> quotas) {
        return quotas.isEmpty() ? NONE : new Quotas(quotas);
    }

    public static Quotas none() {
        return NONE;
    }

    public int size() {
        return size;
    }

    /**
     * The quota of the window of size {@code w} starting at {@code start} for a dimension value
     * ({@code dimension=value}): an owner's, the sum of all for {@code all}, else null (none set).
     */
    public BigDecimal of(String key, KpiWindow w, long start) {
        if (key.equals("all=all")) {
            return total.get(w.name() + "|" + start);
        }
        if (key.startsWith("ownerId=")) {
            return byOwner.get(key.substring("ownerId=".length()) + "|" + w.name() + "|" + start);
        }
        return null;
    }
}
