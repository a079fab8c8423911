package dev.revstream.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code config/revstream.yaml} is what {@link Settings} declares: every declared key is in
 * it with its declared default, it has no other key, and the comment above each key is the key's doc
 * line (above the key holding an open setting: the open key and its doc, or the doc of the {@link
 * Settings.Group} declared for it); keys that nothing documents carry no comment. A comment may wrap over
 * several lines.
 */
class ShippedConfigTest {
    private static final Pattern KEY_LINE = Pattern.compile("( *)([A-Za-z0-9_.-]+):(.*)");

    @Test
    void theShippedFileHoldsEveryDeclaredKeyWithItsDefaultAndNoOther() throws Exception {
        Map<String, String> flat = new LinkedHashMap<>();
        ConfigLoader.flatten(
                "",
                new ObjectMapper(new YAMLFactory())
                        .readTree(ProjectConfig.mainFile().toFile()),
                flat);
        List<String> problems = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            Map<String, String> expected = s.open() ? s.instances() : Map.of(s.key(), s.defaultValue());
            Map<String, String> actual = new LinkedHashMap<>();
            flat.forEach((k, v) -> {
                if (s.open() ? s.pattern().matcher(k).matches() : k.equals(s.key())) {
                    actual.put(k, v);
                }
            });
            expected.forEach((k, v) -> {
                if (!actual.containsKey(k)) {
                    problems.add(k + ": missing (declared default: " + v + ")");
                } else if (!sameValue(s, actual.get(k), v)) {
                    problems.add(k + ": is '" + actual.get(k) + "', the declared default is '" + v + "'");
                }
            });
            actual.keySet().stream()
                    .filter(k -> !expected.containsKey(k))
                    .forEach(k -> problems.add(k + ": not among the declared defaults of " + s.key()));
        }
        flat.keySet().stream()
                .filter(k -> !Settings.known(k))
                .forEach(k -> problems.add(k + ": no setting declares it"));
        assertThat(problems)
                .as("config/revstream.yaml against the declarations in Settings.java")
                .isEmpty();
    }

    @Test
    void theCommentAboveEachKeyIsItsDeclaredDoc() throws Exception {
        Map<String, String> comments = comments(Files.readAllLines(ProjectConfig.mainFile()));
        Map<String, String> docs = new HashMap<>();
        Settings.GROUPS.forEach(g -> docs.put(g.key(), g.doc()));
        List<String> problems = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            String at = s.parent();
            if (docs.containsKey(at)
                    && !Settings.GROUPS.stream().anyMatch(g -> g.key().equals(at))) {
                problems.add(at + ": holds several open settings; declare a Settings.Group with its doc");
            }
            docs.putIfAbsent(at, s.open() ? s.key() + ": " + s.doc() : s.doc());
        }
        docs.forEach((key, doc) -> {
            if (!comments.containsKey(key)) {
                problems.add(key + ": missing");
            }
        });
        comments.forEach((key, comment) -> {
            String doc = docs.get(key);
            if (!Objects.equals(comment, doc)) {
                problems.add(
                        key + ": the comment above it should be\n      # " + doc + "\n    but is\n      # " + comment);
            }
        });
        assertThat(problems)
                .as("comments of config/revstream.yaml against the docs in Settings.java")
                .isEmpty();
    }

    @Test
    void theDeclaredDefaultsAreValid() {
        Map<String, String> flat = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            if (s.open()) {
                flat.putAll(s.instances());
            } else {
                flat.put(s.key(), s.defaultValue());
            }
        }
        flat.put(Settings.ACTIONS_RULES.key(), ""); // the rule file is read by ConfigLoaderTest
        RevstreamConfig cfg = RevstreamConfig.from(flat, req -> null);
        assertThat(cfg.deals().stages()).hasSize(5);
    }

    private static boolean sameValue(Setting<?> s, String a, String b) {
        Object x = s.type().read(a, p -> {});
        Object y = s.type().read(b, p -> {});
        return x == null && y == null ? a.trim().equals(b.trim()) : Objects.equals(x, y);
    }

    /**
     * Every key of a YAML file (dotted) and the comment lines right above it, joined (null for none);
     * a blank line ends a comment that belongs to no key.
     */
    static Map<String, String> comments(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
        List<String> pending = new ArrayList<>();
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty()) {
                pending.clear();
            } else if (t.startsWith("#")) {
                pending.add(t.substring(1).trim());
            } else {
                Matcher m = KEY_LINE.matcher(line);
                if (!m.matches()) {
                    continue; // a value continued on another line
                }
                int indent = m.group(1).length();
                while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
                    parents.pop();
                }
                StringBuilder key = new StringBuilder();
                parents.descendingIterator()
                        .forEachRemaining(p -> key.append(p.getValue()).append('.'));
                key.append(m.group(2));
                String comment = String.join(" ", pending).replaceAll("\\s+", " ");
                if (m.group(3).contains(" #")) {
                    comment = (comment + " [a comment after the value: put it above the key]").trim();
                }
                out.put(key.toString(), comment.isEmpty() ? null : comment);
                pending.clear();
                parents.push(Map.entry(indent, m.group(2)));
            }
        }
        return out;
    }
}
