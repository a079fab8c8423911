package dev.revstream.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The sorted edges answer what reading every entry answers, for any entries, windows and instant. */
class WindowEdgesTest {

    @Property(tries = 2_000)
    void sortedEdgesAnswerAsTheEntriesDo(
            @ForAll @Size(max = 30) List<@LongRange(min = -1_000, max = 1_000) Long> instants,
            @ForAll @Size(max = 5) List<@LongRange(min = 1, max = 500) Long> windows,
            @ForAll @LongRange(min = -2_000, max = 2_000) long t) {
        Map<Long, String> entries = new TreeMap<>();
        instants.forEach(x -> entries.put(x, "v"));
        long[] offsets = windows.stream().mapToLong(Long::longValue).toArray();
        long[] sorted = WindowEdges.all(entries.entrySet(), offsets);
        long expected = WindowEdges.next(t, entries.entrySet(), offsets);
        assertThat(WindowEdges.after(sorted, t)).isEqualTo(expected);
        // a walk from t visits every edge after it, in order
        long at = t;
        for (int i = 0; i < 200 && at != Long.MAX_VALUE; i++) {
            assertThat(WindowEdges.after(sorted, at)).isEqualTo(WindowEdges.next(at, entries.entrySet(), offsets));
            at = WindowEdges.after(sorted, at);
        }
    }
}
