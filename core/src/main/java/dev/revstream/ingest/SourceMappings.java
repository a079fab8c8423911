package dev.revstream.ingest;

import dev.revstream.model.Channel;
import dev.revstream.model.TouchpointType;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-source translation of touchpoint types, channels and deal stages into the canonical
 * vocabulary. A canonical name is accepted from any source; otherwise the source's own table is
 * asked, then the table shared by all sources ({@link #ANY_SOURCE}). Lookups ignore case and
 * surrounding blanks, because sources are not consistent about either.
 */
public final class SourceMappings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name of the table every source falls back to. */
    public static final String ANY_SOURCE = "*";

    private final Map<String, Map<String, TouchpointType>> types;
    private final Map<String, Map<String, Channel>> channels;
    private final Map<String, Map<String, String>> stages;
    private final List<String> canonicalStages;
    /** Table name (as configured, lower case) -> what its rows are. */
    private final Map<String, TableMapping> tables;

    /**
     * @param types source -> (source's name -> canonical type name)
     * @param channels source -> (source's name -> canonical channel name)
     * @param stages source -> (source's name -> canonical stage name)
     * @param canonicalStages the configured stages, open ones first, then CLOSED_WON and CLOSED_LOST
     * @throws IllegalArgumentException when a table maps to a name that is not canonical
     */
    public SourceMappings(
            Map<String, Map<String, String>> types,
            Map<String, Map<String, String>> channels,
            Map<String, Map<String, String>> stages,
            List<String> canonicalStages) {
        this(types, channels, stages, canonicalStages, Map.of());
    }

    /**
     * As above, with the tables whose change records (Debezium) revstream reads.
     *
     * @param tables table name ({@code opportunities}, {@code crm.opportunities}) -> what its rows are
     */
    public SourceMappings(
            Map<String, Map<String, String>> types,
            Map<String, Map<String, String>> channels,
            Map<String, Map<String, String>> stages,
            List<String> canonicalStages,
            Map<String, TableMapping> tables) {
        this.canonicalStages = List.copyOf(canonicalStages);
        this.tables = new HashMap<>();
        tables.forEach((name, mapping) -> this.tables.put(norm(name), mapping));
        this.types = new HashMap<>();
        types.forEach((source, table) -> table.forEach((raw, canonical) -> {
            TouchpointType t = TouchpointType.canonical(canonical);
            if (t == null) {
                throw new IllegalArgumentException(
                        "mapping for source '" + source + "' maps type '" + raw + "' to '" + canonical
                                + "', which is not a canonical touchpoint type " + List.of(TouchpointType.values()));
            }
            this.types.computeIfAbsent(norm(source), k -> new HashMap<>()).put(norm(raw), t);
        }));
        this.channels = new HashMap<>();
        channels.forEach((source, table) -> table.forEach((raw, canonical) -> {
            Channel c = Channel.canonical(canonical);
            if (c == null) {
                throw new IllegalArgumentException("mapping for source '" + source + "' maps channel '" + raw + "' to '"
                        + canonical + "', which is not a canonical channel");
            }
            this.channels.computeIfAbsent(norm(source), k -> new HashMap<>()).put(norm(raw), c);
        }));
        this.stages = new HashMap<>();
        stages.forEach((source, table) -> table.forEach((raw, canonical) -> {
            String stage = canonicalStage(canonical);
            if (stage == null) {
                throw new IllegalArgumentException("mapping for source '" + source + "' maps stage '" + raw + "' to '"
                        + canonical + "', which is not a configured stage " + this.canonicalStages);
            }
            this.stages.computeIfAbsent(norm(source), k -> new HashMap<>()).put(norm(raw), stage);
        }));
    }

    /** The canonical touchpoint type for a source's name, or null when unmapped. */
    public TouchpointType type(String source, String raw) {
        TouchpointType canonical = TouchpointType.canonical(raw);
        return canonical != null ? canonical : lookup(types, source, raw);
    }

    /** The canonical channel for a source's name, or null when unmapped. */
    public Channel channel(String source, String raw) {
        Channel canonical = Channel.canonical(raw);
        return canonical != null ? canonical : lookup(channels, source, raw);
    }

    /** The canonical stage for a source's name, or null when unmapped. */
    public String stage(String source, String raw) {
        String canonical = canonicalStage(raw);
        return canonical != null ? canonical : lookup(stages, source, raw);
    }

    /**
     * What the rows of a table are: looked up by {@code <db>.<schema>.<table>}, then
     * {@code <schema>.<table>} (or {@code <db>.<table>}), then the table's name; null when unmapped.
     */
    public TableMapping table(String db, String schema, String table) {
        for (String name :
                new String[] {db + "." + schema + "." + table, schema + "." + table, db + "." + table, table}) {
            TableMapping m = tables.get(norm(name));
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    public List<String> canonicalStages() {
        return canonicalStages;
    }

    private String canonicalStage(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return canonicalStages.contains(upper) ? upper : null;
    }

    private static <T> T lookup(Map<String, Map<String, T>> tables, String source, String raw) {
        String key = norm(raw);
        Map<String, T> own = tables.get(norm(source));
        T found = own == null ? null : own.get(key);
        if (found == null) {
            Map<String, T> shared = tables.get(ANY_SOURCE);
            found = shared == null ? null : shared.get(key);
        }
        return found;
    }

    private static String norm(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
