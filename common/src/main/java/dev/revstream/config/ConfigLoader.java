package dev.revstream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.revstream.ingest.SourceMappings;
import dev.revstream.ingest.TableMapping;
import dev.revstream.model.EventKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Assembles the configuration: the shipped defaults ({@link Settings}), then the YAML file (the given
 * one; else {@code config/revstream.yaml} in the working directory; else the copy inside the jar),
 * then {@code REVSTREAM_*} environment variables, then {@code --set key=value} pairs; reads the
 * mapping and rule files it names (a default one from the jar's copy); validates. A file names only
 * what it changes; an open group it names at all (e.g. {@code deals.stage.*}) replaces the shipped
 * one whole (a variable or {@code --set} changes single keys of it).
 */
public final class ConfigLoader {
    /** Where the jar keeps its copy of {@code config/}. */
    static final String BUNDLED = "revstream-default-config/";

    static final Path DEFAULT_FILE = Path.of("config", "revstream.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /** Loads with the process environment. */
    public static RevstreamConfig load(Path file, List<String> sets) {
        return load(file, sets, System.getenv());
    }

    public static RevstreamConfig load(Path file, List<String> sets, Map<String, String> env) {
        return effective(file, sets, env).config();
    }

    /** Environment variables of the {@code revstream} script, not configuration keys. */
    static final List<String> SCRIPT_VARIABLES = List.of("REVSTREAM_JAVA_OPTS", "REVSTREAM_REBUILD");

    /** Where a value that no file, variable or {@code --set} gave comes from. */
    public static final String DEFAULT = "default";

    /**
     * The configuration with every key's value and where it came from.
     *
     * @param values every key and its value as text, sorted
     * @param origins for every key: {@link #DEFAULT}, the file, {@code REVSTREAM_...} or {@code --set}
     */
    public record Effective(Map<String, String> values, Map<String, String> origins, RevstreamConfig config) {}

    public static Effective effective(Path file, List<String> sets, Map<String, String> env) {
        Source source = resolve(file);
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        Map<String, String> fromFile = new LinkedHashMap<>();
        flatten("", source.read(null), fromFile);
        fromFile.forEach((k, v) -> {
            given.put(k, v);
            origins.put(k, source.describe());
        });
        Map<String, String> defaults = defaults(given.keySet());
        applyEnvironment(given, origins, defaults.keySet(), env);
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set '" + set + "' must have the form key=value");
            }
            String key = set.substring(0, eq).trim();
            given.put(key, set.substring(eq + 1).trim());
            origins.put(key, "--set");
        }
        Map<String, String> flat = new TreeMap<>(defaults);
        flat.putAll(given);
        defaults.keySet().forEach(k -> origins.putIfAbsent(k, DEFAULT));
        Source bundled = new Source(null, "revstream.yaml");
        Source mappingSource = DEFAULT.equals(origins.get("ingest.mappings")) ? bundled : source;
        Source rulesSource = DEFAULT.equals(origins.get("actions.rules")) ? bundled : source;
        RevstreamConfig cfg = RevstreamConfig.from(
                flat,
                req -> mappings(mappingSource, req),
                (name, key) -> (key.equals("actions.rules") ? rulesSource : source).read(name, key));
        Map<String, String> sortedOrigins = new TreeMap<>();
        flat.keySet().forEach(k -> sortedOrigins.put(k, origins.get(k)));
        return new Effective(flat, sortedOrigins, cfg);
    }

    /**
     * The shipped value of every fixed key, and the shipped instances of every open group that none of
     * {@code named} belongs to.
     */
    static Map<String, String> defaults(Set<String> named) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            if (!s.open()) {
                out.put(s.key(), s.defaultValue());
            } else {
                String group = s.parent() + ".";
                if (named.stream().noneMatch(k -> k.startsWith(group))) {
                    out.putAll(s.instances());
                }
            }
        }
        return out;
    }

    /**
     * Applies {@code REVSTREAM_<KEY>} variables to the keys they name; one that names no key is an
     * error, as an unknown key in a file is.
     */
    private static void applyEnvironment(
            Map<String, String> given, Map<String, String> origins, Set<String> defaultKeys, Map<String, String> env) {
        Map<String, String> keysByVariable = new LinkedHashMap<>();
        for (String key : Settings.KEYS) {
            keysByVariable.put(envName(key), key);
        }
        for (String key : defaultKeys) {
            keysByVariable.put(envName(key), key);
        }
        for (String key : given.keySet()) {
            keysByVariable.put(envName(key), key);
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith("REVSTREAM_") || SCRIPT_VARIABLES.contains(variable)) {
                continue;
            }
            String key = keysByVariable.get(variable);
            if (key == null) {
                unknown.add(variable);
            } else {
                given.put(key, e.getValue());
                origins.put(key, variable);
            }
        }
        if (!unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder("invalid configuration:");
            for (String variable : unknown) {
                sb.append("\n  ")
                        .append(variable)
                        .append(": no configuration key has this variable")
                        .append(closest(variable, keysByVariable.keySet()))
                        .append(" (REVSTREAM_ followed by the key in upper case, dots and dashes as underscores)");
            }
            throw new ConfigException(sb.toString());
        }
    }

    /** "; did you mean X" for the variable nearest in spelling, or nothing when none is near. */
    private static String closest(String variable, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(variable, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, variable.length() / 6) ? "; did you mean " + best + "?" : "";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code kafka.bootstrap-servers} -> {@code REVSTREAM_KAFKA_BOOTSTRAP_SERVERS}. */
    public static String envName(String key) {
        return "REVSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static SourceMappings mappings(Source source, RevstreamConfig.MappingRequest req) {
        Map<String, Map<String, String>> types = new LinkedHashMap<>();
        Map<String, Map<String, String>> channels = new LinkedHashMap<>();
        Map<String, Map<String, String>> stages = new LinkedHashMap<>();
        Map<String, TableMapping> tables = new LinkedHashMap<>();
        for (String file : req.files()) {
            JsonNode root = source.read(file);
            root.path("tables")
                    .fields()
                    .forEachRemaining(t -> tables.put(t.getKey(), table(file, t.getKey(), t.getValue())));
            JsonNode sources = root.path("sources");
            if (!sources.isObject()) {
                throw new ConfigException("ingest.mappings: " + file + " has no 'sources' map");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = sources.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> src = it.next();
                for (Iterator<String> kinds = src.getValue().fieldNames(); kinds.hasNext(); ) {
                    String kind = kinds.next();
                    if (!List.of("types", "channels", "stages").contains(kind)) {
                        throw new ConfigException("ingest.mappings: " + file + ": sources." + src.getKey() + "." + kind
                                + " is not one of types, channels, stages");
                    }
                }
                copy(src.getValue().path("types"), src.getKey(), types);
                copy(src.getValue().path("channels"), src.getKey(), channels);
                copy(src.getValue().path("stages"), src.getKey(), stages);
            }
        }
        return new SourceMappings(types, channels, stages, req.canonicalStages(), tables);
    }

    /** One table of a mapping file's {@code tables}: its source, kind and columns. */
    private static TableMapping table(String file, String name, JsonNode t) {
        String where = "ingest.mappings: " + file + ": tables." + name;
        String src = t.path("source").asText("");
        if (src.isBlank()) {
            throw new ConfigException(where + ".source is required (the source name of its events)");
        }
        EventKind kind = switch (t.path("kind").asText("").toLowerCase(Locale.ROOT)) {
            case "deal" -> EventKind.DEAL;
            case "touchpoint" -> EventKind.TOUCHPOINT;
            default -> throw new ConfigException(where + ".kind must be deal or touchpoint");
        };
        Map<String, String> columns = new LinkedHashMap<>();
        t.path("columns").fields().forEachRemaining(c -> {
            if (!TableMapping.FIELDS.contains(c.getKey())) {
                throw new ConfigException(where + ".columns." + c.getKey() + " is not one of " + TableMapping.FIELDS);
            }
            columns.put(c.getKey(), c.getValue().asText());
        });
        String key = kind == EventKind.DEAL ? "dealId" : "type";
        if (!columns.containsKey(key)) {
            throw new ConfigException(where + ".columns." + key + " is required for a "
                    + kind.name().toLowerCase(Locale.ROOT) + " table");
        }
        JsonNode scale = t.path("decimal-scale");
        if (!scale.isMissingNode() && !(scale.isInt() && scale.intValue() >= 0 && scale.intValue() <= 18)) {
            throw new ConfigException(where + ".decimal-scale must be a whole number from 0 to 18");
        }
        for (Iterator<String> keys = t.fieldNames(); keys.hasNext(); ) {
            String k = keys.next();
            if (!List.of("source", "kind", "columns", "decimal-scale").contains(k)) {
                throw new ConfigException(where + "." + k + " is not one of source, kind, columns, decimal-scale");
            }
        }
        return new TableMapping(
                src.trim().toLowerCase(Locale.ROOT), kind, columns, scale.isMissingNode() ? null : scale.intValue());
    }

    private static void copy(JsonNode table, String source, Map<String, Map<String, String>> into) {
        table.fields()
                .forEachRemaining(e -> into.computeIfAbsent(source, k -> new LinkedHashMap<>())
                        .put(e.getKey(), e.getValue().asText()));
    }

    /** The dotted keys of a YAML tree and their values as text (a list as one comma-separated value). */
    static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            StringJoiner j = new StringJoiner(",");
            node.forEach(n -> j.add(n.asText()));
            out.put(prefix, j.toString());
        } else {
            out.put(prefix, node.asText());
        }
    }

    private static Source resolve(Path file) {
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--config: no such file " + file.toAbsolutePath());
            }
            return new Source(
                    file.toAbsolutePath().getParent(), file.getFileName().toString());
        }
        if (Files.isRegularFile(DEFAULT_FILE)) {
            return new Source(
                    DEFAULT_FILE.toAbsolutePath().getParent(),
                    DEFAULT_FILE.getFileName().toString());
        }
        return new Source(null, "revstream.yaml");
    }

    /** The main file and the folder its relative paths start from; a null folder means inside the jar. */
    record Source(Path dir, String mainFile) {
        /** The main file, for the origin of its values. */
        String describe() {
            return dir == null ? "the jar's " + mainFile : dir.resolve(mainFile).toString();
        }

        JsonNode read(String relative) {
            return read(relative, "ingest.mappings");
        }

        /** @param key the configuration key that named the file, for the message when it is missing */
        JsonNode read(String relative, String key) {
            String name = relative == null ? mainFile : relative;
            try {
                if (relative != null && Path.of(relative).isAbsolute()) {
                    Path p = Path.of(relative); // a file named by its absolute path, wherever the main file is
                    if (!Files.isRegularFile(p)) {
                        throw new ConfigException(key + ": no such file " + p);
                    }
                    JsonNode n = YAML.readTree(p.toFile());
                    return n == null ? YAML.createObjectNode() : n;
                }
                if (dir != null) {
                    Path p = dir.resolve(name);
                    if (!Files.isRegularFile(p)) {
                        throw new ConfigException(key + ": no such file " + p);
                    }
                    JsonNode n = YAML.readTree(p.toFile());
                    return n == null ? YAML.createObjectNode() : n;
                }
                try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(BUNDLED + name)) {
                    if (in == null) {
                        throw new ConfigException(
                                "no configuration file: " + name + " is neither in ./config nor in the jar");
                    }
                    JsonNode n = YAML.readTree(in);
                    return n == null ? YAML.createObjectNode() : n;
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
