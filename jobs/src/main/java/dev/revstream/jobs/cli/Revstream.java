package dev.revstream.jobs.cli;

import dev.revstream.jobs.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code revstream} command line. */
@Command(name = "revstream", mixinStandardHelpOptions = true, version = "revstream 0.1.0",
        description = "Real-time revenue-operations analytics on Apache Flink.",
        subcommands = {DemoCommand.class, RunCommand.class, KafkaCommand.class, GenerateCommand.class, ImportCsvCommand.class,
                BenchCommand.class, AlertRouterCommand.class, WallboardCommand.class,
                CommandLine.HelpCommand.class})
public class Revstream {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with revstream's error handling: configuration errors are a message, not a stack trace. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Revstream()));
    }

    /** Installs revstream's error handling on a command line. */
    public static CommandLine configure(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("revstream: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("revstream: failed: " + e);
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                cmd.getErr().println("  caused by: " + c);
            }
            return 1;
        });
        return cl;
    }
}
