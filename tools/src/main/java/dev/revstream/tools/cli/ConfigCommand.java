package dev.revstream.tools.cli;

import dev.revstream.cli.CommonOptions;
import dev.revstream.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Validates the configuration and, with {@code --print}, shows every key's effective value and where
 * it came from (the shipped default, the file, a {@code REVSTREAM_} variable or {@code --set}),
 * secrets masked.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Check the configuration; --print shows every key's value and where it came from.")
public class ConfigCommand implements Callable<Integer> {
    /** Keys whose values are secrets: passwords, JAAS configurations, tokens, webhook URLs. */
    static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|token|credential|\\.url$|\\.key$).*");

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--print", description = "print the effective configuration, key by key, with each value's origin")
    boolean print;

    @Override
    public Integer call() {
        ConfigLoader.Effective effective = common.effective(); // throws with every problem when invalid
        PrintWriter out = spec.commandLine().getOut();
        if (print) {
            int width = effective.values().keySet().stream()
                    .mapToInt(String::length)
                    .max()
                    .orElse(0);
            for (Map.Entry<String, String> e : effective.values().entrySet()) {
                out.printf(
                        "%-" + width + "s = %s   # %s%n",
                        e.getKey(),
                        shown(e.getKey(), e.getValue()),
                        effective.origins().get(e.getKey()));
            }
        }
        long own = effective.origins().values().stream()
                .filter(o -> !ConfigLoader.DEFAULT.equals(o))
                .count();
        out.printf(
                "configuration valid: %d keys, %d set by the file, variables or --set, the rest shipped defaults%n",
                effective.values().size(), own);
        out.flush();
        return 0;
    }

    /** The value as printed: a secret's masked. */
    static String shown(String key, String value) {
        if (value == null || value.isEmpty() || !SECRET.matcher(key).matches()) {
            return value;
        }
        return "****** (masked)";
    }
}
