package dev.revstream.job.ingest;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * One counter per source ({@code revstream.source.<source>.<name>}), for at most {@value #MAX_SOURCES}
 * distinct sources per subtask: a source is whatever a producer writes, and every metric group is
 * held by the metric registry and exported by every reporter, so the sources after the first
 * {@value #MAX_SOURCES} share the group {@code source=other} and are counted in
 * {@code revstream.sourcesOverCap}. Per-source counts without a cap are in the data-quality topic.
 */
public final class SourceCounters {
    static final int MAX_SOURCES = 100;
    static final String OTHER = "other";

    private final MetricGroup revstream;
    private final String name;
    private final Map<String, Counter> bySource = new HashMap<>();
    private final Counter overCap;

    /** @param revstream the {@code revstream} metric group of the function */
    public SourceCounters(MetricGroup revstream, String name) {
        this(revstream, name, revstream.counter("sourcesOverCap"));
    }

    /** As above, sharing {@code sourcesOverCap} with another set of the function's counters. */
    SourceCounters(MetricGroup revstream, String name, Counter overCap) {
        this.revstream = revstream;
        this.name = name;
        this.overCap = overCap;
    }

    Counter overCap() {
        return overCap;
    }

    public void inc(String source) {
        Counter c = bySource.get(source);
        if (c == null) {
            if (bySource.size() >= MAX_SOURCES) {
                overCap.inc();
                c = bySource.computeIfAbsent(
                        OTHER, o -> revstream.addGroup("source", OTHER).counter(name));
            } else {
                c = revstream.addGroup("source", source).counter(name);
                bySource.put(source, c);
            }
        }
        c.inc();
    }

    int sources() {
        return bySource.size();
    }
}
