package dev.revstream.tools.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.ConfigLoader;
import dev.revstream.job.RevstreamJob;
import dev.revstream.tools.testing.Infra;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;

/** The RocksDB options the job sets for itself (docs/configuration.md), and a {@code flink.} option over them. */
class JobStateOptionsTest {

    private static ReadableConfig configured(String... sets) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RevstreamJob.configure(env, ConfigLoader.load(Infra.projectConfig(), List.of(sets), Map.of()), null);
        return env.getConfiguration();
    }

    @Test
    void bloomFiltersAndLz4ByDefault() {
        ReadableConfig c = configured();
        assertThat(c.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
        assertThat(c.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(CompressionType.LZ4_COMPRESSION);
    }

    @Test
    void aFlinkOptionOverridesThem() {
        ReadableConfig c = configured(
                "flink.state.backend.rocksdb.compression.per.level=NO_COMPRESSION;SNAPPY_COMPRESSION",
                "flink.state.backend.rocksdb.use-bloom-filter=false");
        assertThat(c.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
        assertThat(c.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(CompressionType.NO_COMPRESSION, CompressionType.SNAPPY_COMPRESSION);
    }
}
