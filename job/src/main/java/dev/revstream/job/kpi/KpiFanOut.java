package dev.revstream.job.kpi;

import dev.revstream.kpi.DealMove;
import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.KpiEngine;
import dev.revstream.kpi.KpiFact;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each fact to every dimension value it is counted under: deal facts under {@code all},
 * their segment, region, owner and deal type (missing values as {@code unknown}; a deal's move whose
 * value changed goes to the value it left as leaving and to the one it joined as arriving); funnel facts under
 * {@code all}; spend under {@code all} and its channel; attribution credits under their channel only;
 * ARR under {@code all} and the account's segment. Each copy carries only what the KPIs read
 * ({@link KpiFact#slim()}). Stateless.
 */
public class KpiFanOut implements FlatMapFunction<KpiFact, KpiFact> {
    private static final long serialVersionUID = 1L;
    public static final String UNKNOWN = KpiEngine.UNKNOWN;

    @Override
    public void flatMap(KpiFact f, Collector<KpiFact> out) {
        fanOut(f, new Collector<>() {
            @Override
            public void collect(KpiFact under) {
                out.collect(under.slim()); // what the KPIs read under the value, no more
            }

            @Override
            public void close() {
                out.close();
            }
        });
    }

    private static void fanOut(KpiFact f, Collector<KpiFact> out) {
        if (f.kind() == FactKind.ATTRIBUTED) {
            out.collect(f.under("channel", f.channel()));
            return;
        }
        out.collect(f.under("all", "all"));
        if (f.kind() == FactKind.SPEND) {
            out.collect(f.under("channel", f.channel()));
        }
        switch (f.kind()) {
            case DEAL_CREATED, DEAL_ADOPTED, DEAL_WON, DEAL_LOST, STAGE_EXIT, OPEN -> {
                out.collect(f.under("segment", orUnknown(f.segment())));
                out.collect(f.under("region", orUnknown(f.region())));
                out.collect(f.under("ownerId", orUnknown(f.ownerId())));
                out.collect(f.under("dealType", orUnknown(f.dealType())));
            }
            case DEAL_MOVED -> {
                DealMove m = f.move();
                moved(f, "segment", m.segmentBefore(), f.segment(), out);
                moved(f, "region", m.regionBefore(), f.region(), out);
                moved(f, "ownerId", m.ownerBefore(), f.ownerId(), out);
                moved(f, "dealType", m.dealTypeBefore(), f.dealType(), out);
            }
            case ARR_LEVEL, ARR_FLOW -> out.collect(f.under("segment", orUnknown(f.segment())));
            case ARR_ACCOUNT -> {
                out.collect(f.under("segment", orUnknown(f.segment())));
                if (f.stage() != null || f.segment() == null) {
                    // it left a segment: that segment's retention cohort sees where its ARR went
                    String left = orUnknown(f.stage());
                    if (!left.equals(orUnknown(f.segment()))) {
                        out.collect(f.under("segment", left));
                    }
                }
            }
            default -> {}
        }
    }

    /**
     * A deal's move under one dimension: under its value when that stayed, else its leaving side under the
     * value before and its arriving side under the value after.
     */
    private static void moved(KpiFact f, String dimension, String before, String after, Collector<KpiFact> out) {
        DealMove m = f.move();
        String to = orUnknown(after);
        if (!m.wasOpen()) {
            out.collect(f.under(dimension, to));
            return;
        }
        String from = orUnknown(before);
        if (from.equals(to)) {
            out.collect(f.under(dimension, to));
            return;
        }
        out.collect(f.under(dimension, from, m.leaving()));
        out.collect(f.under(dimension, to, m.arriving()));
    }

    private static String orUnknown(String v) {
        return v == null ? UNKNOWN : v;
    }
}
