package dev.revstream.tools.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for the benchmark: the embedded Flink runs in the benchmark's JVM, so it
 * keeps the live {@link Counter} objects of every operator (records in and out, the journey's and
 * the KPIs' timer firings) and the benchmark reads them whenever it samples, at no cost to the job
 * (a counter is read, not polled through the REST API, which archives the execution graph). Counters
 * are summed over subtasks by operator name; a subtask that finishes (a bounded source reaching its
 * end) leaves its final count.
 */
public final class OperatorCounters implements MetricReporter {
    private static final Set<String> WANTED = Set.of(
            "numRecordsIn",
            "numRecordsOut",
            "firings",
            "eventsApplied",
            "duplicates",
            "snapshotsCopied",
            "snapshotsReplayed",
            "corrections");
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();
    private static final Map<String, Long> RETIRED = new ConcurrentHashMap<>();

    /** Configured as {@code metrics.reporter.bench.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new OperatorCounters();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String operator = group.getAllVariables().get("<operator_name>");
        if (operator != null && WANTED.contains(name) && metric instanceof Counter c) {
            COUNTERS.computeIfAbsent(operator + "." + name, k -> new CopyOnWriteArrayList<>())
                    .add(c);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String operator = group.getAllVariables().get("<operator_name>");
        if (operator != null) {
            List<Counter> l = COUNTERS.get(operator + "." + name);
            if (l != null && l.remove(metric)) {
                RETIRED.merge(operator + "." + name, ((Counter) metric).getCount(), Long::sum);
            }
        }
    }

    /** Forgets the counters of earlier jobs. */
    static void reset() {
        COUNTERS.clear();
        RETIRED.clear();
    }

    /** Every counter now, {@code <operator>.<metric>}, summed over subtasks. */
    static Map<String, Long> now() {
        Map<String, Long> out = new TreeMap<>();
        COUNTERS.forEach(
                (k, l) -> out.put(k, l.stream().mapToLong(Counter::getCount).sum()));
        RETIRED.forEach((k, n) -> out.merge(k, n, Long::sum));
        return out;
    }
}
