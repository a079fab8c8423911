package dev.revstream.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark harness from rotting: a run of a few seconds (its own broker process, both
 * phases) must complete, count every pre-loaded record in both phases, and produce the JSON fields
 * results are compared by. It asserts no speed: performance is claimed from real bench runs only.
 */
class BenchmarkSmokeTest {

    @Test
    void aSmallRunCompletesAndCountsEveryRecord() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "bench-");
        List<String> progress = new ArrayList<>();
        Benchmark.Result r = Benchmark.run(new Benchmark.Options(
                4_000,
                400,
                2,
                7,
                List.of("job.checkpoint-interval=1s", "kafka.transaction-timeout=60s", "job.checkpoint-timeout=45s"),
                work.toAbsolutePath(),
                progress::add));
        assertThat(r.events()).isEqualTo(4_000);
        assertThat(r.ceiling().records()).as("the ceiling read every record").isEqualTo(4_000);
        assertThat(r.full().records()).isEqualTo(4_000);
        assertThat(r.accepted()).isPositive().isLessThanOrEqualTo(4_000);
        assertThat(r.json().get("accountsWithEvents").asLong()).isPositive().isLessThanOrEqualTo(400);
        assertThat(r.json().get("businessDays").asDouble()).isPositive();
        assertThat(r.ceiling().eventsPerSecond()).isPositive();
        assertThat(r.full().eventsPerSecond()).isPositive();
        assertThat(r.full().checkpoints()).isPositive();
        // the operators' counters reach the benchmark (its steady-state figures are made of them)
        assertThat(r.full().counters())
                .hasEntrySatisfying("journey.firings", n -> assertThat(n).isPositive())
                // the full job's steady state is measured by what the journey applied: every event it received
                // but the copies it dropped (it de-duplicates the events that name their account)
                .hasEntrySatisfying(
                        "journey.eventsApplied",
                        n -> assertThat(n + r.full().counters().get("journey.duplicates"))
                                .isPositive()
                                .isEqualTo(r.full().counters().get("journey.numRecordsIn")))
                .anySatisfy((k, n) -> assertThat(k).contains("kafka-input").endsWith(".numRecordsOut"));
        assertThat(r.json().get("ceiling").get("eventsPerSecond").asDouble()).isPositive();
        assertThat(r.json().get("full").get("eventsPerSecond").asDouble()).isPositive();
        assertThat(progress).anyMatch(l -> l.startsWith("pre-loaded")).anyMatch(l -> l.startsWith("full:"));
    }
}
