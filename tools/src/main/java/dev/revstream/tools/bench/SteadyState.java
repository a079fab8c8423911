package dev.revstream.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The steady state of a benchmark phase, from samples taken while it runs (about once a second):
 * the phase's progress (the source's records read, or an operator's counter such as the events the
 * journey applied), the operators' counters ({@link OperatorCounters}) and the CPU time of each Flink
 * task's threads (a task is an operator chain; its threads are named after it) and of the whole JVM
 * (JIT compiler and GC included). The figures cover the samples between the first at which
 * {@value #FROM} of the progress was made (start-up and JIT warm-up behind) and the last at which at
 * most {@value #TO} was (before the end of the input, where a bounded run drains and fires what
 * waited for the final watermark). Progress by the events applied, not read, keeps a replay that reads
 * ahead while the journey only buffers (its watermark holds back the input's disorder) from counting
 * reads as work done.
 */
final class SteadyState {
    static final double FROM = 0.2;
    static final double TO = 0.9;
    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?$");

    private record Sample(long nanos, long read, Map<String, Long> counters, Map<String, Long> taskCpu, long jvmCpu) {}

    /**
     * @param eventsPerSecond records read per second of wall time
     * @param jvmCpuMicrosPerEvent the job JVM's CPU per record (every thread, JIT and GC included)
     * @param taskCpuMicrosPerEvent per task (operator chain), CPU per record; the largest first
     * @param perEvent per operator counter ({@code <operator>.<metric>}), its count per record read:
     *     records in and out, timer firings
     */
    record Figures(
            long records,
            double seconds,
            double eventsPerSecond,
            double jvmCpuMicrosPerEvent,
            Map<String, Double> taskCpuMicrosPerEvent,
            Map<String, Double> perEvent) {}

    private final List<Sample> samples = new ArrayList<>();
    private final String readOperator;
    private final String progressCounter;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** @param readOperator (part of) the name of the operator whose records out are the records read (the progress) */
    SteadyState(String readOperator) {
        this(readOperator, null);
    }

    /**
     * @param progressCounter the operator counter ({@code <operator>.<metric>}) whose count is the phase's
     *     progress and the events of its figures; null for the records read
     */
    SteadyState(String readOperator, String progressCounter) {
        this.readOperator = readOperator;
        this.progressCounter = progressCounter;
    }

    private long progress(Sample s) {
        return progressCounter == null ? s.read() : s.counters().getOrDefault(progressCounter, 0L);
    }

    private long read(Map<String, Long> counters) {
        long n = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (e.getKey().contains(readOperator) && e.getKey().endsWith(".numRecordsOut")) {
                n += e.getValue();
            }
        }
        return n;
    }

    void sample() {
        Map<String, Long> counters = OperatorCounters.now();
        Map<String, Long> cpu = new HashMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = threads.getThreadCpuTime(t.getThreadId());
            if (ns > 0) {
                cpu.merge(SUBTASK.matcher(t.getThreadName()).replaceAll(""), ns, Long::sum);
            }
        }
        samples.add(new Sample(System.nanoTime(), read(counters), counters, cpu, os.getProcessCpuTime()));
    }

    /** The operators' counters at the last sample (empty before the first). */
    Map<String, Long> lastCounters() {
        return samples.isEmpty() ? Map.of() : samples.get(samples.size() - 1).counters();
    }

    /**
     * @param total the records the phase reads in all (the progress's total when it is the records read;
     *     else the counter's count at the last sample, taken once the phase ended)
     * @return null when too few samples fall in the steady part
     */
    Figures figures(long total) {
        long all = progressCounter == null || samples.isEmpty() ? total : progress(samples.get(samples.size() - 1));
        Sample from = null;
        Sample to = null;
        for (Sample s : samples) {
            if (from == null && progress(s) >= FROM * all) {
                from = s;
            }
            if (progress(s) <= TO * all) {
                to = s;
            }
        }
        if (from == null || to == null || progress(to) <= progress(from)) {
            return null;
        }
        double records = progress(to) - progress(from);
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        Map<String, Double> tasks = new LinkedHashMap<>();
        Sample a = from;
        to.taskCpu().entrySet().stream()
                .map(e -> Map.entry(
                        e.getKey(), (e.getValue() - a.taskCpu().getOrDefault(e.getKey(), 0L)) / 1e3 / records))
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> tasks.put(e.getKey(), e.getValue()));
        Map<String, Double> perEvent = new LinkedHashMap<>();
        to.counters().forEach((k, v) -> perEvent.put(k, (v - a.counters().getOrDefault(k, 0L)) / records));
        return new Figures(
                (long) records,
                seconds,
                records / seconds,
                (to.jvmCpu() - from.jvmCpu()) / 1e3 / records,
                tasks,
                perEvent);
    }
}
