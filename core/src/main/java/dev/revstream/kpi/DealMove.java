package dev.revstream.kpi;

import java.math.BigDecimal;

/**
 * What a {@link FactKind#DEAL_MOVED} fact says changed in a deal: how it was before (when it was
 * open) and how it closed, if it did; how it is after is the fact's own stage, amount, close date
 * and dimensions. {@link PipelineMovement} sorts it into the window's waterfall.
 *
 * @param wasOpen the deal was open before (false for a new deal)
 * @param stageBefore its stage before, or null
 * @param amountBefore its amount before, or null
 * @param closeBefore its expected close date before (YYYY-MM-DD), or null
 * @param isOpen the deal is open after (false when it closed)
 * @param outcome {@code won} or {@code lost} when it closed, {@code moved} when it left this dimension
 *     value for another (its owner, segment, region or type changed), else null
 * @param movedIn it came to this dimension value from another
 */
public record DealMove(
        boolean wasOpen,
        String stageBefore,
        BigDecimal amountBefore,
        String closeBefore,
        String segmentBefore,
        String regionBefore,
        String ownerBefore,
        String dealTypeBefore,
        boolean isOpen,
        String outcome,
        boolean movedIn) {

    /** The side of this move that left a dimension value for another. */
    public DealMove leaving() {
        return new DealMove(
                wasOpen,
                stageBefore,
                amountBefore,
                closeBefore,
                segmentBefore,
                regionBefore,
                ownerBefore,
                dealTypeBefore,
                false,
                isOpen ? "moved" : outcome,
                false);
    }

    /** The side of this move that arrived at a dimension value from another. */
    public DealMove arriving() {
        return new DealMove(false, null, null, null, null, null, null, null, isOpen, outcome, true);
    }
}
