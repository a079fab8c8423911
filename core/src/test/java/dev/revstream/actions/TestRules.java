package dev.revstream.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Rule files for tests: the project's default file, or YAML text. */
public final class TestRules {
    public static final long HOURLY = 3_600_000L;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TestRules() {}

    /** config/rules/default.yaml, as shipped. */
    public static RuleSet defaults() {
        try {
            return RuleFiles.fromTree(YAML.readTree(new File("../config/rules/default.yaml")), HOURLY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleSet parse(String yaml) {
        try {
            return RuleFiles.fromTree(YAML.readTree(yaml), HOURLY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
