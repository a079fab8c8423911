package dev.revstream.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Thousands of distinct sources make at most {@value SourceCounters#MAX_SOURCES} metric groups, and one for the rest. */
class SourceCountersTest {
    /** Records the groups made under it and the counters registered on it. */
    private static final class Recording extends UnregisteredMetricsGroup {
        final List<String> groups = new ArrayList<>();
        final List<SimpleCounter> counters = new ArrayList<>();
        final List<String> counterNames = new ArrayList<>();

        @Override
        public MetricGroup addGroup(String key, String value) {
            groups.add(key + "=" + value);
            return this;
        }

        @Override
        public Counter counter(String name) {
            SimpleCounter c = new SimpleCounter();
            counters.add(c);
            counterNames.add(name);
            return c;
        }
    }

    @Test
    void sourcesPastTheCapShareOneGroupAndAreCounted() {
        Recording group = new Recording();
        SourceCounters counters = new SourceCounters(group, "eventsIn");
        long events = 0;
        for (int i = 0; i < 5_000; i++) {
            counters.inc("source-" + i);
            counters.inc("source-" + (i % 10)); // the first sources again: their own counters
            events += 2;
        }
        assertThat(group.groups).hasSize(SourceCounters.MAX_SOURCES + 1).contains("source=other");
        assertThat(counters.sources()).isEqualTo(SourceCounters.MAX_SOURCES + 1);
        long overCap =
                group.counters.get(group.counterNames.indexOf("sourcesOverCap")).getCount();
        assertThat(overCap).isEqualTo(5_000 - SourceCounters.MAX_SOURCES);
        long counted = 0;
        for (int i = 0; i < group.counters.size(); i++) {
            if (group.counterNames.get(i).equals("eventsIn")) {
                counted += group.counters.get(i).getCount();
            }
        }
        assertThat(counted).as("every event counted once").isEqualTo(events);
    }
}
