package dev.revstream.job.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.attribution.AttributionModel;
import dev.revstream.kafka.OutputJson;
import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiValues;
import java.math.BigDecimal;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Snapshots cross operators (to the sinks and the warehouse rows): Flink must serialize them without Kryo. */
class KpiSnapshotTypeTest {

    @Test
    void aSnapshotIsAFlinkPojoThatRoundTripsWithGenericTypesDisabled() throws Exception {
        TypeInformation<KpiSnapshot> type = TypeInformation.of(KpiSnapshot.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // pipeline.generic-types: false, as the job runs: a Kryo fallback throws
        TypeSerializer<KpiSnapshot> serializer = type.createSerializer(config);

        KpiValues values = new KpiValues(
                new KpiValues.Channel(
                        new KpiValues.Credit[] {new KpiValues.Credit(AttributionModel.LINEAR, new BigDecimal("1.50"))},
                        new BigDecimal("10.00"),
                        null),
                new KpiValues.Deals(
                        1,
                        0,
                        new BigDecimal("100.00"),
                        0,
                        0,
                        new BigDecimal("0.00"),
                        1,
                        new BigDecimal("100.00"),
                        new BigDecimal("10.00"),
                        null,
                        null,
                        null,
                        null,
                        new KpiValues.Stage[] {
                            new KpiValues.Stage("PROPOSAL", new BigDecimal("0.500000"), new BigDecimal("2.000000"))
                        },
                        null,
                        new BigDecimal("250000.00"),
                        new BigDecimal("0.000400"),
                        new KpiValues.LearnedForecast(
                                new BigDecimal("1200.00"),
                                new BigDecimal("800.00"),
                                new BigDecimal("1600.00"),
                                new BigDecimal("1000.00"),
                                null),
                        new KpiValues.Pipeline(
                                new KpiValues.Level[] {new KpiValues.Level("PROPOSAL", 1, new BigDecimal("100.00"))},
                                new KpiValues.Level[] {new KpiValues.Level("commit", 1, new BigDecimal("100.00"))},
                                new KpiValues.Level[] {new KpiValues.Level("created", 1, new BigDecimal("100.00"))})),
                null,
                new KpiValues.Revenue(
                        new BigDecimal("5.00"), 2, BigDecimal.ZERO, null, null, null, null, null, null, null, null));
        KpiSnapshot s = new KpiSnapshot("1d", 0, 86_400_000L, "segment", "smb", values);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(s, out);
        KpiSnapshot back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(OutputJson.kpi(back)).isEqualTo(OutputJson.kpi(s));
        assertThat(OutputJson.kpi(serializer.copy(s))).isEqualTo(OutputJson.kpi(s));
    }
}
