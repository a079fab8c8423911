package dev.revstream.journey;

import dev.revstream.attribution.Touch;
import java.math.BigDecimal;

/**
 * What revstream knows of one account besides its deals and signals: lifecycle, ARR, the first
 * funnel milestones, the pending hand-off deadline, and when it next needs to wake up. A Flink
 * POJO (public fields, no-argument constructor), stored as one value per account.
 */
public class AccountState {
    /** {@code lead}, {@code mql}, {@code sql}, {@code opportunity}, {@code customer}, {@code churned}; null before any. */
    public String lifecycle;

    public long lifecycleSince;
    public Long firstLeadAt;
    public Long firstMqlAt;
    public Long firstSqlAt;
    public Long firstDealAt;
    /** Unused since 0.2 (newLeads counts the first LEAD_CREATED or FORM_SUBMIT, as the lifecycle); kept for old state. */
    public Long firstLeadCreatedAt;
    /** The first won new_business deal (the funnel's newCustomers). */
    public Long firstNewBusinessWonAt;
    /** The hand-off deadline of the first MQL while no sales touch has answered it. */
    public Long leadDeadline;

    public String mqlOwnerId;
    public Long lastSalesTouchAt;
    /** Sales touches at or after the first MQL (a rule fact). */
    public int salesTouchesSinceMql;

    public BigDecimal arr = BigDecimal.ZERO;
    /** When the current customer spell began (ARR went above 0), or null. */
    public Long customerSince;
    /** The segment of the latest deal that named one (for per-segment SLAs). */
    public String segment;
    /** The segment of the latest won deal (ARR is reported by it). */
    public String arrSegment;

    public String region;
    public String ownerId;
    public String lastActivity;
    public Long lastActivityAt;
    /** CHURN_RISK fires when armed and the score drops below the threshold; it re-arms at the re-arm score. */
    public boolean churnArmed = true;

    public Long nextDayBoundary;
    public Long nextStallCheck;
    public Long nextTombstoneExpiry;
    public Long oldestSignalAt;
    /** The newest health signal: when it leaves every window all have (older ones go at any firing before). */
    public Long newestSignalAt;
    /** The last attributable touch applied, and the lead-creation touch candidates (attribution). */
    public Touch lastTouch;

    public boolean leadMarkerSeen;
    public Touch leadTouch;
    public Touch firstFormTouch;
    public Long oldestTouchAt;
    /** The touches kept (null in state from before they were counted: counted at the next touch). */
    public Integer touchCount;
    /** Touches dropped, oldest first, to keep at most {@code Attribution.MAX_TOUCHES}. */
    public long touchesDropped;
    /** How many (rule, entity) marks the account keeps: open recommendations and failing rules. */
    public int ruleMarks;
    /** The last instant the rules were evaluated at, while anything is in a rule's scope; else null. */
    public Long lastRuleTick;
    /** The oldest touch tally kept for the rules' counting windows. */
    public Long oldestTallyAt;
    /** The newest touch tally: when it expires every tally has (older ones go at any firing before). */
    public Long newestTallyAt;
    /** The wake-up timer already registered, so it is not registered again. */
    public Long wakeUp;
    /** Corrections: the last instant the account fired at (its events up to here are applied), or null. */
    public Long appliedThrough;
    /** Corrections: the time of the account's snapshot ({@link Long#MIN_VALUE}: none, the empty account), or null. */
    public Long snapshotAt;
    /** Corrections: the oldest applied event still in the account's log (after the snapshot), or null. */
    public Long loggedFrom;
    /** Corrections: late events wait for the next firing, which corrects with them. */
    public boolean lateWaiting;
    /**
     * Corrections: the instant of the account's next snapshot, a copy of its live value kept at a firing
     * (it becomes the snapshot a horizon later, instead of a replay of the log), or null for none. Not a
     * POJO field: the account's codec writes it after the account (old state reads as none).
     */
    public transient Long candidateAt;

    public AccountState() {}

    /**
     * Takes from {@code live} what a correction does not rewind: the timer registered, the correction
     * log's bookkeeping, and the rules' where the rules were not replayed with the journey.
     */
    public void keepBookkeepingOf(AccountState live, boolean rulesReplayed) {
        wakeUp = live.wakeUp;
        if (!rulesReplayed) {
            ruleMarks = live.ruleMarks;
            lastRuleTick = live.lastRuleTick;
            oldestTallyAt = live.oldestTallyAt;
            newestTallyAt = live.newestTallyAt;
        }
        appliedThrough = live.appliedThrough;
        snapshotAt = live.snapshotAt;
        loggedFrom = live.loggedFrom;
        lateWaiting = live.lateWaiting;
        candidateAt = live.candidateAt;
    }

    public boolean isCustomer() {
        return arr.signum() > 0;
    }
}
