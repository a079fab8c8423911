package dev.revstream.attribution;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a won new-business deal's amount over its credited touches by every model of docs/metrics.md,
 * in plain Java. Credits are whole cents; each model's credits add up to the amount (rounded to the
 * cent, half to even) exactly, the leftover cents going by largest remainder, ties to the earlier
 * touch.
 */
public final class Attribution {
    /**
     * The most touches an account keeps for attribution: past it (and a tenth more, so trimming is rare),
     * the oldest go, counted. The first touch and the lead-creation touch are kept apart and always credited.
     */
    public static final int MAX_TOUCHES = 1_000;

    private static final MathContext MC = MathContext.DECIMAL128;

    private Attribution() {}

    /**
     * @param credited the credited touches, in order (the lead-creation touch included)
     * @param lead the lead-creation touch, or null
     * @param createdAt the deal's creation (or adoption)
     * @param closedAt the close
     */
    public static List<Credit> credit(
            BigDecimal amount, List<Touch> credited, Touch lead, long createdAt, long closedAt, AttributionSettings s) {
        long total =
                amount.setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        List<Credit> out = new ArrayList<>();
        if (credited.isEmpty()) {
            for (AttributionModel m : AttributionModel.values()) {
                out.add(new Credit(m, null, Credit.NONE, total));
            }
            return out;
        }
        List<Touch> touches = new ArrayList<>(credited);
        touches.sort(Touch::compare);
        Touch first = touches.get(0);
        Touch last = touches.get(touches.size() - 1);
        Touch beforeCreation = null;
        for (Touch t : touches) {
            if (t.at < createdAt) {
                beforeCreation = t;
            }
        }
        Touch leadTouch = null;
        for (Touch t : touches) {
            if (t.same(lead)) {
                leadTouch = t;
            }
        }
        int n = touches.size();
        for (AttributionModel m : AttributionModel.values()) {
            double[] shares = new double[n];
            switch (m) {
                case FIRST_TOUCH -> shares[0] = 1;
                case LAST_TOUCH -> shares[n - 1] = 1;
                case LINEAR -> Arrays.fill(shares, 1.0 / n);
                case U_SHAPED ->
                    positions(
                            shares,
                            touches,
                            new Touch[] {first, leadTouch},
                            new double[] {s.uFirst(), s.uLead()},
                            1 - s.uFirst() - s.uLead());
                case W_SHAPED ->
                    positions(
                            shares,
                            touches,
                            new Touch[] {first, leadTouch, beforeCreation},
                            new double[] {s.wFirst(), s.wLead(), s.wCreation()},
                            1 - s.wFirst() - s.wLead() - s.wCreation());
                case FULL_PATH ->
                    positions(
                            shares,
                            touches,
                            new Touch[] {first, leadTouch, beforeCreation, last},
                            new double[] {s.fullPathEach(), s.fullPathEach(), s.fullPathEach(), s.fullPathEach()},
                            1 - 4 * s.fullPathEach());
                case TIME_DECAY -> {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        shares[i] = Math.pow(2, -(double) (closedAt - touches.get(i).at) / s.halfLifeMillis());
                        sum += shares[i];
                    }
                    for (int i = 0; i < n; i++) {
                        shares[i] /= sum;
                    }
                }
            }
            long[] cents = cents(total, shares);
            for (int i = 0; i < n; i++) {
                out.add(new Credit(m, touches.get(i), touches.get(i).channel, cents[i]));
            }
        }
        return out;
    }

    /**
     * Named positions take their shares (a position without a touch spreads its share over every
     * touch); the spread share goes equally to the touches that hold no named position, or, when
     * every touch holds one, equally to the distinct named touches.
     */
    private static void positions(double[] shares, List<Touch> touches, Touch[] named, double[] share, double spread) {
        int n = touches.size();
        Map<Integer, Boolean> holders = new LinkedHashMap<>();
        for (int p = 0; p < named.length; p++) {
            if (named[p] == null) {
                for (int i = 0; i < n; i++) {
                    shares[i] += share[p] / n;
                }
            } else {
                int i = touches.indexOf(named[p]);
                shares[i] += share[p];
                holders.put(i, true);
            }
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!holders.containsKey(i)) {
                rest.add(i);
            }
        }
        List<Integer> spreadOver = rest.isEmpty() ? new ArrayList<>(holders.keySet()) : rest;
        for (int i : spreadOver) {
            shares[i] += spread / spreadOver.size();
        }
    }

    /** Whole cents by largest remainder, ties to the earlier touch, summing to {@code total}. */
    static long[] cents(long total, double[] shares) {
        int n = shares.length;
        long[] out = new long[n];
        BigDecimal[] rem = new BigDecimal[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            BigDecimal exact = BigDecimal.valueOf(total).multiply(new BigDecimal(shares[i], MC), MC);
            BigDecimal floor = exact.setScale(0, RoundingMode.FLOOR);
            out[i] = floor.longValueExact();
            rem[i] = exact.subtract(floor);
            given += out[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer, BigDecimal>comparing(i -> rem[i])
                .reversed()
                .thenComparing(i -> i));
        for (int k = 0; given < total; k = (k + 1) % n) {
            out[order.get(k)]++;
            given++;
        }
        for (int k = n - 1; given > total; k = (k - 1 + n) % n) {
            // shares that add up to slightly more than one: take back from the smallest remainders
            if (out[order.get(k)] > 0) {
                out[order.get(k)]--;
                given--;
            }
        }
        return out;
    }
}
