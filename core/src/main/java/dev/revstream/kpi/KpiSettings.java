package dev.revstream.kpi;

import java.util.List;

/**
 * What {@link KpiEngine} computes with.
 *
 * @param windows the window sizes reported
 * @param stages the open deal stages in order
 * @param lookbackMillis L: metrics "in L" use max(L, window length)
 * @param retentionMillis R: retention uses max(R, window length)
 * @param grossMargin for CLV
 * @param asOf a bounded run's as-of time (only windows ending by it exist), or null
 * @param earliest a bounded run's earliest event time ({@code all}'s windows start there), or null
 * @param horizonMillis the correction horizon: the books a late fact needs are kept this much longer
 * @param quotas the owners' quotas
 */
public record KpiSettings(
        List<KpiWindow> windows,
        List<String> stages,
        long lookbackMillis,
        long retentionMillis,
        double grossMargin,
        Long asOf,
        Long earliest,
        long horizonMillis,
        Quotas quotas) {

    /** Without quotas. */
    public KpiSettings(
            List<KpiWindow> windows,
            List<String> stages,
            long lookbackMillis,
            long retentionMillis,
            double grossMargin,
            Long asOf,
            Long earliest,
            long horizonMillis) {
        this(
                windows,
                stages,
                lookbackMillis,
                retentionMillis,
                grossMargin,
                asOf,
                earliest,
                horizonMillis,
                Quotas.none());
    }

    /** Without corrections. */
    public KpiSettings(
            List<KpiWindow> windows,
            List<String> stages,
            long lookbackMillis,
            long retentionMillis,
            double grossMargin,
            Long asOf,
            Long earliest) {
        this(windows, stages, lookbackMillis, retentionMillis, grossMargin, asOf, earliest, 0);
    }

    public KpiSettings {
        windows = List.copyOf(windows);
        stages = List.copyOf(stages);
        quotas = quotas == null ? Quotas.none() : quotas;
    }
}
