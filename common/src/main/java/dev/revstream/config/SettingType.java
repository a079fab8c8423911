package dev.revstream.config;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * What a setting's value may be: how its text is read and checked (each problem reported without the
 * key, which the caller adds), and how the reference describes it. A value out of bounds is reported
 * and still returned, so that checks across settings see it; a value that cannot be read is {@code
 * null}. A missing value reaches {@link #read} as {@code null}.
 */
public final class SettingType<T> {
    private final String name;
    private final String bounds;
    private final BiFunction<String, Consumer<String>, T> reader;

    private SettingType(String name, String bounds, BiFunction<String, Consumer<String>, T> reader) {
        this.name = name;
        this.bounds = bounds;
        this.reader = reader;
    }

    /** The kind of value, for the reference: duration, size, integer, ... */
    public String name() {
        return name;
    }

    /** What is allowed, for the reference (empty when anything of the kind is). */
    public String bounds() {
        return bounds;
    }

    /** Reads {@code text} (null when the setting is missing), reporting each problem to {@code problem}. */
    public T read(String text, Consumer<String> problem) {
        return reader.apply(text, problem);
    }

    /** Text that must not be empty; trimmed. */
    public static SettingType<String> text() {
        return required("text", "not empty", (v, p) -> v);
    }

    /** Text that may be empty; trimmed. */
    public static SettingType<String> optionalText() {
        return new SettingType<>("text", "may be empty", (v, p) -> v == null ? "" : v.trim());
    }

    /** Text as given, {@code null} when missing. */
    public static SettingType<String> rawText() {
        return new SettingType<>("text", "", (v, p) -> v);
    }

    /** One of the constants of {@code type}, written in lower case with dashes ({@code exactly-once}). */
    public static <E extends Enum<E>> SettingType<E> oneOf(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList();
        return required("one of", String.join(", ", names), (v, p) -> {
            String name = v.toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
            p.accept("'" + v + "' is not one of " + names);
            return null;
        });
    }

    /** One of {@code values}, in any case (read in lower case). */
    public static SettingType<String> choice(String... values) {
        return choice(true, values);
    }

    /** One of {@code values}, exactly as written. */
    public static SettingType<String> exactChoice(String... values) {
        return choice(false, values);
    }

    private static SettingType<String> choice(boolean anyCase, String... values) {
        String allowed = String.join(", ", values);
        return new SettingType<>("one of", allowed, (v, p) -> {
            String s = v == null ? "" : v.trim();
            s = anyCase ? s.toLowerCase(Locale.ROOT) : s;
            if (!List.of(values).contains(s)) {
                p.accept("'" + s + "' is not one of " + allowed);
            }
            return s;
        });
    }

    /** A duration such as {@code 90s} from {@code min} to {@code max}. */
    public static SettingType<Duration> duration(Duration min, Duration max) {
        return required("duration", Units.format(min) + " to " + Units.format(max), (v, p) -> {
            try {
                Duration d = Units.duration(v);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    p.accept("'" + v + "' must be between " + Units.format(min) + " and " + Units.format(max));
                }
                return d;
            } catch (IllegalArgumentException e) {
                p.accept(e.getMessage());
                return null;
            }
        });
    }

    /** A size such as {@code 1MiB}, from {@code min} to {@code max} bytes. */
    public static SettingType<Long> bytes(long min, long max) {
        return required("size", sizeText(min) + " to " + sizeText(max), (v, p) -> {
            try {
                long b = Units.bytes(v);
                if (b < min || b > max) {
                    p.accept("'" + v + "' must be between " + min + " and " + max + " bytes");
                }
                return b;
            } catch (IllegalArgumentException e) {
                p.accept(e.getMessage());
                return null;
            }
        });
    }

    /** A whole number from {@code min} to {@code max}. */
    public static SettingType<Integer> integer(int min, int max) {
        String problem = " must be a whole number from " + min + " to " + max;
        return required("integer", min + " to " + max, (v, p) -> {
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    p.accept("'" + v + "'" + problem);
                }
                return i;
            } catch (NumberFormatException e) {
                p.accept("'" + v + "'" + problem);
                return null;
            }
        });
    }

    /** A number from {@code min} to {@code max}. */
    public static SettingType<Double> number(double min, double max) {
        String problem = " must be a number from " + min + " to " + max;
        return required("number", numberText(min) + " to " + numberText(max), (v, p) -> {
            try {
                double d = Double.parseDouble(v);
                if (!(d >= min && d <= max)) {
                    p.accept("'" + v + "'" + problem);
                }
                return d;
            } catch (NumberFormatException e) {
                p.accept("'" + v + "'" + problem);
                return null;
            }
        });
    }

    /** A number above zero, kept exact. */
    public static SettingType<BigDecimal> positiveDecimal() {
        return new SettingType<>("number", "above 0", (v, p) -> {
            try {
                BigDecimal d = new BigDecimal(v == null ? "" : v.trim());
                if (d.signum() > 0) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            p.accept("'" + v + "' must be a positive number");
            return null;
        });
    }

    public static SettingType<Boolean> bool() {
        return required("boolean", "true, false", (v, p) -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            p.accept("'" + v + "' is not one of [true, false]");
            return null;
        });
    }

    public static SettingType<ZoneId> zone() {
        return required("time zone", "a zone such as UTC or Europe/Berlin", (v, p) -> {
            try {
                return ZoneId.of(v);
            } catch (RuntimeException e) {
                p.accept("'" + v + "' is not a time zone such as UTC or Europe/Berlin");
                return null;
            }
        });
    }

    /** A three-letter ISO-4217 code, read in upper case. */
    public static SettingType<String> currency() {
        return required("currency", "an ISO-4217 code such as USD", (v, p) -> {
            if (!v.matches("[A-Za-z]{3}")) {
                p.accept("'" + v + "' is not an ISO-4217 code such as USD");
            }
            return v.toUpperCase(Locale.ROOT);
        });
    }

    /** A comma-separated list (a YAML list is read as one); missing or empty: no items. */
    public static SettingType<List<String>> list(String bounds) {
        return new SettingType<>("list", bounds, (v, p) -> {
            if (v == null || v.isBlank()) {
                return List.of();
            }
            return Arrays.stream(v.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        });
    }

    /** A comma-separated list of {@code n} shares, each 0..1, adding up to at most 1; zeros when invalid. */
    public static SettingType<List<Double>> shares(int n) {
        String rule = n + " shares from 0 to 1 adding up to at most 1";
        return new SettingType<>("list of numbers", rule, (v, p) -> {
            List<String> parts = list("").read(v, p);
            List<Double> out = new ArrayList<>();
            try {
                for (String part : parts) {
                    out.add(Double.parseDouble(part));
                }
            } catch (NumberFormatException e) {
                out.clear();
            }
            double sum = out.stream().mapToDouble(Double::doubleValue).sum();
            if (out.size() != n || out.stream().anyMatch(x -> x < 0) || sum > 1 + 1e-9) {
                p.accept("'" + String.join(", ", parts) + "' must be " + rule);
                out.clear();
            }
            while (out.size() < n) {
                out.add(0.0);
            }
            return out;
        });
    }

    /** Days of the week, comma separated: {@code MON} or {@code MONDAY}, any case. */
    public static SettingType<List<DayOfWeek>> days() {
        return new SettingType<>("list of days", "MON to SUN (or the full names)", (v, p) -> {
            List<DayOfWeek> out = new ArrayList<>();
            for (String day : list("").read(v, p)) {
                try {
                    out.add(DayOfWeek.valueOf(expandDay(day)));
                } catch (IllegalArgumentException e) {
                    p.accept("'" + day + "' is not a day such as MON or TUESDAY");
                }
            }
            return out;
        });
    }

    /** Opening and closing time of a day. */
    public record Hours(LocalTime open, LocalTime close) {}

    /** A range of the day such as {@code 09:00-17:00}, the opening before the closing. */
    public static SettingType<Hours> hours() {
        return required("time range", "HH:MM-HH:MM, opening before closing", (v, p) -> {
            try {
                String[] parts = v.split("-");
                LocalTime open = LocalTime.parse(parts[0].trim());
                LocalTime close = LocalTime.parse(parts[1].trim());
                if (!open.isBefore(close)) {
                    p.accept("'" + v + "': the opening must be before the closing time");
                }
                return new Hours(open, close);
            } catch (RuntimeException e) {
                p.accept("'" + v + "' is not a range such as 09:00-17:00");
                return null;
            }
        });
    }

    /** A type whose missing or blank value is reported as required; {@code reader} gets the trimmed text. */
    private static <T> SettingType<T> required(
            String name, String bounds, BiFunction<String, Consumer<String>, T> reader) {
        return new SettingType<>(name, bounds, (v, p) -> {
            if (v == null || v.isBlank()) {
                p.accept("is required");
                return null;
            }
            return reader.apply(v.trim(), p);
        });
    }

    private static String expandDay(String day) {
        String d = day.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().startsWith(d) && d.length() >= 3) {
                return w.name();
            }
        }
        return d;
    }

    private static String sizeText(long bytes) {
        for (String unit : List.of("GiB", "MiB", "KiB")) {
            long size = 1L << (unit.equals("GiB") ? 30 : unit.equals("MiB") ? 20 : 10);
            if (bytes >= size && bytes % size == 0) {
                return bytes / size + unit;
            }
        }
        return bytes + (bytes == 0 ? "" : bytes == 1 ? " byte" : " bytes");
    }

    private static String numberText(double d) {
        BigDecimal n = BigDecimal.valueOf(d).stripTrailingZeros();
        return n.scale() < -5 ? n.toString() : n.toPlainString();
    }
}
