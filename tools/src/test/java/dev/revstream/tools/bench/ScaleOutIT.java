package dev.revstream.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.tools.testing.Infra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scale-out benchmark on a small replay (counts, not speed): the packaged job jar on a standalone
 * cluster at parallelism 2, and what it reads back from the cluster's REST API per vertex.
 */
class ScaleOutIT {
    private static final Path WORK = Path.of("target", "scale-out-it").toAbsolutePath();

    @Test
    void readsEveryKeyedVertexsSubtasksFromTheCluster() throws Exception {
        Infra.deleteQuietly(WORK);
        Path jobJar = Path.of(System.getProperty("revstream.jobJar", "target/revstream-job.jar"))
                .toAbsolutePath();
        Path toolsTarget = Path.of(System.getProperty("revstream.libDir", "target/lib"))
                .toAbsolutePath()
                .getParent();
        List<String> progress = new ArrayList<>();
        List<ScaleOut.Run> runs = ScaleOut.run(new ScaleOut.Options(
                3_000,
                300,
                1,
                7,
                List.of(2),
                List.of(),
                WORK,
                jobJar,
                toolsTarget,
                Duration.ofMinutes(5),
                progress::add));

        System.out.println(ScaleOut.describe(runs.get(0)));
        assertThat(runs).hasSize(1);
        ScaleOut.Run run = runs.get(0);
        assertThat(run.parallelism()).isEqualTo(2);
        assertThat(run.events()).isEqualTo(3_000);
        assertThat(run.eventsPerSecond()).isPositive();
        Map<String, ScaleOut.Vertex> keyed = run.vertices().stream()
                .filter(ScaleOut.Vertex::keyed)
                .collect(Collectors.toMap(v -> ScaleOut.shortName(v.name()), Function.identity()));
        assertThat(keyed).containsKeys("dedup", "journey", "kpis", "data-quality", "deal-accounts");
        // the source, the router and the route are chained; events that name their account go straight to the
        // journey, the rest (here the deal events, about a fifth) are keyed by their id
        ScaleOut.Vertex dedup = keyed.get("dedup");
        assertThat(dedup.parallelism()).isEqualTo(2);
        assertThat(dedup.records()).isBetween(300L, 1_500L);
        assertThat(dedup.bytes()).isGreaterThan(dedup.records() * 50);
        assertThat(dedup.recordsSkew()).isBetween(1.0, 2.0);
        assertThat(dedup.maxRecords()).isGreaterThanOrEqualTo(dedup.records() / 2);
        // the journey hears of every valid event (this data names the account in each), the copies of those that
        // name it included (it drops them)
        assertThat(keyed.get("journey").records()).isBetween(2_500L, 3_000L);
        assertThat(keyed.get("kpis").records()).isPositive();
        assertThat(run.vertices().stream().filter(v -> !v.keyed()))
                .as("the source reads every record")
                .anyMatch(v -> v.name().startsWith("Source: kafka-input") && v.records() == 3_000);
        assertThat(String.join("\n", progress)).contains("parallelism 2 (1 TaskManager)");
    }
}
