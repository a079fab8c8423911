package dev.revstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Test;

/**
 * The deployment files cannot run here (no Docker engine), so they are checked statically: they
 * parse, and the images, paths, class names and option keys they use are the project's.
 */
class DockerFilesTest {
    private static final Path ROOT = Files.isDirectory(Path.of("..", "docker")) ? Path.of("..") : Path.of(".");

    @Test
    void theComposeFileRunsTheJobJarWithTheProjectsNamesAndValidFlinkOptions() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker/docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("kafka", "jobmanager", "taskmanager");
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String kafkaVersion = between(pom, "<kafka.version>", "</kafka.version>");
        String flinkVersion = between(pom, "<flink.version>", "</flink.version>");
        assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);

        String command = services.get("jobmanager").get("command").asText();
        String mainClass = command.replaceAll(".*--job-classname\\s+(\\S+).*", "$1").trim();
        assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
        assertThat(command).contains("--config /opt/revstream/config/revstream.yaml").contains("--bootstrap kafka:9092");

        Set<String> known = Set.of(JobManagerOptions.ADDRESS.key(), CoreOptions.DEFAULT_PARALLELISM.key(),
                StateBackendOptions.STATE_BACKEND.key(), CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key(),
                CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), CheckpointingOptions.SAVEPOINT_DIRECTORY.key(),
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION.key(), TaskManagerOptions.NUM_TASK_SLOTS.key(),
                "metrics.reporter.prom.factory.class", "metrics.reporter.prom.port");
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertThat(services.get(service).get("image").asText()).isEqualTo("revstream:0.1.0");
            assertThat(services.get(service).get("environment").get("FLINK_PROPERTIES").asText())
                    .contains("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            for (String line : services.get(service).get("environment").get("FLINK_PROPERTIES").asText().split("\n")) {
                if (!line.isBlank()) {
                    assertThat(known).as("a Flink option of %s", service).contains(line.substring(0, line.indexOf(':')).trim());
                }
            }
        }

        List<String> dockerfile = new ArrayList<>(Files.readAllLines(ROOT.resolve("docker/Dockerfile")));
        assertThat(dockerfile).anyMatch(l -> l.equals("FROM flink:" + flinkVersion + "-java17"));
        // the jar the shade plugin builds, and the configuration the command reads
        assertThat(Files.readString(ROOT.resolve("jobs/pom.xml"))).contains("revstream-job.jar");
        assertThat(dockerfile).anyMatch(l -> l.startsWith("COPY jobs/target/revstream-job.jar /opt/flink/usrlib/"));
        assertThat(dockerfile).anyMatch(l -> l.equals("COPY config/ /opt/revstream/config/"));
        assertThat(ROOT.resolve("config/revstream.yaml")).exists();
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a) + a.length();
        return s.substring(i, s.indexOf(b, i));
    }
}
