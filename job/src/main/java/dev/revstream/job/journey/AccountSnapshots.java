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
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * An account's journey at the start of its correction horizon, as one compact value: the account,
 * its deals, health signals and touches, and its rules' touch tallies and marks, written one after the
 * other with Flink's serializers of those POJOs (no Kryo). One read and one write per rewind or fold,
 * instead of a map state each.
 *
 * <p>Format 2: a version byte, the account, then each collection as a count and its entries. Format 1
 * (no rule state) reads with none.
 */
final class AccountSnapshots implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 2;

    /** A snapshot read back: the journey and the rules' state, both free to replay on. */
    record Snapshot(MemoryJourneyStore journey, MemoryRules rules) {}

    private transient TypeSerializer<AccountState> accounts;
    private transient TypeSerializer<DealState> deals;
    private transient TypeSerializer<HealthBucket> buckets;
    private transient TypeSerializer<Touch> touches;
    private transient TypeSerializer<TouchTally> tallies;
    private transient TypeSerializer<RuleMark> marks;
    private transient DataOutputSerializer buffer;

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
        }
    }

    byte[] write(Snapshot snapshot) throws IOException {
        MemoryJourneyStore store = snapshot.journey();
        init();
        buffer.clear();
        buffer.writeByte(FORMAT);
        accounts.serialize(store.account(), buffer);
        buffer.writeInt(store.dealMap().size());
        for (DealState d : store.dealMap().values()) {
            deals.serialize(d, buffer);
        }
        buffer.writeInt(store.signalMap().size());
        for (Map.Entry<Long, HealthBucket> e : store.signalMap().entrySet()) {
            buffer.writeLong(e.getKey());
            buckets.serialize(e.getValue(), buffer);
        }
        int n = 0;
        for (List<Touch> at : store.touchMap().values()) {
            n += at.size();
        }
        buffer.writeInt(n);
        for (List<Touch> at : store.touchMap().values()) {
            for (Touch t : at) {
                touches.serialize(t, buffer);
            }
        }
        MemoryRules rules = snapshot.rules();
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
        return buffer.getCopyOfBuffer();
    }

    Snapshot read(byte[] bytes) throws IOException {
        if (bytes == null) {
            return new Snapshot(MemoryJourneyStore.empty(), new MemoryRules());
        }
        init();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        byte format = in.readByte();
        if (format != FORMAT && format != 1) {
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
        if (format >= 2) {
            for (int i = in.readInt(); i > 0; i--) {
                long at = in.readLong();
                rules.tallyMap().put(at, tallies.deserialize(in));
            }
            for (int i = in.readInt(); i > 0; i--) {
                String key = in.readUTF();
                rules.markMap().put(key, marks.deserialize(in));
            }
        }
        return new Snapshot(store, rules);
    }
}
