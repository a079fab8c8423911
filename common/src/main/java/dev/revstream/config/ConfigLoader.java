package dev.revstream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.revstream.ingest.SourceMappings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Assembles the configuration: the YAML file (the given one; else {@code config/revstream.yaml}
 * in the working directory; else the copy inside the jar), then {@code REVSTREAM_*} environment
 * variables, then {@code --set key=value} pairs; reads the mapping files it names; validates.
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
        Source source = resolve(file);
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", source.read(null), flat);
        applyEnvironment(flat, env);
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set '" + set + "' must have the form key=value");
            }
            flat.put(set.substring(0, eq).trim(), set.substring(eq + 1).trim());
        }
        return RevstreamConfig.from(flat, req -> mappings(source, req), name -> source.read(name, "actions.rules"));
    }

    private static void applyEnvironment(Map<String, String> flat, Map<String, String> env) {
        for (String key : Settings.KEYS) {
            String v = env.get(envName(key));
            if (v != null) {
                flat.put(key, v);
            }
        }
        for (String key : new ArrayList<>(flat.keySet())) {
            String v = env.get(envName(key));
            if (v != null) {
                flat.put(key, v);
            }
        }
    }

    /** {@code kafka.bootstrap-servers} -> {@code REVSTREAM_KAFKA_BOOTSTRAP_SERVERS}. */
    public static String envName(String key) {
        return "REVSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static SourceMappings mappings(Source source, RevstreamConfig.MappingRequest req) {
        Map<String, Map<String, String>> types = new LinkedHashMap<>();
        Map<String, Map<String, String>> channels = new LinkedHashMap<>();
        Map<String, Map<String, String>> stages = new LinkedHashMap<>();
        for (String file : req.files()) {
            JsonNode root = source.read(file);
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
        return new SourceMappings(types, channels, stages, req.canonicalStages());
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
        JsonNode read(String relative) {
            return read(relative, "ingest.mappings");
        }

        /** @param key the configuration key that named the file, for the message when it is missing */
        JsonNode read(String relative, String key) {
            String name = relative == null ? mainFile : relative;
            try {
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
