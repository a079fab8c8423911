package dev.revstream.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.revstream.cli.CommonOptions;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.tools.forecast.Backtest;
import dev.revstream.tools.importer.CrmFormat;
import dev.revstream.tools.importer.CrmRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Backtests the learned forecast against fixed stage weights on a CRM export (docs/forecast.md). */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = "Forecast each period of a year from a CRM export as known at its start, learned and by fixed"
                + " stage weights, and compare with what was won.")
public class BacktestCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--format",
            required = true,
            description = "export format: ${COMPLETION-CANDIDATES}",
            completionCandidates = ImportCsvCommand.Formats.class)
    String format;

    @Option(names = "--year", required = true, description = "the year whose periods are forecast")
    int year;

    @Option(
            names = "--period",
            defaultValue = "1Q",
            description = "1Q (quarters of the fiscal year) or 1M (default: ${DEFAULT-VALUE})")
    String period;

    @Option(
            names = "--prior-strength",
            defaultValue = "10",
            description =
                    "how many deals of history the configured stage probability weighs (default: ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--json", description = "also write the rows as JSON to this file")
    Path json;

    @Parameters(paramLabel = "FILE", description = "the opportunities file, e.g. sales_pipeline.csv")
    Path file;

    @Override
    public Integer call() throws Exception {
        CrmFormat f = ImportCsvCommand.FORMATS.stream()
                .filter(x -> x.name().equals(format))
                .findFirst()
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(),
                        "--format '" + format + "' is not one of "
                                + ImportCsvCommand.FORMATS.stream()
                                        .map(CrmFormat::name)
                                        .toList()));
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file.toAbsolutePath());
        }
        if (!period.equals("1Q") && !period.equals("1M")) {
            throw new ParameterException(spec.commandLine(), "--period must be 1Q or 1M, was " + period);
        }
        RevstreamConfig cfg = common.load();
        CrmRecords records = f.read(file, cfg.time().zone());
        List<Backtest.Row> rows = Backtest.run(cfg, records, year, period, strength);
        spec.commandLine().getOut().print(Backtest.markdown(rows));
        spec.commandLine().getOut().flush();
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), rows);
        }
        return 0;
    }
}
