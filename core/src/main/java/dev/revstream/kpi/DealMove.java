package dev.revstream.kpi;

import java.math.BigDecimal;

/**
 * What a {@link FactKind#DEAL_MOVED} fact says changed in a deal: how it was before (when it was
 * open) and how it closed, if it did; how it is after is the fact's own stage, amount, weighted
 * amount, close date, category and dimensions. One fact says it all: the open pipeline takes the deal
 * out as it was and puts it in as it is, {@link PipelineMovement} sorts it into the window's waterfall,
 * and the learned forecast follows the deal.
 *
 * @param wasOpen the deal was open before (false for a new deal)
 * @param stageBefore its stage before, or null
 * @param amountBefore its amount before, or null
 * @param weightedBefore its amount x its stage's win probability before, or null
 * @param categoryBefore its forecast category before, or null
 * @param closeBefore its expected close date before (YYYY-MM-DD), or null
 * @param isOpen the deal is open after (false when it closed)
 * @param outcome {@code won} or {@code lost} when it closed, {@code moved} when it left this dimension
 *     value for another (its owner, segment, region or type changed), else null
 * @param movedIn it came to this dimension value from another
 * @param winProbability after: its stage's configured win probability (the forecast's prior)
 * @param stageEnteredAt after: when it entered its stage
 * @param slips after: how often its expected close date moved later
 * @param createdAt when it was created
 */
public record DealMove(
        boolean wasOpen,
        String stageBefore,
        BigDecimal amountBefore,
        BigDecimal weightedBefore,
        String categoryBefore,
        String closeBefore,
        String segmentBefore,
        String regionBefore,
        String ownerBefore,
        String dealTypeBefore,
        boolean isOpen,
        String outcome,
        boolean movedIn,
        double winProbability,
        long stageEnteredAt,
        int slips,
        long createdAt) {

    /** The side of this move that left a dimension value for another. */
    public DealMove leaving() {
        return new DealMove(
                wasOpen,
                stageBefore,
                amountBefore,
                weightedBefore,
                categoryBefore,
                closeBefore,
                segmentBefore,
                regionBefore,
                ownerBefore,
                dealTypeBefore,
                false,
                isOpen ? "moved" : outcome,
                false,
                winProbability,
                stageEnteredAt,
                slips,
                createdAt);
    }

    /** The side of this move that arrived at a dimension value from another. */
    public DealMove arriving() {
        return new DealMove(
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                isOpen,
                outcome,
                true,
                winProbability,
                stageEnteredAt,
                slips,
                createdAt);
    }

    /** Without the dimension values before (read by the fan-out only), or this move if it has none. */
    public DealMove slim() {
        if (segmentBefore == null && regionBefore == null && ownerBefore == null && dealTypeBefore == null) {
            return this;
        }
        return new DealMove(
                wasOpen,
                stageBefore,
                amountBefore,
                weightedBefore,
                categoryBefore,
                closeBefore,
                null,
                null,
                null,
                null,
                isOpen,
                outcome,
                movedIn,
                winProbability,
                stageEnteredAt,
                slips,
                createdAt);
    }
}
