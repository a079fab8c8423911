package dev.revstream.collector;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the collector did with the requests of each vendor: written, refused for the signature (401),
 * too large (413), or not written because Kafka did not acknowledge in time (503). Served as JSON
 * on {@code /metrics}.
 */
public final class CollectorCounts {
    /** What happened to one request. */
    public enum Outcome {
        WRITTEN,
        BAD_SIGNATURE,
        TOO_LARGE,
        NOT_WRITTEN
    }

    private final Map<Vendor, Map<Outcome, AtomicLong>> counts = new EnumMap<>(Vendor.class);

    public CollectorCounts() {
        for (Vendor v : Vendor.values()) {
            Map<Outcome, AtomicLong> m = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                m.put(o, new AtomicLong());
            }
            counts.put(v, m);
        }
    }

    void inc(Vendor v, Outcome o) {
        counts.get(v).get(o).incrementAndGet();
    }

    public long get(Vendor v, Outcome o) {
        return counts.get(v).get(o).get();
    }

    /** {@code {"segment": {"written": 3, "badSignature": 0, ...}, ...}}. */
    Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((v, m) -> {
            Map<String, Long> row = new TreeMap<>();
            m.forEach((o, n) -> row.put(name(o), n.get()));
            out.put(v.path(), row);
        });
        return out;
    }

    private static String name(Outcome o) {
        return switch (o) {
            case WRITTEN -> "written";
            case BAD_SIGNATURE -> "badSignature";
            case TOO_LARGE -> "tooLarge";
            case NOT_WRITTEN -> "notWritten";
        };
    }
}
