package dev.revstream.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flat key/value view of a configuration, read through the {@link Settings} declarations. Every
 * problem is collected (the first per key) so that one start-up reports all of them.
 */
final class ConfigValues {
    private final Map<String, String> flat;
    private final Map<String, String> errors = new LinkedHashMap<>();

    ConfigValues(Map<String, String> flat) {
        this.flat = flat;
    }

    /** The value of a fixed setting (null when it cannot be read: the problem is recorded). */
    <T> T get(Setting<T> s) {
        return get(s, s.key());
    }

    /** The value of {@code key}, one of the keys of an open setting. */
    <T> T get(Setting<T> s, String key) {
        String text = flat.containsKey(key) ? flat.get(key) : s.ifAbsent();
        return s.type().read(text, problem -> error(key, problem));
    }

    int integer(Setting<Integer> s) {
        Integer i = get(s);
        return i == null ? 0 : i;
    }

    double number(Setting<Double> s) {
        Double d = get(s);
        return d == null ? 0 : d;
    }

    boolean bool(Setting<Boolean> s) {
        return Boolean.TRUE.equals(get(s));
    }

    /** A size setting whose bounds keep it within an int. */
    int bytes(Setting<Long> s) {
        Long b = get(s);
        return b == null ? 0 : (int) b.longValue();
    }

    /** A duration in milliseconds, 0 when it cannot be read. */
    long millis(Setting<Duration> s) {
        Duration d = get(s);
        return d == null ? 0 : d.toMillis();
    }

    /**
     * The keys under an open setting's parent that some setting declares (the others are unknown keys),
     * by the rest of the key, with their values as given.
     */
    Map<String, String> under(Setting<?> open) {
        String prefix = open.parent() + ".";
        Map<String, String> out = new TreeMap<>();
        flat.forEach((k, v) -> {
            if (k.startsWith(prefix) && Settings.known(k)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    void error(String key, String message) {
        errors.putIfAbsent(key, message);
    }

    void throwIfErrors() {
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("invalid configuration:");
            errors.forEach((k, v) -> sb.append("\n  ").append(k).append(": ").append(v));
            throw new ConfigException(sb.toString());
        }
    }

    /** An error for every key that no setting declares, naming the keys it might have meant. */
    void checkKnownKeys() {
        for (String key : flat.keySet()) {
            if (Settings.known(key)) {
                continue;
            }
            String section = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
            List<String> siblings =
                    Settings.KEYS.stream().filter(k -> k.startsWith(section)).toList();
            error(
                    key,
                    "unknown key"
                            + (siblings.isEmpty()
                                    ? "; the sections are "
                                            + Settings.KEYS.stream()
                                                    .map(k -> k.substring(0, k.indexOf('.')))
                                                    .distinct()
                                                    .toList()
                                    : "; the keys under '" + section + "' are " + siblings));
        }
    }
}
