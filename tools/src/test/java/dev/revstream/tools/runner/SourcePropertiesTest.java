package dev.revstream.tools.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.ConfigLoader;
import dev.revstream.job.KafkaIo;
import dev.revstream.job.RevstreamJob.RunKind;
import dev.revstream.tools.testing.Infra;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The input consumer's properties the job sets for itself (docs/configuration.md), and kafka.properties over them. */
class SourcePropertiesTest {

    private static Properties of(RunKind kind, String... sets) {
        return KafkaIo.sourceProperties(ConfigLoader.load(Infra.projectConfig(), List.of(sets), Map.of()), kind);
    }

    @Test
    void liveFetchesWaitForSixteenKibOrFiftyMilliseconds() {
        Properties live = of(RunKind.LIVE);
        assertThat(live.getProperty("fetch.min.bytes")).isEqualTo("16384");
        assertThat(live.getProperty("fetch.max.wait.ms")).isEqualTo("50");
        assertThat(live.getProperty("isolation.level")).isEqualTo("read_committed");
        Properties bounded = of(RunKind.BOUNDED);
        assertThat(bounded.getProperty("fetch.min.bytes"))
                .as("a replay's fetches are full anyway")
                .isNull();
        assertThat(bounded.getProperty("isolation.level")).isEqualTo("read_committed");
    }

    @Test
    void kafkaPropertiesOverrideThem() {
        Properties live = of(
                RunKind.LIVE,
                "kafka.properties.fetch.min.bytes=1",
                "kafka.properties.fetch.max.wait.ms=500",
                "kafka.properties.isolation.level=read_uncommitted");
        assertThat(live.getProperty("fetch.min.bytes")).isEqualTo("1");
        assertThat(live.getProperty("fetch.max.wait.ms")).isEqualTo("500");
        assertThat(live.getProperty("isolation.level")).isEqualTo("read_uncommitted");
    }
}
