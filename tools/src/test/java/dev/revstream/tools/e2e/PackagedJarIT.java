package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Checks what {@code mvn package} built: the cluster job jar and the local runner's class path. */
class PackagedJarIT {
    private static final Path JOB_JAR = Path.of(System.getProperty("revstream.jobJar", "target/revstream-job.jar"));
    private static final Path LOCAL_JAR =
            Path.of(System.getProperty("revstream.localJar", "target/revstream-tools-0.1.0-SNAPSHOT.jar"));
    private static final Path LIB = Path.of(System.getProperty("revstream.libDir", "target/lib"));

    /** What the job jar must bundle itself, because a Flink distribution does not have it. */
    private static final List<String> BUNDLED = List.of(
            "revstream-core",
            "revstream-common",
            "flink-connector-kafka",
            "flink-connector-base",
            "kafka-clients",
            "jackson-",
            "picocli",
            "snakeyaml",
            "zstd-jni",
            "lz4-java",
            "snappy-java");

    @Test
    void theJobJarBundlesTheConnectorButNotFlinkTheBrokerOrLogging() throws Exception {
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.revstream.job.RevstreamJob");
            assertThat(jar.getEntry("dev/revstream/job/RevstreamJob.class")).isNotNull();
            assertThat(jar.getEntry("dev/revstream/ingest/EventParser.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/kafka/source/KafkaSource.class"))
                    .isNotNull();
            assertThat(jar.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class"))
                    .isNotNull();
            assertThat(jar.getEntry("revstream-default-config/revstream.yaml")).isNotNull();
            // the configuration is read where the job is submitted: the YAML parser travels with the job
            assertThat(jar.getEntry("com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class"))
                    .isNotNull();
            assertThat(jar.getEntry("revstream-default-config/mappings/default.yaml"))
                    .isNotNull();
            assertThat(jar.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"))
                    .isNull();
            assertThat(jar.getEntry("org/apache/flink/state/rocksdb/EmbeddedRocksDBStateBackend.class"))
                    .isNull();
            assertThat(jar.getEntry("kafka/server/KafkaRaftServer.class")).isNull();
            assertThat(jar.getEntry("org/apache/logging/log4j/core/Logger.class"))
                    .isNull();
            assertThat(jar.getEntry("org/slf4j/Logger.class")).isNull();
            // the job jar carries the job alone: not the CLI, the router or the wallboard (nor their web server)
            assertThat(jar.getEntry("dev/revstream/tools/cli/Revstream.class")).isNull();
            assertThat(jar.getEntry("dev/revstream/router/AlertRouter.class")).isNull();
            assertThat(jar.getEntry("dev/revstream/wallboard/Wallboard.class")).isNull();
            assertThat(jar.getEntry("io/javalin/Javalin.class")).isNull();
            assertThat(jar.getEntry("dev/failsafe/Failsafe.class")).isNull();
        }
    }

    @Test
    void theJobJarStartsOnAClassPathOfFlinkAlone() throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(JOB_JAR.toString());
        try (Stream<Path> jars = Files.list(LIB)) {
            jars.filter(p -> BUNDLED.stream()
                            .noneMatch(b -> p.getFileName().toString().startsWith(b)))
                    .forEach(p -> cp.add(p.toString()));
        }
        Result r = java(String.join(File.pathSeparator, cp), "dev.revstream.job.RevstreamJob", "--help");
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).contains("--bounded", "--config", "--set");
    }

    @Test
    void theLocalRunnerStartsFromItsJarAndLibFolder() throws Exception {
        Result r = java(
                LOCAL_JAR + File.pathSeparator + LIB + File.separator + "*",
                "dev.revstream.tools.cli.Revstream",
                "--help");
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).contains("demo", "run", "kafka", "generate");
    }

    @Test
    void theRouterAndTheWallboardStartFromTheirOwnJars() throws Exception {
        for (String[] deployable : new String[][] {
            {
                System.getProperty("revstream.routerJar", "../router/target/revstream-router.jar"),
                "dev.revstream.router.AlertRouterCommand",
                "alert-router"
            },
            {
                System.getProperty("revstream.wallboardJar", "../wallboard/target/revstream-wallboard.jar"),
                "dev.revstream.wallboard.WallboardCommand",
                "wallboard"
            }
        }) {
            try (JarFile jar = new JarFile(deployable[0])) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                        .isEqualTo(deployable[1]);
                assertThat(jar.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"))
                        .isNull();
                assertThat(jar.getEntry("dev/revstream/job/RevstreamJob.class")).isNull();
            }
            Result r = java(deployable[0], deployable[1], "--help");
            assertThat(r.code).as(r.output).isZero();
            assertThat(r.output).contains("Usage: " + deployable[2], "--config", "--set");
        }
    }

    private record Result(int code, String output) {}

    private static Result java(String classPath, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath, main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", main).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
