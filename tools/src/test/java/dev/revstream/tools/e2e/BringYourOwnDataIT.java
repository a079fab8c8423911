package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.tools.testing.Infra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's "Bring your own data" steps as written, in a shell from the repository's root, with
 * the real {@code ./revstream} script and kcat: so the first thing a user tries cannot rot.
 *
 * <p>Only the port and the directories are the test's own (so that it does not meet a playground on the
 * same machine): {@code 127.0.0.1:9092} becomes a free port, {@code ./revstream kafka} gets that port and a
 * fresh data directory, and the other {@code ./revstream} commands get the address, a fresh state
 * directory and a free REST port through {@code REVSTREAM_} variables. A command whose comment says
 * "keeps running" is started and left running once it says "Ctrl-C"; every other one must end with exit
 * code 0. It runs after {@code package} (failsafe), so that the script finds the jars built.
 */
class BringYourOwnDataIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern HEREDOC = Pattern.compile("<<'?(\\w+)'?\\s*$");
    private static final Duration STEP = Duration.ofSeconds(120);

    private final List<Process> running = new ArrayList<>();

    @AfterEach
    void stopWhatKeepsRunning() throws InterruptedException {
        // the job first, then Kafka: as a user stops them with Ctrl-C
        for (int i = running.size() - 1; i >= 0; i--) {
            Process p = running.get(i);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theFourStepsOfTheReadmeBringAnEventThrough() throws Exception {
        List<List<String>> steps = steps(Files.readString(ROOT.resolve("README.md")));
        assertThat(steps).as("the README promises four steps").hasSize(4);

        Path work = Path.of("target", "byod-it").toAbsolutePath();
        Infra.deleteQuietly(work);
        Files.createDirectories(work);
        int kafkaPort = freePort();
        Map<String, String> env = Map.of(
                "REVSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:" + kafkaPort,
                "REVSTREAM_JOB_STATE_DIR",
                work.resolve("state").toString(),
                "REVSTREAM_JOB_REST_PORT",
                "0");

        List<String> outputs = new ArrayList<>();
        int n = 0;
        for (List<String> step : steps) {
            for (String written : step) {
                String command = written.replace("127.0.0.1:9092", "127.0.0.1:" + kafkaPort)
                        .replace(
                                "./revstream kafka",
                                "./revstream kafka --port " + kafkaPort + " --data-dir " + work.resolve("kafka"));
                Path log = work.resolve("command-" + (++n) + ".log");
                ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                        .directory(ROOT.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("REVSTREAM_"));
                pb.environment().putAll(env);
                Process p = pb.start();
                if (written.contains("keeps running")) {
                    running.add(p);
                    awaitOutput(p, log, "Ctrl-C", written);
                } else {
                    assertThat(p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS))
                            .as("%s ended within %s; it printed:%n%s", written, STEP, read(log))
                            .isTrue();
                    assertThat(p.exitValue())
                            .as("exit code of %s; it printed:%n%s", written, read(log))
                            .isZero();
                }
                outputs.add(read(log));
            }
        }

        // step 2's topics check found every topic as revstream needs it
        assertThat(outputs.get(1))
                .contains("topics on 127.0.0.1:" + kafkaPort)
                .contains("every topic is as revstream needs it");
        // step 4 printed the event of step 3, normalized: the source's stage name mapped to the canonical one
        Matcher id = Pattern.compile("\"eventId\":\"([^\"]+)\"").matcher(String.join("\n", steps.get(2)));
        assertThat(id.find()).as("step 3 writes an event with an eventId").isTrue();
        String read = outputs.get(outputs.size() - 1);
        assertThat(read)
                .contains("\"eventId\":\"" + id.group(1) + "\"")
                .contains("\"stage\":\"QUALIFICATION\"")
                .contains("\"type\":\"CREATED\"");
        assertThat(running).allMatch(Process::isAlive);
    }

    /** The bash blocks of the README's "Bring your own data" section, each as its commands (heredocs kept whole). */
    static List<List<String>> steps(String readme) {
        int start = readme.indexOf("\n## Bring your own data");
        assertThat(start).as("README has a 'Bring your own data' section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<List<String>> steps = new ArrayList<>();
        Matcher block = FENCE.matcher(section);
        while (block.find()) {
            List<String> commands = new ArrayList<>();
            String[] lines = block.group(1).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                StringBuilder command = new StringBuilder(lines[i]);
                Matcher here = HEREDOC.matcher(lines[i]);
                if (here.find()) {
                    while (++i < lines.length && !lines[i].equals(here.group(1))) {
                        command.append('\n').append(lines[i]);
                    }
                    command.append('\n').append(here.group(1));
                }
                commands.add(command.toString());
            }
            steps.add(commands);
        }
        return steps;
    }

    private static void awaitOutput(Process p, Path log, String text, String command) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!read(log).contains(text)) {
            assertThat(p.isAlive())
                    .as("%s is still running; it printed:%n%s", command, read(log))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("%s said '%s' within %s; it printed:%n%s", command, text, STEP, read(log))
                    .isLessThan(deadline);
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
