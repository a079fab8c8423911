package dev.revstream.job.journey;

import dev.revstream.model.Event;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The events one account applied within the de-duplication horizon, so that a copy of one is dropped
 * without a state access of its own: a section of the account's live value ({@link LiveAccount#seen()}, read
 * and written with it), holding for each event a 128-bit digest of its (source, eventId) and its time,
 * sorted by digest and time. A copy is looked up in the bytes as read (a binary search, nothing decoded).
 *
 * <p>The rule, in event time: a copy is an event whose (source, eventId) the account applied at a time no
 * more than {@code horizon} from the copy's own, before or after. Copies of a resend carry the same time, so
 * whatever order they arrive in, one of them is applied; an id used again more than a horizon apart is
 * applied each time, in any order.
 *
 * <p>State cleaning: without timers. When the section is rewritten (a call that applied an event), the
 * entries that no event the account can still apply could be a copy of are left out: those more than {@code horizon}
 * before the earliest time it can still apply at (its correction snapshot, or the watermark without
 * corrections). A quiet account's section stays as it is until its next event, and goes with its value.
 *
 * <p>A digest is MD5 of the id (the JDK's, intrinsified): two ids of one account colliding in 128 bits is
 * not a practical concern. Assumes Flink's keyed model: one account at a time, {@link #attach}ed at each call.
 */
final class SeenEvents {
    private static final byte VERSION = 1;
    private static final int ENTRY = 24; // digest high, digest low, time: three longs
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long horizonMillis;
    private final MessageDigest md5;

    /** The section as the account's value held it in this call (null: none). */
    private byte[] stored;
    /** Entries this call added, in the order they were added. */
    private final List<long[]> added = new ArrayList<>();

    /** @param horizonMillis how far from an event's time a copy of it is still a copy */
    SeenEvents(long horizonMillis) {
        this.horizonMillis = horizonMillis;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** A call starts on an account whose value holds {@code section} (null for none): nothing added yet. */
    void attach(byte[] section) {
        if (section != null && (section.length == 0 || section[0] != VERSION || (section.length - 1) % ENTRY != 0)) {
            throw new IllegalStateException("an account's seen events of an unknown layout (" + section.length
                    + " bytes, version " + (section.length == 0 ? "none" : section[0]) + ")");
        }
        stored = section;
        added.clear();
    }

    /**
     * Whether {@code e} is the first copy: not a copy of an event the account applied (this call included).
     * If so it is recorded as applied, so a later copy of it is a copy until the horizon; one digest per event.
     */
    boolean firstCopy(Event e) {
        long[] d = digest(e);
        long t = e.occurredAt();
        for (long[] a : added) {
            if (a[0] == d[0] && a[1] == d[1] && near(t, a[2])) {
                return false;
            }
        }
        if (stored != null) {
            int count = (stored.length - 1) / ENTRY;
            for (int i = first(stored, d[0], d[1]); i < count && same(stored, i, d[0], d[1]); i++) {
                if (near(t, time(stored, i))) {
                    return false;
                }
            }
        }
        added.add(new long[] {d[0], d[1], t});
        return true;
    }

    private boolean near(long t, long applied) {
        long apart = t >= applied ? t - applied : applied - t;
        return apart >= 0 && apart <= horizonMillis; // negative: overflowed, far apart
    }

    /** Takes back {@link #firstCopy}'s record of {@code events} (the account could not apply them after all). */
    void notApplied(List<Event> events) {
        for (Event e : events) {
            long[] d = digest(e);
            for (int i = added.size() - 1; i >= 0; i--) {
                long[] a = added.get(i);
                if (a[0] == d[0] && a[1] == d[1] && a[2] == e.occurredAt()) {
                    added.remove(i);
                    break;
                }
            }
        }
    }

    /**
     * The section to write: as attached if this call applied nothing, else with what it applied and without
     * the entries older than the horizon before {@code applicableFrom} (the earliest time the account can
     * still apply an event at); null for none.
     */
    byte[] section(long applicableFrom) {
        if (added.isEmpty()) {
            return stored;
        }
        long keepFrom = applicableFrom == Long.MIN_VALUE ? Long.MIN_VALUE : applicableFrom - horizonMillis;
        List<long[]> fresh = new ArrayList<>(added);
        fresh.sort(BY_DIGEST);
        int oldCount = stored == null ? 0 : (stored.length - 1) / ENTRY;
        byte[] out = new byte[1 + (oldCount + fresh.size()) * ENTRY];
        out[0] = VERSION;
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < oldCount || j < fresh.size()) {
            long[] next;
            if (j >= fresh.size()) {
                next = entry(stored, i++);
            } else if (i >= oldCount) {
                next = fresh.get(j++);
            } else {
                long[] old = entry(stored, i);
                int c = BY_DIGEST.compare(old, fresh.get(j));
                if (c <= 0) {
                    next = old;
                    i++;
                } else {
                    next = fresh.get(j++);
                }
            }
            while (j < fresh.size() && BY_DIGEST.compare(next, fresh.get(j)) == 0) {
                j++; // the same id at the same time once
            }
            if (keepFrom != Long.MIN_VALUE && next[2] < keepFrom) {
                continue;
            }
            int off = 1 + n * ENTRY;
            LONG.set(out, off, next[0]);
            LONG.set(out, off + 8, next[1]);
            LONG.set(out, off + 16, next[2]);
            n++;
        }
        return n == 0 ? null : Arrays.copyOf(out, 1 + n * ENTRY);
    }

    /** How many events {@code section} holds (tests: what the cleaning keeps). */
    static int count(byte[] section) {
        return section == null ? 0 : (section.length - 1) / ENTRY;
    }

    /** By digest, then time. */
    private static final Comparator<long[]> BY_DIGEST = (a, b) -> {
        int c = Long.compare(a[0], b[0]);
        c = c != 0 ? c : Long.compare(a[1], b[1]);
        return c != 0 ? c : Long.compare(a[2], b[2]);
    };

    private long[] digest(Event e) {
        md5.update(e.source().getBytes(StandardCharsets.UTF_8));
        md5.update((byte) 0);
        byte[] d = md5.digest(e.eventId().getBytes(StandardCharsets.UTF_8));
        return new long[] {(long) LONG.get(d, 0), (long) LONG.get(d, 8)};
    }

    /** The index of the first entry of the digest, or where it would be. */
    private static int first(byte[] b, long hi, long lo) {
        int low = 0;
        int high = (b.length - 1) / ENTRY;
        while (low < high) {
            int mid = (low + high) >>> 1;
            int off = 1 + mid * ENTRY;
            int c = Long.compare((long) LONG.get(b, off), hi);
            if (c == 0) {
                c = Long.compare((long) LONG.get(b, off + 8), lo);
            }
            if (c < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static boolean same(byte[] b, int i, long hi, long lo) {
        int off = 1 + i * ENTRY;
        return (long) LONG.get(b, off) == hi && (long) LONG.get(b, off + 8) == lo;
    }

    private static long time(byte[] b, int i) {
        return (long) LONG.get(b, 1 + i * ENTRY + 16);
    }

    private static long[] entry(byte[] b, int i) {
        int off = 1 + i * ENTRY;
        return new long[] {(long) LONG.get(b, off), (long) LONG.get(b, off + 8), (long) LONG.get(b, off + 16)};
    }
}
