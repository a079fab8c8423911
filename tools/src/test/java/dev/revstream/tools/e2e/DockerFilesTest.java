package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.revstream.cli.CommandLines;
import dev.revstream.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.junit.jupiter.api.Test;

/**
 * The deployment files cannot run here (no Docker engine), so they are checked statically: they
 * parse, and the images, paths, class names and option keys they use are the project's.
 */
class DockerFilesTest {
    private static final Path ROOT = Files.isDirectory(Path.of("..", "docker")) ? Path.of("..") : Path.of(".");

    @Test
    void theComposeFileRunsTheJobJarWithTheProjectsNamesAndValidFlinkOptions() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("docker/docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertThat(services.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("kafka", "jobmanager", "taskmanager", "wallboard", "alert-router");
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String kafkaVersion = between(pom, "<kafka.version>", "</kafka.version>");
        String flinkVersion = between(pom, "<flink.version>", "</flink.version>");
        assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);

        String command = services.get("jobmanager").get("command").asText();
        String mainClass =
                command.replaceAll(".*--job-classname\\s+(\\S+).*", "$1").trim();
        assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
        assertThat(command)
                .contains("--config /opt/revstream/config/revstream.yaml")
                .contains("--bootstrap kafka:9092");

        Set<String> known = Set.of(
                JobManagerOptions.ADDRESS.key(),
                CoreOptions.DEFAULT_PARALLELISM.key(),
                StateBackendOptions.STATE_BACKEND.key(),
                CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key(),
                CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                CheckpointingOptions.SAVEPOINT_DIRECTORY.key(),
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION.key(),
                TaskManagerOptions.NUM_TASK_SLOTS.key(),
                "metrics.reporter.prom.factory.class",
                "metrics.reporter.prom.port",
                RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE.key());
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertThat(services.get(service).get("image").asText()).isEqualTo("revstream:0.1.0");
            assertThat(services.get(service)
                            .get("environment")
                            .get("FLINK_PROPERTIES")
                            .asText())
                    .contains("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            for (String line : services.get(service)
                    .get("environment")
                    .get("FLINK_PROPERTIES")
                    .asText()
                    .split("\n")) {
                if (!line.isBlank()) {
                    assertThat(known)
                            .as("a Flink option of %s", service)
                            .contains(line.substring(0, line.indexOf(':')).trim());
                }
            }
        }

        // the consumers: their own jars and main classes, with options their commands accept
        for (String service : List.of("wallboard", "alert-router")) {
            String module = service.equals("wallboard") ? "wallboard" : "router";
            JsonNode entry = services.get(service).get("entrypoint");
            assertThat(entry.get(2).asText()).startsWith("/opt/revstream/revstream-" + module + ".jar:");
            Class<?> main = Class.forName(entry.get(3).asText());
            assertThat(main.getMethod("main", String[].class)).isNotNull();
            assertThat(Files.readString(ROOT.resolve(module + "/pom.xml")))
                    .contains("<mainClass>" + main.getName() + "</mainClass>");
            List<String> args = new ArrayList<>();
            services.get(service).get("command").forEach(a -> args.add(a.asText()));
            picocli.CommandLine cli =
                    CommandLines.of(main.getDeclaredConstructor().newInstance());
            assertThat(cli.getCommandName()).isEqualTo(service);
            cli.parseArgs(args.toArray(String[]::new)); // throws on an unknown option
            List<String> sets = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals("--set")) {
                    sets.add(args.get(i + 1));
                }
            }
            // every --set is a valid key and value (the configuration validates them all at once)
            var raw = ConfigLoader.load(ROOT.resolve("config/revstream.yaml"), sets, Map.of())
                    .raw();
            sets.forEach(set -> assertThat(raw).containsKey(set.substring(0, set.indexOf('='))));
        }
        assertThat(services.get("wallboard").get("ports").get(0).asText())
                .isEqualTo("${REVSTREAM_BIND:-127.0.0.1}:8080:8080");
        // nothing is published to the network unless the user opts out (REVSTREAM_BIND=0.0.0.0)
        List<String> published = new ArrayList<>();
        services.fields()
                .forEachRemaining(service -> service.getValue()
                        .path("ports")
                        .forEach(p -> published.add(service.getKey() + " " + p.asText())));
        assertThat(published)
                .extracting(p -> p.substring(0, p.indexOf(' ')))
                .contains("kafka", "jobmanager", "wallboard");
        assertThat(published).allSatisfy(p -> assertThat(p).contains(" ${REVSTREAM_BIND:-127.0.0.1}:"));

        List<String> dockerfile = new ArrayList<>(Files.readAllLines(ROOT.resolve("docker/Dockerfile")));
        assertThat(dockerfile).anyMatch(l -> l.equals("FROM flink:" + flinkVersion + "-java17"));
        // the jar the shade plugin builds, and the configuration the command reads
        assertThat(Files.readString(ROOT.resolve("job/pom.xml"))).contains("revstream-job.jar");
        assertThat(dockerfile).anyMatch(l -> l.startsWith("COPY job/target/revstream-job.jar /opt/flink/usrlib/"));
        assertThat(dockerfile)
                .anyMatch(
                        l -> l.equals(
                                "COPY router/target/revstream-router.jar wallboard/target/revstream-wallboard.jar /opt/revstream/"));
        assertThat(dockerfile).anyMatch(l -> l.equals("COPY config/ /opt/revstream/config/"));
        assertThat(ROOT.resolve("config/revstream.yaml")).exists();
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a) + a.length();
        return s.substring(i, s.indexOf(b, i));
    }
}
