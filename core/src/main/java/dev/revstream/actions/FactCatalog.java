package dev.revstream.actions;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts a rule condition can name: their names, types, units and meaning. The one list the
 * compiler declares, {@link Facts} fills and docs/rules.md documents. Times are in days (fractional);
 * a fact that has no value is -1 (times since something), 0 with a {@code has...} fact beside it
 * (times until something) or "" (text), as CEL has no null for these types.
 */
public final class FactCatalog {

    /** The CEL types facts have. */
    public enum Kind {
        INT(SimpleType.INT),
        DOUBLE(SimpleType.DOUBLE),
        STRING(SimpleType.STRING),
        BOOL(SimpleType.BOOL),
        STRING_LIST(ListType.create(SimpleType.STRING)),
        COUNTS_BY_TYPE(MapType.create(SimpleType.STRING, SimpleType.INT));

        final CelType cel;

        Kind(CelType cel) {
            this.cel = cel;
        }
    }

    /**
     * @param dealOnly only rules of scope {@code deal} can name it
     * @param drift how the fact moves while time passes without an event: the "days since" facts
     *     rise, the "days to" facts fall, everything else holds still (the counting-window and
     *     health facts step, but only when a touchpoint or signal crosses a window edge, a known
     *     instant)
     */
    public record Fact(String name, Kind kind, String unit, String description, boolean dealOnly, Drift drift) {
        Fact rising() {
            return new Fact(name, kind, unit, description, dealOnly, Drift.RISING);
        }

        Fact falling() {
            return new Fact(name, kind, unit, description, dealOnly, Drift.FALLING);
        }
    }

    private FactCatalog() {}

    private static final List<Fact> FIXED = List.of(
            account("accountId", Kind.STRING, "", "the account"),
            account("lifecycle", Kind.STRING, "", "lead, mql, sql, opportunity, customer or churned; \"\" before any"),
            account("daysInLifecycle", Kind.DOUBLE, "days", "time since the account entered its lifecycle stage")
                    .rising(),
            account("accountOwnerId", Kind.STRING, "", "the account's latest owner; \"\" when unknown"),
            account("segment", Kind.STRING, "", "the account's latest segment; \"\" when unknown"),
            account("region", Kind.STRING, "", "the account's latest region; \"\" when unknown"),
            account("daysSinceMql", Kind.DOUBLE, "days", "time since the account's first MQL; -1 when it has none")
                    .rising(),
            account(
                    "salesTouchesSinceMql",
                    Kind.INT,
                    "count",
                    "sales touches (email, call, meeting, demo) at or after the first MQL"),
            account("leadSlaDays", Kind.DOUBLE, "days", "the hand-off SLA for the account's segment (alerts.lead-sla)"),
            account(
                            "daysSinceLastActivity",
                            Kind.DOUBLE,
                            "days",
                            "time since the account's last touchpoint or deal event; -1 when none")
                    .rising(),
            account("daysSinceLastSalesTouch", Kind.DOUBLE, "days", "time since the last sales touch; -1 when none")
                    .rising(),
            account(
                    "healthScore",
                    Kind.INT,
                    "points",
                    "the customer health score of docs/alerts.md (100 for an account that is not a customer)"),
            account("healthSignals", Kind.STRING_LIST, "", "the deductions behind the health score, as sentences"),
            account("arr", Kind.DOUBLE, "reporting currency", "the account's ARR"),
            account(
                            "daysToRenewal",
                            Kind.DOUBLE,
                            "days",
                            "time to the expectedCloseDate of the account's earliest open renewal deal (negative when overdue); 0 when hasRenewal is false")
                    .falling(),
            account("hasRenewal", Kind.BOOL, "", "the account has an open renewal deal with an expectedCloseDate"),
            account(
                    "engagementTrend",
                    Kind.DOUBLE,
                    "ratio",
                    "touches in the last trend window over those in the window before (an empty earlier window counts as 1)"),
            account("openDeals", Kind.INT, "count", "the account's open deals"),
            deal("dealId", Kind.STRING, "", "the deal"),
            deal("stage", Kind.STRING, "", "the deal's open stage"),
            deal("daysInStage", Kind.DOUBLE, "days", "time since the deal entered its stage")
                    .rising(),
            deal(
                            "cumulativeDaysInStage",
                            Kind.DOUBLE,
                            "days",
                            "all time in the current stage over every visit, this one included")
                    .rising(),
            deal("dealAgeDays", Kind.DOUBLE, "days", "time since the deal was created (or adopted)")
                    .rising(),
            deal("amount", Kind.DOUBLE, "reporting currency", "the deal's amount (0 when never given)"),
            deal("slips", Kind.INT, "count", "how often its expectedCloseDate moved later"),
            deal("ownerId", Kind.STRING, "", "the deal's owner, else the account's; \"\" when unknown"),
            deal("dealType", Kind.STRING, "", "new_business, expansion, renewal or contraction"),
            deal("daysSinceActivity", Kind.DOUBLE, "days", "time since the deal's last activity (as for STALLED_DEAL)")
                    .rising(),
            deal("stageSlaDays", Kind.DOUBLE, "days", "the stall SLA of the deal's stage and segment"),
            deal(
                            "daysToClose",
                            Kind.DOUBLE,
                            "days",
                            "time to the deal's expectedCloseDate (negative when overdue); 0 when hasCloseDate is false")
                    .falling(),
            deal("hasCloseDate", Kind.BOOL, "", "the deal has an expectedCloseDate"),
            deal("adopted", Kind.BOOL, "", "the deal was first seen without a CREATED event"));

    private static Fact account(String name, Kind kind, String unit, String description) {
        return new Fact(name, kind, unit, description, false, Drift.STEADY);
    }

    private static Fact deal(String name, Kind kind, String unit, String description) {
        return new Fact(name, kind, unit, description, true, Drift.STEADY);
    }

    /** Every fact, the counting-window ones for {@code set}'s windows included. */
    public static List<Fact> facts(RuleSet set) {
        List<Fact> all = new ArrayList<>(FIXED);
        for (int n : set.windowsDays()) {
            all.add(account(
                    "touches" + n + "d",
                    Kind.COUNTS_BY_TYPE,
                    "count by type",
                    "touchpoints of the account in the last " + n
                            + " days, by canonical type (every type present, 0 when none)"));
            all.add(account(
                    "touchesPrev" + n + "d",
                    Kind.COUNTS_BY_TYPE,
                    "count by type",
                    "the same for the " + n + " days before those"));
            all.add(account(
                    "touchCount" + n + "d",
                    Kind.INT,
                    "count",
                    "all touchpoints of the account in the last " + n + " days"));
            all.add(account(
                    "touchCountPrev" + n + "d", Kind.INT, "count", "the same for the " + n + " days before those"));
            all.add(account(
                    "salesTouches" + n + "d",
                    Kind.INT,
                    "count",
                    "sales touches (email, call, meeting, demo) in the last " + n + " days"));
            all.add(account(
                    "salesTouchesPrev" + n + "d", Kind.INT, "count", "the same for the " + n + " days before those"));
            all.add(account(
                    "usage" + n + "d", Kind.DOUBLE, "usage units", "PRODUCT_USAGE amount in the last " + n + " days"));
            all.add(account(
                    "usagePrev" + n + "d", Kind.DOUBLE, "usage units", "the same for the " + n + " days before those"));
        }
        return all;
    }

    /** The fixed facts (for documentation; the window facts follow the pattern of {@link #facts}). */
    public static List<Fact> fixed() {
        return FIXED;
    }
}
