package dev.revstream.job.journey;

import dev.revstream.journey.JourneyUpdate;
import dev.revstream.model.Event;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Reads what a journey harness keeps for an account: the journey and rule state in its one value. */
final class StoredAccounts {
    private StoredAccounts() {}

    static AccountSnapshots.Snapshot of(
            KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h, String accountId) throws Exception {
        @SuppressWarnings("unchecked")
        KeyedProcessOperator<String, Event, JourneyUpdate> op =
                (KeyedProcessOperator<String, Event, JourneyUpdate>) h.getOperator();
        op.setCurrentKey(accountId);
        return ((JourneyFunction) op.getUserFunction()).stored();
    }

    /** How many applied events the journey keeps for {@code accountId}'s de-duplication. */
    static int seen(KeyedOneInputStreamOperatorTestHarness<String, Event, JourneyUpdate> h, String accountId)
            throws Exception {
        @SuppressWarnings("unchecked")
        KeyedProcessOperator<String, Event, JourneyUpdate> op =
                (KeyedProcessOperator<String, Event, JourneyUpdate>) h.getOperator();
        op.setCurrentKey(accountId);
        return ((JourneyFunction) op.getUserFunction()).seenStored();
    }

    static int touches(AccountSnapshots.Snapshot s) {
        int n = 0;
        for (var at : s.journey().touchMap().values()) {
            n += at.size();
        }
        return n;
    }
}
