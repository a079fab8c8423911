package dev.revstream.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting, declared once in {@link Settings}: its key, type (with its bounds or allowed values),
 * default and doc line. The key list, the validation, the check of the shipped {@code
 * config/revstream.yaml} and the reference ({@link ConfigReference}) all come from here.
 *
 * <p>A key with a placeholder such as {@code deals.stage.<STAGE>.stall-sla} is open: it stands for
 * every key it matches (see {@link #PLACEHOLDERS}); its {@code instances} are the keys the shipped file
 * sets, with their values.
 *
 * @param defaultValue the value in the shipped file, as written there ({@code null} for an open key)
 * @param instances an open key's keys and values in the shipped file (empty for a fixed key)
 * @param ifAbsent what a file that leaves the key out gets; {@code null}: whatever the type makes of
 *     nothing (for most, the error "is required")
 * @param doc one line: what it does (the shipped file's comment above the key)
 */
public record Setting<T>(
        String key,
        SettingType<T> type,
        String defaultValue,
        Map<String, String> instances,
        String ifAbsent,
        String doc) {

    /** What each placeholder of an open key matches. */
    public static final Map<String, String> PLACEHOLDERS = Map.of(
            "<property>", ".+",
            "<option>", ".+",
            "<CODE>", "[A-Za-z]{3}",
            "<STAGE>", "[A-Za-z_]+",
            "<segment>", "[^.]+",
            "<channel>", "[A-Za-z0-9_-]+",
            // a Kafka topic name: letters, digits, '.', '_' and '-'
            "<topic>", "[A-Za-z0-9._-]+");

    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z]+>");

    public Setting {
        instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
        if (PLACEHOLDER.matcher(key).find() != (defaultValue == null)) {
            throw new IllegalArgumentException(key + ": a fixed key has a default, an open key instances");
        }
    }

    /** A fixed key with the value the shipped file gives it. */
    public static <T> Setting<T> of(String key, SettingType<T> type, String defaultValue, String doc) {
        return new Setting<>(key, type, defaultValue, Map.of(), null, doc);
    }

    /** An open key: a key with placeholders. */
    public static <T> Setting<T> open(String key, SettingType<T> type, String doc) {
        return new Setting<>(key, type, null, Map.of(), null, doc);
    }

    /** This setting where a file that leaves the key out gets {@code value}. */
    public Setting<T> withIfAbsent(String value) {
        return new Setting<>(key, type, defaultValue, instances, value, doc);
    }

    /** This open setting with the instances the shipped file sets: placeholder value, setting value, ... */
    public Setting<T> withInstances(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(PLACEHOLDER.matcher(key).replaceFirst(Matcher.quoteReplacement(pairs[i])), pairs[i + 1]);
        }
        return new Setting<>(key, type, defaultValue, m, ifAbsent, doc);
    }

    public boolean open() {
        return PLACEHOLDER.matcher(key).find();
    }

    /** The keys this setting stands for. */
    public Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(key);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(key.substring(last, m.start())));
            String p = PLACEHOLDERS.get(m.group());
            if (p == null) {
                throw new IllegalArgumentException(key + ": unknown placeholder " + m.group());
            }
            regex.append(p);
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(key.substring(last))).toString());
    }

    /**
     * The key the setting sits under in a YAML file: the key itself, or for an open key the part before
     * its first placeholder ({@code deals.stage} for {@code deals.stage.<STAGE>.stall-sla}).
     */
    public String parent() {
        Matcher m = PLACEHOLDER.matcher(key);
        return m.find() ? key.substring(0, m.start() - 1) : key;
    }
}
