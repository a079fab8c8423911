package dev.revstream.forecast;

import java.math.BigDecimal;

/**
 * An open deal as the forecast sees it at an instant: what its chance of winning depends on.
 *
 * @param stage its open stage
 * @param stageProbability the configured win probability of that stage: the prior, and the fixed weight
 * @param stageEnteredAt when it entered that stage (epoch ms)
 * @param slips how often its expected close date moved later
 * @param segment its segment, or null
 * @param amount its amount (the reporting currency)
 * @param expectedCloseAt the start of its expected close date (epoch ms), or null when it has none
 * @param createdAt when it was created (epoch ms)
 */
public record ForecastDeal(
        String dealId,
        String stage,
        double stageProbability,
        long stageEnteredAt,
        int slips,
        String segment,
        BigDecimal amount,
        Long expectedCloseAt,
        long createdAt) {}
