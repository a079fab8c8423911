package dev.revstream.actions;

import dev.revstream.model.TouchpointType;
import java.util.Arrays;

/**
 * The touchpoints of one account at one instant, counted by type, and the product usage among
 * them: what the counting-window facts add up. A Flink POJO, one map entry per instant.
 */
public class TouchTally {
    /** By {@link TouchpointType} ordinal. */
    public int[] counts = new int[TouchpointType.values().length];

    public double usage;

    public TouchTally() {}

    public void add(TouchpointType type, double usageAmount) {
        if (counts.length < TouchpointType.values().length) {
            counts = Arrays.copyOf(
                    counts, TouchpointType.values().length); // a type appended since the state was written
        }
        counts[type.ordinal()]++;
        if (type == TouchpointType.PRODUCT_USAGE) {
            usage += usageAmount;
        }
    }
}
