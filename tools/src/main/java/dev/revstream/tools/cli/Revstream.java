package dev.revstream.tools.cli;

import dev.revstream.cli.CommandLines;
import dev.revstream.collector.CollectCommand;
import dev.revstream.router.AlertRouterCommand;
import dev.revstream.wallboard.WallboardCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code revstream} command line. */
@Command(
        name = "revstream",
        mixinStandardHelpOptions = true,
        version = "revstream 0.1.0",
        description = "Real-time revenue-operations analytics on Apache Flink.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            KafkaCommand.class,
            GenerateCommand.class,
            ImportCsvCommand.class,
            BacktestCommand.class,
            BenchCommand.class,
            ConfigCommand.class,
            TopicsCommand.class,
            AlertRouterCommand.class,
            CollectCommand.class,
            WallboardCommand.class,
            CommandLine.HelpCommand.class
        })
public class Revstream {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with revstream's error handling: configuration errors are a message, not a stack trace. */
    public static CommandLine commandLine() {
        return CommandLines.of(new Revstream());
    }
}
