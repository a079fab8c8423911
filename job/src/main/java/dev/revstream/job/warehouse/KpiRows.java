package dev.revstream.job.warehouse;

import dev.revstream.kpi.KpiSnapshot;
import dev.revstream.kpi.KpiValues;
import java.math.BigDecimal;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A KPI snapshot as rows of the long format, one per metric, read from its typed values: the
 * metric names are those of the snapshot's JSON on Kafka ({@code stageConversion.PROPOSAL} for a
 * stage's), the value null where the metric is undefined, each with the snapshot's revision (the
 * latest revision of a window is the one that holds; a window withdrawn by a correction is one row,
 * metric {@code (withdrawn)}, value null). Stateless.
 */
public final class KpiRows implements FlatMapFunction<KpiSnapshot, KpiRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(KpiSnapshot k, Collector<KpiRow> out) {
        if (k.isWithdrawn()) {
            out.collect(new KpiRow(
                    k.windowSize(),
                    k.windowStart(),
                    k.windowEnd(),
                    k.dimension(),
                    k.dimensionValue(),
                    "(withdrawn)",
                    null,
                    k.revision()));
            return;
        }
        k.values().visit(new KpiValues.Visitor<RuntimeException>() {
            @Override
            public void count(String name, long value) {
                row(name, BigDecimal.valueOf(value));
            }

            @Override
            public void money(String name, BigDecimal value) {
                row(name, value);
            }

            @Override
            public void ratio(String name, BigDecimal value) {
                row(name, value);
            }

            private void row(String name, BigDecimal value) {
                out.collect(new KpiRow(
                        k.windowSize(),
                        k.windowStart(),
                        k.windowEnd(),
                        k.dimension(),
                        k.dimensionValue(),
                        name,
                        value,
                        k.revision()));
            }
        });
    }
}
