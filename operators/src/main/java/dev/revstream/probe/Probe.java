package dev.revstream.probe;

import java.util.concurrent.atomic.AtomicLong;

/** TEMPORARY instrumentation. */
public final class Probe {
    public static final AtomicLong FIRINGS = new AtomicLong();
    public static final AtomicLong WITH_EVENTS = new AtomicLong();
    public static final AtomicLong RUNS = new AtomicLong();
    public static final AtomicLong TICKS = new AtomicLong();
    public static final AtomicLong CEL = new AtomicLong();
    public static final AtomicLong ELEMENTS = new AtomicLong();
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.printf(
                "PROBE firings=%d withEvents=%d elements=%d ruleRuns=%d ticks=%d cel=%d%n", FIRINGS.get(), WITH_EVENTS.get(),
                ELEMENTS.get(), RUNS.get(), TICKS.get(), CEL.get())));
    }
    public static void dump(String what) {
        System.err.printf("PROBE %s firings=%d withEvents=%d elements=%d ruleRuns=%d ticks=%d cel=%d%n", what, FIRINGS.get(), WITH_EVENTS.get(),
                ELEMENTS.get(), RUNS.get(), TICKS.get(), CEL.get());
    }
}
