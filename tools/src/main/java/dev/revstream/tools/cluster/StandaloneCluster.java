package dev.revstream.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Flink standalone session cluster on 127.0.0.1: a JobManager and TaskManagers, each a JVM
 * of its own, started from a Flink-distribution class path ({@code target/flink-dist}, what
 * {@code mvn package} copies), with short heartbeat timeouts so a killed TaskManager is noticed in
 * seconds. Jobs are submitted with Flink's own CLI, exactly as a user does.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Path conf;
    private final String classPath;
    private final int restPort;
    private final List<Process> taskManagers = new ArrayList<>();
    private final List<Process> all = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private List<String> tmJvmArgs;
    private List<String> tmDynamic;

    public StandaloneCluster(Path dir, Path flinkDist, List<Path> extraJars) throws Exception {
        this(dir, flinkDist, extraJars, Map.of());
    }

    /** @param extraConf options of the cluster's config.yaml besides (or instead of) the defaults */
    public StandaloneCluster(Path dir, Path flinkDist, List<Path> extraJars, Map<String, String> extraConf)
            throws Exception {
        this.dir = dir;
        this.conf = dir.resolve("conf");
        Files.createDirectories(conf);
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(flinkDist)) {
            jars.sorted().forEach(j -> cp.add(j.toString()));
        }
        extraJars.forEach(j -> cp.add(j.toString()));
        this.classPath = String.join(File.pathSeparator, cp);
        this.restPort = freePort();
        int rpcPort = freePort();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("jobmanager.memory.process.size", "900m");
        c.put("taskmanager.memory.process.size", "1400m");
        c.put("taskmanager.numberOfTaskSlots", "2");
        c.put("parallelism.default", "2");
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "15000");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "100");
        c.put("restart-strategy.fixed-delay.delay", "2 s");
        c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.put(
                "execution.checkpointing.savepoint-dir",
                dir.resolve("savepoints").toUri().toString());
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        c.put("classloader.check-leaked-classloader", "false");
        c.putAll(extraConf);
        StringBuilder yaml = new StringBuilder();
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(
                conf.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.file.ref = File",
                        "appender.file.type = File",
                        "appender.file.name = File",
                        "appender.file.fileName = ${sys:log.file}",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d %-5p %c - %m%n",
                        "logger.flink.name = org.apache.flink.runtime.metrics.groups",
                        "logger.flink.level = ERROR",
                        ""));
    }

    /**
     * A cluster on the class path a build of this repository has: {@code tools/target/flink-dist} (what a
     * Flink distribution's lib holds) plus commons-lang3 and lz4-java from {@code tools/target/lib} (in a
     * distribution too, but compile dependencies here).
     *
     * @param toolsTarget the tools module's {@code target} directory
     */
    public static StandaloneCluster ofBuild(Path dir, Path toolsTarget, Map<String, String> conf) throws Exception {
        List<Path> extra = new ArrayList<>();
        try (Stream<Path> lib = Files.list(toolsTarget.resolve("lib"))) {
            lib.filter(p -> p.getFileName().toString().startsWith("commons-lang3")
                            || p.getFileName().toString().startsWith("lz4-java"))
                    .forEach(extra::add);
        }
        return new StandaloneCluster(dir, toolsTarget.resolve("flink-dist"), extra, conf);
    }

    /** What Flink's scripts pass to every JVM (env.java.default-opts.all of the distribution's config.yaml). */
    private static final List<String> FLINK_JVM_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private Process java(String name, List<String> jvm, String main, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(FLINK_JVM_OPTS);
        cmd.addAll(jvm);
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.addAll(List.of("-cp", classPath, main));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        Process p = pb.start();
        all.add(p);
        return p;
    }

    public void startJobManager() throws Exception {
        java(
                "jobmanager",
                List.of("-Xmx600m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of("--configDir", conf.toString()));
        await("the JobManager's REST API", Duration.ofSeconds(60), () -> get("/overview") != null);
    }

    /** Starts one more TaskManager with the memory settings Flink's scripts would compute. */
    public void startTaskManager() throws Exception {
        if (tmJvmArgs == null) {
            Process p = java(
                    "bash-java-utils",
                    List.of(),
                    "org.apache.flink.runtime.util.bash.BashJavaUtils",
                    List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()));
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        "BashJavaUtils failed: " + Files.readString(dir.resolve("bash-java-utils.out")));
            }
            List<String> lines = Files.readAllLines(dir.resolve("bash-java-utils.out")).stream()
                    .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                    .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()))
                    .toList();
            tmJvmArgs = List.of(lines.get(0).trim().split("\\s+"));
            tmDynamic = List.of(lines.get(1).trim().split("\\s+"));
        }
        int before = registeredTaskManagers();
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(tmDynamic);
        // a resource id of our own, so the REST API's "which TaskManager runs this task" names the process
        args.addAll(List.of("-D", "taskmanager.resource-id=tm-" + taskManagers.size()));
        taskManagers.add(java(
                "taskmanager-" + taskManagers.size(),
                tmJvmArgs,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                args));
        await("a TaskManager registered", Duration.ofSeconds(60), () -> registeredTaskManagers() > before);
    }

    /**
     * kill -9 of a TaskManager that runs tasks of the job (the scheduler may have put all of them on
     * one TaskManager, so killing an arbitrary one might hit nothing); returns its index.
     */
    public int killTaskManagerRunning(String job) throws Exception {
        JsonNode j = get("/jobs/" + job);
        if (j == null) {
            throw new IllegalStateException("job " + job + " unknown to the REST API");
        }
        for (JsonNode vertex : j.path("vertices")) {
            JsonNode tms = get("/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/taskmanagers");
            for (JsonNode tm : tms == null ? List.<JsonNode>of() : tms.path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (id.startsWith("tm-")) {
                    int i = Integer.parseInt(id.substring(3));
                    taskManagers.get(i).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    return i;
                }
            }
        }
        throw new IllegalStateException("no TaskManager runs a task of job " + job + ": " + j);
    }

    public int registeredTaskManagers() {
        JsonNode o = get("/overview");
        return o == null ? 0 : o.path("taskmanagers").asInt();
    }

    /** {@code flink run -d JAR ARGS}, as a user runs it; returns the job id. */
    public String submit(Path jar, List<String> args, String fromSavepoint) throws Exception {
        List<String> cli = new ArrayList<>(List.of("run", "-d"));
        if (fromSavepoint != null) {
            cli.addAll(List.of("-s", fromSavepoint));
        }
        cli.add(jar.toString());
        cli.addAll(args);
        String out = flinkCli("submit", cli);
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no job id in the CLI output:\n" + out);
        }
        return m.group(1);
    }

    /** {@code flink stop --savepointPath DIR JOB}: a savepoint, then a clean stop; returns the savepoint path. */
    public String stopWithSavepoint(String job) throws Exception {
        String out = flinkCli(
                "stop",
                List.of(
                        "stop",
                        "--savepointPath",
                        dir.resolve("savepoints").toUri().toString(),
                        job));
        Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no savepoint path in the CLI output:\n" + out);
        }
        return m.group(1);
    }

    private String flinkCli(String name, List<String> args) throws Exception {
        Process p = java(
                "cli-" + name + "-" + System.nanoTime(), List.of(), "org.apache.flink.client.cli.CliFrontend", args);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink " + args + " did not finish");
        }
        Path out = Files.list(dir)
                .filter(f -> f.getFileName().toString().startsWith("cli-" + name)
                        && f.toString().endsWith(".out"))
                .max(Comparator.comparing(f -> f.toFile().lastModified()))
                .orElseThrow();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("flink " + args.get(0) + " failed:\n" + text);
        }
        return text;
    }

    public String jobState(String job) {
        JsonNode j = get("/jobs/" + job);
        return j == null ? "UNKNOWN" : j.path("state").asText();
    }

    public long completedCheckpoints(String job) {
        JsonNode c = get("/jobs/" + job + "/checkpoints");
        return c == null ? 0 : c.path("counts").path("completed").asLong();
    }

    public long restarts(String job) {
        JsonNode j = get("/jobs/" + job);
        return j == null ? 0 : j.path("timestamps").path("RESTARTING").asLong();
    }

    public void cancel(String job) {
        try {
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/jobs/" + job + "?mode=cancel"))
                            .method("PATCH", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            // the cluster is going away
        }
    }

    public JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(200_000_000L); // polling the cluster, bounded above
        }
    }

    @Override
    public void close() {
        all.forEach(Process::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
