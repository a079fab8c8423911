package dev.revstream.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's {@code config/} folder, for tests of any module. */
public final class ProjectConfig {
    private ProjectConfig() {}

    /** The project's {@code config/revstream.yaml}, found from a module or the root directory. */
    public static Path mainFile() {
        Path p = Path.of("..", "config", "revstream.yaml");
        return Files.isRegularFile(p) ? p : Path.of("config", "revstream.yaml");
    }
}
