package dev.revstream.job.journey;

import dev.revstream.actions.MemoryRules;
import dev.revstream.actions.RuleMark;
import dev.revstream.actions.TouchTally;
import dev.revstream.attribution.Touch;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.MemoryJourneyStore;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * An account's journey and its rules' state as one compact value: the account, its deals, health
 * signals and touches, and its rules' touch tallies and marks, written one after the other with
 * Flink's serializers of those POJOs (no Kryo). The codec of the account's live value
 * ({@link LiveAccount}, one read and one write per firing) and of its snapshot at the correction
 * horizon's start (one read and one write per rewind or fold), instead of a map state each.
 *
 * <p>Format 6: a version byte, the account (followed by what its POJO does not hold: the instant of its
 * next snapshot, a flag and the instant), deals (each followed by what its POJO does not hold: the
 * forecast category its source sent, a flag and the text; the weighted amount it last added to the open
 * pipeline, a flag and the decimal's text), signals, tallies and marks (each a count
 * and its entries), then the touches as a section of their own (its length in bytes, then touch after
 * touch) that a live value decodes only when the journey uses its touches, then (a live value's, format 7)
 * the events it applied within the de-duplication horizon as a section of their own ({@link SeenEvents}'
 * encoding, then its length in bytes, last so that a copy can drop it: {@link #withoutSeen}; empty in a
 * snapshot). Format 6 (without that section), format 4 (deals without their
 * weighted amount), format 5 (the account without its next snapshot's instant), format 3 (deals without
 * their category), format 2 (touches before the tallies, as a count) and format 1 (no rule state)
 * still read.
 */
final class AccountSnapshots implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 7;

    /** A snapshot read back: the journey and the rules' state, both free to replay on. */
    record Snapshot(MemoryJourneyStore journey, MemoryRules rules) {}

    private transient TypeSerializer<AccountState> accounts;
    private transient TypeSerializer<DealState> deals;
    private transient TypeSerializer<HealthBucket> buckets;
    private transient TypeSerializer<Touch> touches;
    private transient TypeSerializer<TouchTally> tallies;
    private transient TypeSerializer<RuleMark> marks;
    private transient DataOutputSerializer buffer;
    private transient DataOutputSerializer touchBuffer;

    private void init() {
        if (accounts == null) {
            SerializerConfigImpl config = new SerializerConfigImpl();
            config.setGenericTypes(false);
            accounts = Types.POJO(AccountState.class).createSerializer(config);
            deals = Types.POJO(DealState.class).createSerializer(config);
            buckets = Types.POJO(HealthBucket.class).createSerializer(config);
            touches = Types.POJO(Touch.class).createSerializer(config);
            tallies = Types.POJO(TouchTally.class).createSerializer(config);
            marks = Types.POJO(RuleMark.class).createSerializer(config);
            buffer = new DataOutputSerializer(1024);
            touchBuffer = new DataOutputSerializer(256);
        }
    }

    byte[] write(Snapshot snapshot) throws IOException {
        return write(snapshot, null);
    }

    private byte[] write(Snapshot snapshot, byte[] seen) throws IOException {
        init();
        touchBuffer.clear();
        for (List<Touch> at : snapshot.journey().touchMap().values()) {
            for (Touch t : at) {
                touches.serialize(t, touchBuffer);
            }
        }
        return write(snapshot.journey(), snapshot.rules(), touchBuffer.getSharedBuffer(), touchBuffer.length(), seen);
    }

    /** A live value: its touches as they were read, unless the journey decoded them, and those added since. */
    byte[] write(LiveAccount live) throws IOException {
        init();
        if (live.touchesDecoded()) {
            return write(new Snapshot(live.journey(), live.rules()), live.seen());
        }
        touchBuffer.clear();
        touchBuffer.write(live.touchSection());
        for (Touch t : live.touchesAdded()) {
            touches.serialize(t, touchBuffer);
        }
        return write(
                live.journeyWithoutTouches(),
                live.rules(),
                touchBuffer.getSharedBuffer(),
                touchBuffer.length(),
                live.seen());
    }

    private byte[] write(MemoryJourneyStore store, MemoryRules rules, byte[] touchSection, int touchLength, byte[] seen)
            throws IOException {
        buffer.clear();
        buffer.writeByte(FORMAT);
        accounts.serialize(store.account(), buffer);
        Long candidateAt = store.account().candidateAt;
        buffer.writeBoolean(candidateAt != null);
        if (candidateAt != null) {
            buffer.writeLong(candidateAt);
        }
        buffer.writeInt(store.dealMap().size());
        for (DealState d : store.dealMap().values()) {
            deals.serialize(d, buffer);
            buffer.writeBoolean(d.forecastCategory != null);
            if (d.forecastCategory != null) {
                buffer.writeUTF(d.forecastCategory);
            }
            buffer.writeBoolean(d.weighted != null);
            if (d.weighted != null) {
                buffer.writeUTF(d.weighted.toString());
            }
        }
        buffer.writeInt(store.signalMap().size());
        for (Map.Entry<Long, HealthBucket> e : store.signalMap().entrySet()) {
            buffer.writeLong(e.getKey());
            buckets.serialize(e.getValue(), buffer);
        }
        buffer.writeInt(rules.tallyMap().size());
        for (Map.Entry<Long, TouchTally> e : rules.tallyMap().entrySet()) {
            buffer.writeLong(e.getKey());
            tallies.serialize(e.getValue(), buffer);
        }
        buffer.writeInt(rules.markMap().size());
        for (Map.Entry<String, RuleMark> e : rules.markMap().entrySet()) {
            buffer.writeUTF(e.getKey());
            marks.serialize(e.getValue(), buffer);
        }
        buffer.writeInt(touchLength);
        buffer.write(touchSection, 0, touchLength);
        if (seen != null) {
            buffer.write(seen);
        }
        buffer.writeInt(seen == null ? 0 : seen.length);
        return buffer.getCopyOfBuffer();
    }

    Snapshot read(byte[] bytes) throws IOException {
        if (bytes == null) {
            return new Snapshot(MemoryJourneyStore.empty(), new MemoryRules());
        }
        init();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        byte format = in.readByte();
        if (format >= 3 && format <= FORMAT) {
            Snapshot s = readHead(in, format); // a live value's seen events after the touches: not the snapshot's
            byte[] section = new byte[in.readInt()];
            in.readFully(section);
            readTouches(section, s.journey());
            return s;
        }
        if (format != 2 && format != 1) {
            throw new IOException("unknown account snapshot format " + format);
        }
        MemoryJourneyStore store = new MemoryJourneyStore(accounts.deserialize(in));
        for (int i = in.readInt(); i > 0; i--) {
            store.putDeal(deals.deserialize(in));
        }
        for (int i = in.readInt(); i > 0; i--) {
            long at = in.readLong();
            store.putSignal(at, buckets.deserialize(in));
        }
        for (int i = in.readInt(); i > 0; i--) {
            store.addTouch(touches.deserialize(in));
        }
        MemoryRules rules = new MemoryRules();
        if (format == 2) {
            readRules(in, rules);
        }
        return new Snapshot(store, rules);
    }

    /** A live value, its touches left encoded until the journey uses them. */
    LiveAccount readLive(byte[] bytes) throws IOException {
        init();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        byte format = in.readByte();
        if (format < 3 || format > FORMAT) {
            return LiveAccount.of(read(bytes), this);
        }
        Snapshot s = readHead(in, format);
        byte[] section = new byte[in.readInt()];
        in.readFully(section);
        LiveAccount live = new LiveAccount(s.journey(), s.rules(), section, this);
        if (format >= 7 && in.available() > Integer.BYTES) {
            byte[] seen = new byte[in.available() - Integer.BYTES];
            in.readFully(seen);
            live.seen(seen);
        }
        return live;
    }

    /**
     * A live value without its seen events (format 7), for the copies the correction log keeps as snapshots:
     * a rewind never reads them, and the live value keeps its own.
     */
    static byte[] withoutSeen(byte[] value) {
        if (value == null || value.length < 1 + Integer.BYTES || value[0] < 7) {
            return value;
        }
        int end = value.length - Integer.BYTES;
        int length = ((value[end] & 0xff) << 24)
                | ((value[end + 1] & 0xff) << 16)
                | ((value[end + 2] & 0xff) << 8)
                | (value[end + 3] & 0xff);
        if (length == 0) {
            return value;
        }
        byte[] copy = Arrays.copyOf(value, end - length + Integer.BYTES);
        Arrays.fill(copy, copy.length - Integer.BYTES, copy.length, (byte) 0); // its length: none
        return copy;
    }

    private Snapshot readHead(DataInputDeserializer in, byte format) throws IOException {
        MemoryJourneyStore store = new MemoryJourneyStore(accounts.deserialize(in));
        if (format >= 6 && in.readBoolean()) {
            store.account().candidateAt = in.readLong();
        }
        for (int i = in.readInt(); i > 0; i--) {
            DealState d = deals.deserialize(in);
            if (format >= 4 && in.readBoolean()) {
                d.forecastCategory = in.readUTF();
            }
            if (format >= 5 && in.readBoolean()) {
                d.weighted = new BigDecimal(in.readUTF());
            }
            store.putDeal(d);
        }
        for (int i = in.readInt(); i > 0; i--) {
            long at = in.readLong();
            store.putSignal(at, buckets.deserialize(in));
        }
        MemoryRules rules = new MemoryRules();
        readRules(in, rules);
        return new Snapshot(store, rules);
    }

    private void readRules(DataInputDeserializer in, MemoryRules rules) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            long at = in.readLong();
            rules.tallyMap().put(at, tallies.deserialize(in));
        }
        for (int i = in.readInt(); i > 0; i--) {
            String key = in.readUTF();
            rules.markMap().put(key, marks.deserialize(in));
        }
    }

    /** Decodes a touch section into {@code store}, in the order written. */
    void readTouches(byte[] section, MemoryJourneyStore store) throws IOException {
        init();
        DataInputDeserializer in = new DataInputDeserializer(section);
        while (in.available() > 0) {
            store.addTouch(touches.deserialize(in));
        }
    }
}
