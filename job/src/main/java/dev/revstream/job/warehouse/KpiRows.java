package dev.revstream.job.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.kpi.KpiSnapshot;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A KPI snapshot as rows of the long format, one per metric. Nested metric objects (per stage)
 * become dotted names ({@code stageConversion.PROPOSAL}), as in the snapshot's JSON on Kafka.
 * Stateless.
 */
public final class KpiRows implements FlatMapFunction<KpiSnapshot, KpiRow> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void flatMap(KpiSnapshot k, Collector<KpiRow> out) throws Exception {
        emit(k, "", JSON.readTree(k.metricsJson()), out);
    }

    private static void emit(KpiSnapshot k, String prefix, JsonNode node, Collector<KpiRow> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                emit(k, name + ".", v, out);
            } else {
                out.collect(new KpiRow(
                        k.windowSize(),
                        k.windowStart(),
                        k.windowEnd(),
                        k.dimension(),
                        k.dimensionValue(),
                        name,
                        v.isNumber() ? v.decimalValue() : null));
            }
        }
    }
}
