package dev.revstream.router;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The (alert, channel) pairs the router is done with (delivered, or given up and dead-lettered),
 * in an append-only file: a restart that sees an alert again (uncommitted offsets) never sends it
 * twice. Written after each delivery and flushed to the operating system, so it survives the
 * process being killed; a crash between a delivery and its line re-sends that one alert, with the
 * same idempotency key. Lines older than {@code keep} are dropped when the file is opened.
 */
final class DeliveredLog implements Closeable {
    private final Set<String> done = new HashSet<>();
    private final Set<String> delivered = new HashSet<>();
    private final BufferedWriter out;

    DeliveredLog(Path dir, Duration keep, long now) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("delivered.log");
            List<String> kept = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t");
                    if (f.length >= 3 && isNumber(f[0]) && Long.parseLong(f[0]) >= now - keep.toMillis()) {
                        kept.add(line);
                        done.add(key(f[1], f[2]));
                        if (f.length >= 4 && "delivered".equals(f[3])) {
                            delivered.add(key(f[1], f[2]));
                        }
                    }
                }
                Path compacted = dir.resolve("delivered.log.tmp");
                Files.write(compacted, kept, StandardCharsets.UTF_8);
                Files.move(compacted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            out = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the router's delivery record in " + dir, e);
        }
    }

    synchronized boolean contains(String alertId, String channel) {
        return done.contains(key(alertId, channel));
    }

    /** The channel got the alert (not given up on): a withdrawal follows it there. */
    synchronized boolean delivered(String alertId, String channel) {
        return delivered.contains(key(alertId, channel));
    }

    /** @param outcome {@code delivered} or {@code deadlettered} */
    synchronized void add(String alertId, String channel, String outcome, long now) {
        try {
            out.write(now + "\t" + alertId + "\t" + channel + "\t" + outcome + "\n");
            out.flush();
            done.add(key(alertId, channel));
            if ("delivered".equals(outcome)) {
                delivered.add(key(alertId, channel));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the router's delivery record", e);
        }
    }

    synchronized int size() {
        return done.size();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private static String key(String alertId, String channel) {
        return alertId + '\t' + channel;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
