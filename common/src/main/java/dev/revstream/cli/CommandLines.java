package dev.revstream.cli;

import dev.revstream.config.ConfigException;
import picocli.CommandLine;

/** revstream's error handling for every command line (the CLI, the job jar, the router, the wallboard). */
public final class CommandLines {
    private CommandLines() {}

    /** A command line whose configuration errors are a message (exit 2), and other failures their causes (exit 1). */
    public static CommandLine of(Object command) {
        CommandLine cl = new CommandLine(command);
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
