package dev.revstream.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class RevstreamCliTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = Revstream.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "run", "kafka", "generate"})
    void everyCommandHasHelpWithTheCommonOptions(String command) {
        Result r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--config", "--set", "--bootstrap");
    }

    @Test
    void theTopLevelHelpListsTheCommands() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo", "run", "kafka", "generate");
    }

    @Test
    void aBadConfigurationKeyIsAClearErrorNotAStackTrace() {
        Result r = run("generate", "--duration", "1s", "--set", "kafka.bootstrap-server=x:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("kafka.bootstrap-server: unknown key").doesNotContain("at dev.revstream");
    }

    @Test
    void configPrintShowsEveryKeyWithItsOriginAndMasksSecrets() {
        Result r = run(
                "config",
                "--print",
                "--set",
                "time.out-of-orderness=2m",
                "--set",
                "kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"u\" password=\"hunter2\";");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("time\\.out-of-orderness +\\= 2m +# --set")
                .containsPattern("time\\.correction-horizon +\\= 7d +# ")
                .contains("kafka.properties.sasl.jaas.config")
                .contains("****** (masked)")
                .doesNotContain("hunter2")
                .contains("configuration valid");
        Result bad = run("config", "--set", "time.out-of-orderness=soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("time.out-of-orderness");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "generate", "topics", "import-csv", "alert-router", "wallboard"})
    void aKafkaThatDoesNotAnswerIsAClearErrorWithinSeconds(String command) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<String> args = new ArrayList<>(List.of(command, "--bootstrap", "127.0.0.1:" + port));
        if (command.equals("import-csv")) {
            Path csv = Files.createTempFile("sales_pipeline", ".csv");
            Files.writeString(
                    csv, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n");
            args.addAll(List.of("--format", "maven-crm", csv.toString()));
        }
        long start = System.nanoTime();
        Result r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err())
                .contains("cannot reach Kafka at 127.0.0.1:" + port + " (connection refused)")
                .contains("./revstream kafka")
                .doesNotContain("at dev.revstream");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMistypedExportFileIsNamedAsSuch() {
        Result r = run("import-csv", "--format", "maven-crm", "no-such-dir/sales_pipline.csv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("no such file: ")
                .contains("sales_pipline.csv")
                .doesNotContain("products.csv");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertThat(run("demo", "--duration", "soon").code()).isEqualTo(2);
        assertThat(run("run", "--bounded", "--as-of", "tomorrow").code()).isEqualTo(2);
        assertThat(run("run", "--as-of", "2026-01-01T00:00:00Z").err()).contains("--as-of needs --bounded");
    }
}
