package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.InstantConverter;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.tools.importer.CrmFormat;
import dev.revstream.tools.importer.CrmImporter;
import dev.revstream.tools.importer.CrmRecords;
import dev.revstream.tools.importer.MavenCrmFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Turns a CRM opportunity export into deal events by the contract and writes them to the deals topic. */
@Command(
        name = "import-csv",
        mixinStandardHelpOptions = true,
        description = "Import a CRM opportunity export (CSV) as deal events, then mark its as-of time with heartbeats.")
public class ImportCsvCommand implements Callable<Integer> {
    static final List<CrmFormat> FORMATS = List.of(new MavenCrmFormat());

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--format",
            required = true,
            description = "export format: ${COMPLETION-CANDIDATES}",
            completionCandidates = Formats.class)
    String format;

    @Option(
            names = "--as-of",
            converter = InstantConverter.class,
            description = "the time the export was taken (default: midnight after the latest date in the file)")
    Instant asOf;

    @Option(
            names = "--show-rejected",
            defaultValue = "5",
            description = "how many rejected rows to list (default: ${DEFAULT-VALUE})")
    int showRejected;

    @Parameters(paramLabel = "FILE", description = "the opportunities file, e.g. sales_pipeline.csv")
    Path file;

    /** The format names, for --help. */
    static class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return FORMATS.stream().map(CrmFormat::name).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        CrmFormat f = FORMATS.stream()
                .filter(x -> x.name().equals(format))
                .findFirst()
                .orElseThrow(() -> new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--format '" + format + "' is not one of "
                                + FORMATS.stream().map(CrmFormat::name).toList()));
        if (!Files.isRegularFile(file)) {
            // before anything else: a mistyped name must not surface as a companion file (products.csv) missing
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "no such file: " + file.toAbsolutePath()
                            + " (the export's opportunities file, e.g. sales_pipeline.csv)");
        }
        RevstreamConfig cfg = common.loadForKafka();
        CrmRecords records = f.read(file, cfg.time().zone());
        long at = asOf != null
                ? asOf.toEpochMilli()
                : LocalDate.ofInstant(
                                Instant.ofEpochMilli(records.latest), cfg.time().zone())
                        .plusDays(1)
                        .atStartOfDay(cfg.time().zone())
                        .toInstant()
                        .toEpochMilli();
        CrmImporter.write(cfg, records, at);
        Map<String, Integer> reasons = new TreeMap<>();
        records.rejected.forEach(r -> reasons.merge(r.reason(), 1, Integer::sum));
        System.out.printf(
                "%s: %d rows -> %d deal events; %d rows could not become events %s; as-of %s%n",
                file, records.rows, records.events.size(), records.rejected.size(), reasons, Instant.ofEpochMilli(at));
        records.rejected.stream()
                .limit(showRejected)
                .forEach(r -> System.out.printf("  line %d (%s): %s%n", r.line(), r.id(), r.reason()));
        return 0;
    }
}
