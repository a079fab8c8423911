package dev.revstream.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark's latency mode from rotting: a run of seconds in both delivery modes must
 * write at the asked rate from a load generator in a JVM of its own, see the journey updates the events cause, and report ordered
 * percentiles. It asserts no latency figure: those are claimed from real bench runs only.
 */
class LatencySmokeTest {

    @Test
    void aShortRunInBothModesMeasuresTheOutputsEventsCause() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "latency-");
        List<String> progress = new ArrayList<>();
        List<LatencyBench.Run> runs = LatencyBench.run(new LatencyBench.Options(
                200,
                Duration.ofSeconds(8),
                Duration.ofSeconds(2),
                300,
                11,
                List.of("at-least-once", "exactly-once"),
                List.of("job.checkpoint-interval=1s", "kafka.transaction-timeout=60s", "job.checkpoint-timeout=45s"),
                work.toAbsolutePath(),
                progress::add));
        assertThat(runs).extracting(LatencyBench.Run::delivery).containsExactly("at-least-once", "exactly-once");
        for (LatencyBench.Run r : runs) {
            assertThat(r.sent()).as("records written in 8 s at 200/s").isBetween(1_400L, 1_601L);
            assertThat(r.outOfOrderness()).isEqualTo("PT0S");
            LatencyBench.Percentiles journey = r.latency().get(LatencyBench.JOURNEY);
            assertThat(journey.count())
                    .as(r.delivery() + ": journey updates measured")
                    .isPositive();
            assertThat(journey.p50()).isLessThanOrEqualTo(journey.p99());
            assertThat(journey.p99()).isLessThanOrEqualTo(journey.p999());
            assertThat(journey.p999()).isLessThanOrEqualTo(journey.max());
            LatencyBench.JourneyCounts counts = r.journey();
            assertThat(counts.eventsIn())
                    .as(r.delivery() + ": the journey's counters reach the benchmark")
                    .isPositive();
            assertThat(counts.applied() + counts.corrected()).isLessThanOrEqualTo(counts.eventsIn());
            assertThat(counts.firings()).isPositive();
        }
        assertThat(progress)
                .anyMatch(l -> l.startsWith("latency at-least-once: writing"))
                .anyMatch(l -> l.matches("latency exactly-once: \\d+ s, [0-9,]+ events written by the load generator"
                        + " \\(pid \\d+\\)"))
                .as("the load generator is a process of its own")
                .noneMatch(l -> l.endsWith("(pid " + ProcessHandle.current().pid() + ")"));
    }
}
