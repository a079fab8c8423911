package dev.revstream.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One account's rule state in memory: its touch tallies by instant and its marks (open
 * recommendations and failing rules) by key. What a correction's replay runs the rules on, and what
 * the account's snapshot keeps beside its journey.
 */
public final class MemoryRules {
    private final TreeMap<Long, TouchTally> tallyMap = new TreeMap<>();
    private final TreeMap<String, RuleMark> markMap = new TreeMap<>();

    private final AccountRules.Tallies tallies = new AccountRules.Tallies() {
        @Override
        public TouchTally get(long at) {
            return tallyMap.get(at);
        }

        @Override
        public void put(long at, TouchTally tally) {
            tallyMap.put(at, tally);
        }

        @Override
        public void remove(long at) {
            tallyMap.remove(at);
        }

        @Override
        public Iterable<Map.Entry<Long, TouchTally>> all() {
            return new ArrayList<>(tallyMap.entrySet());
        }
    };

    private final Recommender.Marks marks = new Recommender.Marks() {
        @Override
        public RuleMark get(String key) {
            return markMap.get(key);
        }

        @Override
        public void put(String key, RuleMark mark) {
            markMap.put(key, mark);
        }

        @Override
        public void remove(String key) {
            markMap.remove(key);
        }

        @Override
        public List<RuleMark> all() {
            return new ArrayList<>(markMap.values());
        }
    };

    public AccountRules.Tallies tallies() {
        return tallies;
    }

    public Recommender.Marks marks() {
        return marks;
    }

    /** The tallies by instant, live (the snapshot codec writes them in order). */
    public Map<Long, TouchTally> tallyMap() {
        return tallyMap;
    }

    /** The marks by key, live. */
    public Map<String, RuleMark> markMap() {
        return markMap;
    }
}
