package dev.revstream.kpi;

import dev.revstream.forecast.Book;
import dev.revstream.forecast.LearnerStore;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Where one dimension value's KPI books live: Flink keyed state in the job, plain maps in tests.
 * The rules in {@link KpiEngine} see only this. A value read from a table may be a copy (RocksDB):
 * whoever changes one puts it back.
 */
public interface KpiStore {
    /** The running totals as they stand, or null before the first fact was applied. */
    KpiCounters totals() throws Exception;

    void putTotals(KpiCounters totals) throws Exception;

    /** The next window end per window size (in the settings' order), or null before the first fact. */
    long[] nextEnds() throws Exception;

    void putNextEnds(long[] ends) throws Exception;

    /** The earliest fact's time, or null before the first fact. */
    Long firstFactAt() throws Exception;

    void putFirstFactAt(long at) throws Exception;

    /** The last instant the engine fired at: a fact at or before it is late and corrects, or null. */
    Long firedThrough() throws Exception;

    void putFiredThrough(long at) throws Exception;

    /** How many corrections this value has had: the revision of the windows they report again. */
    long revision() throws Exception;

    void putRevision(long revision) throws Exception;

    /** Late facts (and retractions) waiting to correct the books at the next firing, in arrival order. */
    List<KpiFact> late() throws Exception;

    /** Adds a late fact (an append: no read). */
    void addLate(KpiFact f) throws Exception;

    void clearLate() throws Exception;

    /**
     * Facts waiting for the watermark, in arrival order: a firing at t applies those before t, in time
     * order, and keeps the rest.
     */
    List<KpiFact> waiting() throws Exception;

    /** Adds a waiting fact (an append: no read). */
    void addWaiting(KpiFact f) throws Exception;

    /** Replaces the waiting facts; an empty list clears them. */
    void putWaiting(List<KpiFact> facts) throws Exception;

    /**
     * The facts a release before this one kept waiting by instant (each with a wake-up there), taken
     * out: a restored savepoint's buffer, applied like waiting facts. Empty when there are none.
     */
    List<KpiFact> takeWaitingBefore() throws Exception;

    /** The totals before each instant a window starts or a lookback begins. */
    Table<Long, KpiCounters> marks();

    /** Instants whose totals a future lookback needs. */
    Table<Long, Boolean> wantedMarks();

    /**
     * Accounts whose first SQL followed their first MQL, counted by the MQL's time, as kept by releases
     * before corrections (without the SQL's time): read, no longer written.
     */
    Table<Long, Long> sqlAfterMql();

    /** The times of first SQLs that followed the account's first MQL, by the MQL's time. */
    Table<Long, long[]> sqlTimesAfterMql();

    /** Churns by time, with when each churned customer's spell began. */
    Table<Long, long[]> churns();

    /**
     * The open deals as releases before the weighted levels kept them for the forecast: read once, to
     * weigh {@link #pipelineLevels()}, then emptied.
     */
    Table<String, OpenDeal> openDeals();

    /** F of each window that has started, by "size|start". */
    Table<String, BigDecimal> forecasts();

    /**
     * The open pipeline by the window its deals' close dates fall in ({@code size|windowStart}), with the
     * deals' weighted amounts: a window's fixed-weight forecast F at its start.
     */
    Table<String, PipelineLevel> pipelineLevels();

    /** The learned forecast's books for windows of one size ({@code 1M} or {@code 1Q}). */
    LearnerStore learner(String size);

    /** Each account's ARR over time, for retention. */
    Table<String, List<ArrPoint>> arrHistory();

    /** A keyed table (a Flink MapState in the job). */
    interface Table<K, V> extends Book<K, V> {
        boolean contains(K key) throws Exception;

        Iterable<K> keys() throws Exception;

        Iterable<Map.Entry<K, V>> entries() throws Exception;
    }
}
