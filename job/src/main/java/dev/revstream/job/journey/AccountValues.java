package dev.revstream.job.journey;

import org.apache.flink.api.common.state.ValueState;

/**
 * The current account's value in keyed state ({@link LiveAccount}): read once and written once per
 * call, through the call's staged writes. An account still in the layout before it is moved over at
 * its first read ({@link LegacyAccountState}).
 *
 * <p>Assumes Flink's keyed-state model: one key at a time, and {@link #loadedBytes} belongs to the
 * last {@link #load} of the current call.
 */
final class AccountValues {
    private final ValueState<byte[]> live;
    private final LegacyAccountState legacy;
    private final AccountSnapshots codec = new AccountSnapshots();
    private byte[] loadedBytes;

    AccountValues(ValueState<byte[]> live, LegacyAccountState legacy) {
        this.live = live;
        this.legacy = legacy;
    }

    /** The account's value, or null for an account without state; state of an older layout moves over. */
    LiveAccount load() throws Exception {
        byte[] bytes = live.value();
        loadedBytes = bytes;
        if (bytes != null) {
            return codec.readLive(bytes);
        }
        AccountSnapshots.Snapshot old = legacy.take();
        if (old == null) {
            return null;
        }
        LiveAccount moved = of(old);
        save(moved); // with the old layout's removal, in this call's writes
        return moved;
    }

    /** The value as {@link #load} read it (null for none or an older layout's), unchanged. */
    byte[] loadedBytes() {
        return loadedBytes;
    }

    /** A new account: nothing known yet. */
    LiveAccount fresh() throws Exception {
        return of(codec.read(null));
    }

    /** A value of a snapshot's journey and rules (a corrected account). */
    LiveAccount of(AccountSnapshots.Snapshot s) {
        return LiveAccount.of(s, codec);
    }

    void save(LiveAccount account) throws Exception {
        live.update(codec.write(account));
    }

    /** The account's value as {@link #save} would write it, not written. */
    byte[] encode(LiveAccount account) throws Exception {
        return codec.write(account);
    }

    /** What keyed state holds for the current key, or null for nothing. */
    AccountSnapshots.Snapshot stored() throws Exception {
        byte[] bytes = live.value();
        return bytes == null ? null : codec.read(bytes);
    }
}
