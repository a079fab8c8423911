package dev.revstream.job.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.actions.MemoryRules;
import dev.revstream.actions.RuleMark;
import dev.revstream.actions.TouchTally;
import dev.revstream.attribution.Touch;
import dev.revstream.journey.AccountState;
import dev.revstream.journey.DealState;
import dev.revstream.journey.HealthBucket;
import dev.revstream.journey.MemoryJourneyStore;
import dev.revstream.model.TouchpointType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The account snapshot's codec: what is written is read back, field for field, in the stores' order. */
class AccountSnapshotsTest {

    @Test
    void readsBackWhatItWrote() throws Exception {
        AccountSnapshots codec = new AccountSnapshots();
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            MemoryJourneyStore store = randomAccount(r);
            MemoryRules rules = randomRules(r);
            byte[] bytes = codec.write(new AccountSnapshots.Snapshot(store, rules));
            AccountSnapshots.Snapshot read = codec.read(bytes);
            MemoryJourneyStore back = read.journey();
            assertThat(back.account()).usingRecursiveComparison().isEqualTo(store.account());
            assertThat(back.account().candidateAt)
                    .as("the instant of the next snapshot, which the account's POJO does not hold")
                    .isEqualTo(store.account().candidateAt);
            assertThat(back.dealMap().keySet())
                    .containsExactlyElementsOf(store.dealMap().keySet());
            assertThat(back.dealMap().values())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.dealMap().values());
            assertThat(back.dealMap().values())
                    .as("the category its source sent, which the deal's POJO does not hold")
                    .extracting(d -> d.forecastCategory)
                    .containsExactlyElementsOf(store.dealMap().values().stream()
                            .map(d -> d.forecastCategory)
                            .toList());
            assertThat(back.dealMap().values())
                    .as("the weighted amount it last added, which the deal's POJO does not hold")
                    .extracting(d -> d.weighted)
                    .containsExactlyElementsOf(store.dealMap().values().stream()
                            .map(d -> d.weighted)
                            .toList());
            assertThat(back.signalMap().keySet())
                    .containsExactlyElementsOf(store.signalMap().keySet());
            assertThat(back.signalMap().values())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.signalMap().values());
            assertThat(back.touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.touches());
            assertThat(read.rules().tallyMap().keySet())
                    .containsExactlyElementsOf(rules.tallyMap().keySet());
            assertThat(read.rules().tallyMap().values())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(rules.tallyMap().values());
            assertThat(read.rules().markMap().keySet())
                    .containsExactlyElementsOf(rules.markMap().keySet());
            assertThat(read.rules().markMap().values())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(rules.markMap().values());
            assertThat(codec.write(read)).isEqualTo(bytes);
        }
        assertThat(codec.read(null).journey().dealMap()).isEmpty(); // a new account
    }

    @Test
    void aLiveValueKeepsItsTouchesEncodedUntilUsedAndLosesNoneAddedMeanwhile() throws Exception {
        AccountSnapshots codec = new AccountSnapshots();
        Random r = new Random(11);
        for (int i = 0; i < 200; i++) {
            MemoryJourneyStore expected = randomAccount(r);
            byte[] bytes = codec.write(new AccountSnapshots.Snapshot(expected, randomRules(r)));
            LiveAccount live = codec.readLive(bytes);
            assertThat(live.touchesDecoded()).isFalse();
            for (int t = 0, n = r.nextInt(4); t < n; t++) {
                Touch added = touch(r.nextLong(1_000_000), "hubspot", "added-" + t);
                live.addTouch(added);
                expected.addTouch(added);
            }
            live.putDeal(deal("d-new", 5));
            expected.putDeal(deal("d-new", 5));
            boolean use = r.nextBoolean(); // half of them read the touches in between
            if (use) {
                assertThat(live.touches())
                        .usingRecursiveFieldByFieldElementComparator()
                        .containsExactlyElementsOf(expected.touches());
            }
            assertThat(live.touchesDecoded()).isEqualTo(use);
            AccountSnapshots.Snapshot back = codec.read(codec.write(live));
            assertThat(back.journey().touches())
                    .as("touches in time order, those added in place")
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(expected.touches());
            assertThat(back.journey().dealMap().keySet())
                    .containsExactlyElementsOf(expected.dealMap().keySet());
        }
    }

    @Test
    void aLiveValueKeepsItsSeenEventsAndTheCopiesForCorrectionsDropThem() throws Exception {
        AccountSnapshots codec = new AccountSnapshots();
        Random r = new Random(13);
        for (int i = 0; i < 100; i++) {
            MemoryJourneyStore expected = randomAccount(r);
            LiveAccount live = codec.readLive(codec.write(new AccountSnapshots.Snapshot(expected, randomRules(r))));
            assertThat(live.seen()).as("a value without the section").isNull();
            byte[] seen = new byte[1 + 24 * r.nextInt(5)];
            r.nextBytes(seen);
            seen[0] = 1;
            boolean use = r.nextBoolean(); // with the touches decoded or not
            if (use) {
                live.touches();
            }
            live.seen(seen.length == 1 ? null : seen);
            byte[] bytes = codec.write(live);
            LiveAccount back = codec.readLive(bytes);
            assertThat(back.seen()).isEqualTo(seen.length == 1 ? null : seen);
            assertThat(back.touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(expected.touches());
            byte[] copy = AccountSnapshots.withoutSeen(bytes);
            assertThat(codec.readLive(copy).seen())
                    .as("the copy a correction keeps")
                    .isNull();
            assertThat(codec.read(copy).journey().touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(expected.touches());
            assertThat(codec.write(codec.readLive(copy))).isEqualTo(copy);
        }
    }

    @Test
    void readsTheFormatBeforeDealsCarriedTheirCategory() throws Exception {
        // format 3 (before the forecast category): the same with each deal written by its POJO alone
        AccountSnapshots codec = new AccountSnapshots();
        MemoryJourneyStore store = randomAccount(new Random(5));
        store.putDeal(deal("d-x", 9));
        store.dealMap().values().forEach(d -> {
            d.forecastCategory = null;
            d.weighted = null;
        });
        store.addTouch(touch(42, "segment", "t-1"));
        byte[] format3 = written(3, store);
        for (AccountSnapshots.Snapshot read :
                List.of(codec.read(format3), codec.read(codec.write(codec.readLive(format3))))) {
            assertThat(read.journey().dealMap().values())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.dealMap().values());
            assertThat(read.journey().touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.touches());
        }
    }

    @Test
    void readsTheFormatBeforeDealsCarriedTheirWeight() throws Exception {
        // format 4 (before the weighted amount): each deal followed by its category only
        AccountSnapshots codec = new AccountSnapshots();
        MemoryJourneyStore store = randomAccount(new Random(5));
        store.putDeal(deal("d-x", 9));
        store.dealMap().values().forEach(d -> d.weighted = null);
        store.addTouch(touch(42, "segment", "t-1"));
        byte[] format4 = written(4, store);
        for (AccountSnapshots.Snapshot read :
                List.of(codec.read(format4), codec.read(codec.write(codec.readLive(format4))))) {
            assertThat(read.journey().dealMap().values())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.dealMap().values());
            assertThat(read.journey().dealMap().values())
                    .extracting(d -> d.forecastCategory)
                    .containsExactlyElementsOf(store.dealMap().values().stream()
                            .map(d -> d.forecastCategory)
                            .toList());
            assertThat(read.journey().touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.touches());
        }
    }

    @Test
    void readsTheFormatBeforeTheAccountCarriedItsNextSnapshot() throws Exception {
        // format 5 (before the next snapshot's instant): the account's POJO alone, deals with category and weight
        AccountSnapshots codec = new AccountSnapshots();
        MemoryJourneyStore store = randomAccount(new Random(6));
        store.account().candidateAt = null;
        store.putDeal(deal("d-x", 9));
        store.addTouch(touch(42, "segment", "t-1"));
        byte[] format5 = written(5, store);
        for (AccountSnapshots.Snapshot read :
                List.of(codec.read(format5), codec.read(codec.write(codec.readLive(format5))))) {
            assertThat(read.journey().account()).usingRecursiveComparison().isEqualTo(store.account());
            assertThat(read.journey().account().candidateAt).isNull();
            assertThat(read.journey().dealMap().values())
                    .extracting(d -> d.weighted)
                    .containsExactlyElementsOf(store.dealMap().values().stream()
                            .map(d -> d.weighted)
                            .toList());
            assertThat(read.journey().touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(store.touches());
        }
    }

    @Test
    void readsTheFormatBeforeTouchesHadASectionOfTheirOwn() throws Exception {
        // format 2 (0.1.0 snapshots): the account, deals, signals, touches as a count, tallies, marks
        AccountSnapshots codec = new AccountSnapshots();
        MemoryJourneyStore store = randomAccount(new Random(3));
        store.addTouch(touch(42, "segment", "t-1"));
        MemoryRules rules = randomRules(new Random(4));
        rules.tallyMap().put(7L, new TouchTally());
        SerializerConfigImpl config = new SerializerConfigImpl();
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(2);
        Types.POJO(AccountState.class).createSerializer(config).serialize(store.account(), out);
        out.writeInt(store.dealMap().size());
        for (DealState d : store.dealMap().values()) {
            Types.POJO(DealState.class).createSerializer(config).serialize(d, out);
        }
        out.writeInt(store.signalMap().size());
        for (var e : store.signalMap().entrySet()) {
            out.writeLong(e.getKey());
            Types.POJO(HealthBucket.class).createSerializer(config).serialize(e.getValue(), out);
        }
        List<Touch> touches = new ArrayList<>();
        store.touches().forEach(touches::add);
        out.writeInt(touches.size());
        for (Touch t : touches) {
            Types.POJO(Touch.class).createSerializer(config).serialize(t, out);
        }
        out.writeInt(rules.tallyMap().size());
        for (var e : rules.tallyMap().entrySet()) {
            out.writeLong(e.getKey());
            Types.POJO(TouchTally.class).createSerializer(config).serialize(e.getValue(), out);
        }
        out.writeInt(rules.markMap().size());
        for (var e : rules.markMap().entrySet()) {
            out.writeUTF(e.getKey());
            Types.POJO(RuleMark.class).createSerializer(config).serialize(e.getValue(), out);
        }
        byte[] format2 = out.getCopyOfBuffer();
        for (AccountSnapshots.Snapshot read :
                List.of(codec.read(format2), codec.read(codec.write(codec.readLive(format2))))) {
            assertThat(read.journey().touches())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(touches);
            assertThat(read.journey().dealMap().keySet())
                    .containsExactlyElementsOf(store.dealMap().keySet());
            assertThat(read.rules().tallyMap().keySet())
                    .containsExactlyElementsOf(rules.tallyMap().keySet());
            assertThat(read.rules().markMap().keySet())
                    .containsExactlyElementsOf(rules.markMap().keySet());
        }
    }

    @Test
    void aTypicalAccountIsAFewKilobytes() throws Exception {
        // a customer with 3 deals, 12 health signals and 40 attributable touches
        MemoryJourneyStore store = new MemoryJourneyStore(new AccountState());
        store.account().lifecycle = "customer";
        store.account().arr = new BigDecimal("48200.00");
        for (int d = 0; d < 3; d++) {
            store.putDeal(deal("006417-" + d, 1_000L * d));
        }
        for (int s = 0; s < 12; s++) {
            HealthBucket b = new HealthBucket();
            b.usage = 40 + s;
            b.tickets = s % 3;
            store.putSignal(86_400_000L * s, b);
        }
        for (int t = 0; t < 40; t++) {
            store.addTouch(touch(3_600_000L * t, "hubspot", "hs-email-" + t));
        }
        int size = new AccountSnapshots().write(new AccountSnapshots.Snapshot(store, new MemoryRules())).length;
        System.out.printf("account snapshot: 3 deals, 12 signals, 40 touches = %,d bytes%n", size);
        assertThat(size).isBetween(1_000, 8_000);
    }

    /**
     * The store as format 3 (each deal its POJO alone), 4 (each deal followed by its category) or 5 (and its
     * weighted amount) wrote it.
     */
    private static byte[] written(int format, MemoryJourneyStore store) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeByte(format);
        Types.POJO(AccountState.class).createSerializer(config).serialize(store.account(), out);
        out.writeInt(store.dealMap().size());
        for (DealState d : store.dealMap().values()) {
            Types.POJO(DealState.class).createSerializer(config).serialize(d, out);
            if (format >= 4) {
                out.writeBoolean(d.forecastCategory != null);
                if (d.forecastCategory != null) {
                    out.writeUTF(d.forecastCategory);
                }
            }
            if (format >= 5) {
                out.writeBoolean(d.weighted != null);
                if (d.weighted != null) {
                    out.writeUTF(d.weighted.toString());
                }
            }
        }
        out.writeInt(store.signalMap().size());
        for (var e : store.signalMap().entrySet()) {
            out.writeLong(e.getKey());
            Types.POJO(HealthBucket.class).createSerializer(config).serialize(e.getValue(), out);
        }
        out.writeInt(0); // tallies
        out.writeInt(0); // marks
        DataOutputSerializer section = new DataOutputSerializer(64);
        for (Touch t : store.touches()) {
            Types.POJO(Touch.class).createSerializer(config).serialize(t, section);
        }
        out.writeInt(section.length());
        out.write(section.getCopyOfBuffer());
        return out.getCopyOfBuffer();
    }

    private static MemoryJourneyStore randomAccount(Random r) {
        AccountState a = new AccountState();
        a.lifecycle = r.nextBoolean() ? "customer" : "mql";
        a.firstMqlAt = r.nextBoolean() ? null : r.nextLong(1_000_000);
        a.arr = BigDecimal.valueOf(r.nextInt(100_000), 2);
        a.segment = r.nextBoolean() ? null : "smb";
        a.churnArmed = r.nextBoolean();
        a.lastTouch = r.nextBoolean() ? null : touch(r.nextLong(1_000_000), "segment", "x" + r.nextInt());
        a.appliedThrough = r.nextLong(1_000_000);
        a.candidateAt = r.nextBoolean() ? null : r.nextLong(1_000_000);
        MemoryJourneyStore store = new MemoryJourneyStore(a);
        for (int d = 0, n = r.nextInt(5); d < n; d++) {
            DealState deal = deal("d-" + r.nextInt(1_000), r.nextLong(1_000_000));
            deal.forecastCategory = r.nextBoolean() ? null : r.nextBoolean() ? "commit" : "omitted";
            deal.weighted = r.nextBoolean() ? null : BigDecimal.valueOf(r.nextInt(1_000_000), r.nextInt(4));
            store.putDeal(deal);
        }
        for (int s = 0, n = r.nextInt(8); s < n; s++) {
            HealthBucket b = new HealthBucket();
            b.usage = r.nextDouble();
            b.paymentFailed = r.nextInt(2);
            store.putSignal(r.nextLong(1_000_000), b);
        }
        for (int t = 0, n = r.nextInt(20); t < n; t++) {
            store.addTouch(touch(r.nextLong(1_000_000), "segment", "e-" + t));
        }
        return store;
    }

    private static MemoryRules randomRules(Random r) {
        MemoryRules rules = new MemoryRules();
        for (int t = 0, n = r.nextInt(6); t < n; t++) {
            TouchTally tally = new TouchTally();
            tally.add(TouchpointType.values()[r.nextInt(TouchpointType.values().length)], r.nextDouble());
            rules.tallyMap().put(r.nextLong(1_000_000), tally);
        }
        for (int m = 0, n = r.nextInt(4); m < n; m++) {
            RuleMark mark = new RuleMark();
            mark.ruleId = "rule-" + m;
            mark.dealId = r.nextBoolean() ? null : "d-" + m;
            mark.actionId = "a-" + r.nextInt();
            mark.openedAt = r.nextLong(1_000_000);
            mark.action = "call";
            mark.team = "sales";
            mark.priority = r.nextInt(3);
            mark.scope = "deal";
            mark.failing = r.nextBoolean();
            rules.markMap().put(RuleMark.key(mark.ruleId, mark.dealId), mark);
        }
        return rules;
    }

    private static DealState deal(String id, long at) {
        DealState d = new DealState();
        d.dealId = id;
        d.stage = 2;
        d.createdAt = at;
        d.stageEnteredAt = at + 1;
        d.amount = new BigDecimal("48200.00");
        d.ownerId = "rep-7";
        d.segment = "mid_market";
        d.dealType = "new_business";
        d.lastActivity = "STAGE_CHANGED";
        d.lastActivityAt = at + 2;
        return d;
    }

    private static Touch touch(long at, String source, String eventId) {
        Touch t = new Touch();
        t.at = at;
        t.source = source;
        t.eventId = eventId;
        t.type = "EMAIL_CLICK";
        t.channel = "email";
        return t;
    }
}
