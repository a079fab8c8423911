package dev.revstream.journey;

import dev.revstream.attribution.AttributionSettings;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * What the journey rules need from the configuration.
 *
 * @param stages the open stages in order, with SLA and win probability
 * @param stallSlaBySegment per segment, per stage name: a stall SLA that replaces the stage's default
 * @param leadSlaMillis the hand-off SLA after a first MQL (calendar time, or working time with a calendar)
 * @param leadSlaBySegment per segment: a hand-off SLA that replaces the default
 * @param businessCalendar when set, the hand-off SLA counts working time only
 * @param slippageAlertFrom the slip (2nd by default) from which DEAL_SLIPPAGE fires
 * @param slippageWarningFrom the slip (3rd by default) from which it is a warning
 * @param criticalStage stalls from this stage on are critical
 * @param criticalAmount stalls of deals of at least this amount are critical
 * @param tombstoneMillis how long a closed deal is remembered (400 days)
 * @param zone where day boundaries are (00:00)
 * @param attribution the attribution window, half-life and position shares
 * @param asOf a bounded run's as-of time: nothing later than it is emitted; null when live
 */
public record JourneySettings(
        List<StageConfig> stages,
        Map<String, Map<String, Long>> stallSlaBySegment,
        long leadSlaMillis,
        Map<String, Long> leadSlaBySegment,
        BusinessCalendar businessCalendar,
        int slippageAlertFrom,
        int slippageWarningFrom,
        String criticalStage,
        double criticalAmount,
        long tombstoneMillis,
        ZoneId zone,
        HealthSettings health,
        AttributionSettings attribution,
        Long asOf)
        implements Serializable {

    /** The index of an open stage, or -1. */
    public int stageIndex(String stage) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(stage)) {
                return i;
            }
        }
        return -1;
    }

    /** The stall SLA of a stage for a deal of a segment. */
    public long stallSla(int stageIndex, String segment) {
        StageConfig s = stages.get(stageIndex);
        if (segment != null) {
            Map<String, Long> bySegment = stallSlaBySegment.get(segment);
            if (bySegment != null && bySegment.containsKey(s.name())) {
                return bySegment.get(s.name());
            }
        }
        return s.stallSlaMillis();
    }

    /** The hand-off deadline of an MQL at {@code mqlAt} for an account of a segment. */
    public long leadDeadline(long mqlAt, String segment) {
        long sla = segment != null && leadSlaBySegment.containsKey(segment)
                ? leadSlaBySegment.get(segment)
                : leadSlaMillis;
        return businessCalendar == null ? mqlAt + sla : businessCalendar.add(mqlAt, sla);
    }

    public JourneySettings withAsOf(Long asOf) {
        return new JourneySettings(
                stages,
                stallSlaBySegment,
                leadSlaMillis,
                leadSlaBySegment,
                businessCalendar,
                slippageAlertFrom,
                slippageWarningFrom,
                criticalStage,
                criticalAmount,
                tombstoneMillis,
                zone,
                health,
                attribution,
                asOf);
    }
}
