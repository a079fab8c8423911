package dev.revstream.job.journey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * The open stages ({@code deals.stages}) the journey's state was written with. A deal in state holds
 * its stage and its time in each stage by position in that list, so state restored under a different
 * list would be read wrongly (a deal in the fourth stage read as in whatever is fourth now). The
 * list is kept in the checkpoint beside the state; a restore under another one stops the job at
 * start-up, without restarts, saying what changed and what to do. State from before the list was
 * kept (0.1.0) has none and is taken as written with the configured list.
 */
final class StageList {
    private StageList() {}

    /**
     * @param restored the lists of every subtask of the restored checkpoint, joined (a union list state),
     *     each list as its names with an empty name between lists; empty when none was kept
     * @throws SuppressRestartsException when a restored list differs from the configured one
     */
    static void requireUnchanged(Iterable<String> restored, List<String> configured) {
        Set<List<String>> lists = new LinkedHashSet<>();
        List<String> current = new ArrayList<>();
        for (String name : restored) {
            if (name.isEmpty()) {
                lists.add(current);
                current = new ArrayList<>();
            } else {
                current.add(name);
            }
        }
        for (List<String> was : lists) {
            if (!was.equals(configured)) {
                throw new SuppressRestartsException(new IllegalStateException("deals.stages changed since the state"
                        + " was saved: it was " + was + ", now " + configured + ". Deals in the state hold"
                        + " positions in the old list, so the job does not start on it. Either run with the old"
                        + " list, or start from empty state (another job.state-dir, no savepoint) and replay"
                        + " the input topics with run --bounded (docs/operations.md, Changing deals.stages)."));
            }
        }
    }

    /** The configured list as it is kept: its names, then an empty one closing it. */
    static List<String> kept(List<String> configured) {
        List<String> out = new ArrayList<>(configured);
        out.add("");
        return out;
    }
}
