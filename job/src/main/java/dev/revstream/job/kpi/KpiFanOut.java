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
        fanOut(f, f.slim(), out); // one slim copy, put under each value: what the KPIs read there, no more
    }

    /** Reads the dimension values from {@code f} and sends {@code slim} under each. */
    private static void fanOut(KpiFact f, KpiFact slim, Collector<KpiFact> out) {
        if (f.kind() == FactKind.ATTRIBUTED) {
            out.collect(slim.under("channel", f.channel()));
            return;
        }
        out.collect(slim.under("all", "all"));
        if (f.kind() == FactKind.SPEND) {
            out.collect(slim.under("channel", f.channel()));
        }
        switch (f.kind()) {
            case DEAL_CREATED, DEAL_ADOPTED, DEAL_WON, DEAL_LOST, STAGE_EXIT, OPEN -> {
                out.collect(slim.under("segment", orUnknown(f.segment())));
                out.collect(slim.under("region", orUnknown(f.region())));
                out.collect(slim.under("ownerId", orUnknown(f.ownerId())));
                out.collect(slim.under("dealType", orUnknown(f.dealType())));
            }
            case DEAL_MOVED -> {
                DealMove m = f.move();
                moved(slim, "segment", m.segmentBefore(), f.segment(), out);
                moved(slim, "region", m.regionBefore(), f.region(), out);
                moved(slim, "ownerId", m.ownerBefore(), f.ownerId(), out);
                moved(slim, "dealType", m.dealTypeBefore(), f.dealType(), out);
            }
            case ARR_LEVEL, ARR_FLOW -> out.collect(slim.under("segment", orUnknown(f.segment())));
            case ARR_ACCOUNT -> {
                out.collect(slim.under("segment", orUnknown(f.segment())));
                if (f.stage() != null || f.segment() == null) {
                    // it left a segment: that segment's retention cohort sees where its ARR went
                    String left = orUnknown(f.stage());
                    if (!left.equals(orUnknown(f.segment()))) {
                        out.collect(slim.under("segment", left));
                    }
                }
            }
            default -> {}
        }
    }

    /**
     * A deal's move under one dimension ({@code before} and {@code after} read from the fact as made): under
     * its value when that stayed, else its leaving side under the value before and its arriving side under the
     * value after.
     */
    private static void moved(KpiFact slim, String dimension, String before, String after, Collector<KpiFact> out) {
        DealMove m = slim.move();
        String to = orUnknown(after);
        if (!m.wasOpen()) {
            out.collect(slim.under(dimension, to));
            return;
        }
        String from = orUnknown(before);
        if (from.equals(to)) {
            out.collect(slim.under(dimension, to));
            return;
        }
        out.collect(slim.under(dimension, from, m.leaving()));
        out.collect(slim.under(dimension, to, m.arriving()));
    }

    private static String orUnknown(String v) {
        return v == null ? UNKNOWN : v;
    }
}
