package dev.revstream.tools.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.tools.cli.Revstream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The backtest on the real Maven CRM export, as the README tells anyone to run it: its table is the
 * README's (the figures there are this command's), and the learned forecast misses the quarters by
 * less than fixed stage weights do.
 */
class BacktestTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeTableIsTheCommandsAndLearningBeatsFixedWeights() throws Exception {
        Path export = locate("shared/data/maven-crm/sales_pipeline.csv");
        Path json = dir.resolve("backtest.json");
        CommandLine cl = Revstream.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(
                "backtest", "--format", "maven-crm", "--year", "2017", "--json", json.toString(), export.toString());
        assertThat(code).as(err.toString()).isZero();

        String readme = Files.readString(Path.of("..", "README.md")); // the tests run in the module's folder
        assertThat(readme).as("README's backtest table").contains(out.toString().strip());

        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertThat(rows).hasSize(4);
        double fixed = 0;
        double learned = 0;
        for (JsonNode r : rows) {
            double actual = r.get("actual").asDouble();
            fixed += Math.abs(r.get("fixedWeights").asDouble() - actual) / actual;
            learned += Math.abs(r.get("learned").asDouble() - actual) / actual;
            assertThat(r.get("learned").asDouble())
                    .isEqualTo(
                            r.get("fromOpen").asDouble() + r.get("fromNew").asDouble(),
                            org.assertj.core.api.Assertions.within(0.011));
        }
        assertThat(learned)
                .as("learned against fixed weights, summed absolute errors")
                .isLessThan(fixed);
        // the first quarter has no history: both are the stage probabilities
        assertThat(rows.get(0).get("learned").decimalValue())
                .isEqualByComparingTo(rows.get(0).get("fixedWeights").decimalValue());
        assertThat(rows.get(3).get("examples").asLong())
                .isGreaterThan(rows.get(1).get("examples").asLong());
    }

    private static Path locate(String relative) {
        for (Path p : List.of(Path.of("..", "..", relative), Path.of("..", relative), Path.of(relative))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("not found beside the project: " + relative);
    }
}
