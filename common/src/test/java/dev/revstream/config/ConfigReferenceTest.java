package dev.revstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code docs/configuration.md} holds the reference that {@link ConfigReference} generates from {@link Settings}. */
class ConfigReferenceTest {
    private static final Path PAGE =
            ProjectConfig.mainFile().getParent().resolveSibling("docs").resolve("configuration.md");

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws Exception {
        String page = Files.readString(PAGE);
        assertThat(ConfigReference.generatedPart(page))
                .as("the reference in docs/configuration.md differs from the declarations in Settings.java;"
                        + " regenerate it from the project's root directory with\n  " + ConfigReference.COMMAND
                        + "\n")
                .isEqualTo(ConfigReference.markdown());
        assertThat(ConfigReference.withReference(page)).isEqualTo(page);
    }

    @Test
    void everySettingHasARow() {
        String md = ConfigReference.markdown();
        for (Setting<?> s : Settings.ALL) {
            assertThat(md).contains("| `" + s.key() + "` |");
        }
    }
}
