package dev.revstream.tools.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link of README.md and docs/*.md points to a file that exists and, when it names an
 * anchor in a Markdown file, to a heading of that file (as GitHub makes anchors of headings), so that
 * the documentation cannot rot silently when a page or a heading is renamed.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..");

    /** An inline link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK =
            Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void everyRelativeLinkOfTheDocsResolves() throws IOException {
        List<Path> files = documents(ROOT);
        assertThat(files).as("README.md and docs/*.md").hasSizeGreaterThan(5);
        List<String> broken = brokenLinks(files);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void aBrokenLinkOrAnchorIsReported(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(
                dir.resolve("README.md"),
                "# Title\n\nSee [a](docs/a.md), [a's part](docs/a.md#the-part), [gone](docs/gone.md),\n"
                        + "[no such part](docs/a.md#no-such-part) and [here](#title).\n"
                        + "```\n[in code](docs/ignored.md)\n```\n");
        Files.writeString(
                dir.resolve("docs").resolve("a.md"),
                "# A\n\n## The part\n\nBack to the [README](../README.md#title), [up](#missing), [web](https://example.org/x).\n");
        List<String> broken = brokenLinks(documents(dir));
        assertThat(broken)
                .containsExactlyInAnyOrder(
                        "README.md: docs/gone.md (no such file)",
                        "README.md: docs/a.md#no-such-part (no such heading in docs/a.md)",
                        "docs/a.md: #missing (no such heading in docs/a.md)");
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertThat(anchorsOf(List.of(
                        "# Outputs",
                        "### `revops.events`",
                        "## The warehouse sink: Parquet files a warehouse loads",
                        "## Bad input: the dead-letter topic",
                        "## Alert channels: `./revstream alert-router`",
                        "## Outputs",
                        "```",
                        "# not a heading",
                        "```")))
                .containsExactlyInAnyOrder(
                        "outputs",
                        "revopsevents",
                        "the-warehouse-sink-parquet-files-a-warehouse-loads",
                        "bad-input-the-dead-letter-topic",
                        "alert-channels-revstream-alert-router",
                        "outputs-1");
    }

    /** README.md and every Markdown file of docs/ under {@code root}. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** Every relative link of {@code files} that does not resolve, as "file: target (why)". */
    static List<String> brokenLinks(List<Path> files) throws IOException {
        Path root = files.get(0).toAbsolutePath().normalize().getParent();
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            Path from = file.toAbsolutePath().normalize();
            String name = root.relativize(from).toString().replace('\\', '/');
            for (String target : links(Files.readAllLines(from))) {
                if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
                    continue; // a web address, mail address and the like: not this test's business
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path to = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
                if (!Files.exists(to)) {
                    broken.add(name + ": " + target + " (no such file)");
                    continue;
                }
                if (anchor != null && to.getFileName().toString().endsWith(".md")) {
                    Set<String> known = anchors.get(to);
                    if (known == null) {
                        known = anchorsOf(Files.readAllLines(to));
                        anchors.put(to, known);
                    }
                    if (!known.contains(anchor)) {
                        broken.add(name + ": " + target + " (no such heading in "
                                + root.relativize(to).toString().replace('\\', '/') + ")");
                    }
                }
            }
        }
        return broken;
    }

    /** The link targets of a Markdown text, outside fenced code blocks and code spans. */
    static List<String> links(List<String> lines) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(withoutCodeSpans(line));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a Markdown text (a repeated one gets -1, -2, ...). */
    static Set<String> anchorsOf(List<String> lines) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (fenced || !m.matches()) {
                continue;
            }
            String slug = slug(m.group(2));
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: its text lower-cased, punctuation dropped, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link: its text
                .replace("`", "")
                .replace("*", "");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                .replaceAll("\\s", "-");
    }

    private static String withoutCodeSpans(String line) {
        return line.replaceAll("(`+)(?:(?!\\1).)+?\\1", "");
    }
}
