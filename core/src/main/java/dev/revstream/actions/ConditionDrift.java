package dev.revstream.actions;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.List;
import java.util.Map;

/**
 * Works out, once at compile time, how a condition's value can move as time passes with the
 * journey state fixed ({@link Drift}), from how its facts move: sums and differences keep the
 * direction of their parts, a product or quotient by a literal keeps or flips it, a comparison
 * {@code rising >= steady} can only turn true, {@code &&} and {@code ||} of conditions that move
 * the same way move that way. Anything it cannot reason about (equality with a moving value,
 * functions, macros over moving facts) is {@link Drift#ANY}.
 *
 * <p>Why: the rules are evaluated at every tick (hourly by default) while an entity is in scope.
 * A condition that can turn only once between two events needs two evaluations to know whether
 * it turned in between (and a bisection for when), not one per tick: a replayed year costs a few
 * evaluations per entity and event instead of thousands. The answer only decides how often the
 * condition is evaluated, never what it says.
 */
final class ConditionDrift {
    private final Map<String, Drift> facts;

    private ConditionDrift(Map<String, Drift> facts) {
        this.facts = facts;
    }

    /** @param facts each fact's drift; a name not in it (a comprehension's variable) holds still */
    static Drift of(CelExpr condition, Map<String, Drift> facts) {
        return new ConditionDrift(facts).drift(condition);
    }

    private Drift drift(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT -> Drift.STEADY;
            case IDENT -> facts.getOrDefault(e.ident().name(), Drift.STEADY);
            case CALL -> call(e.call().function(), e.call().args(), e);
            default -> moves(e) ? Drift.ANY : Drift.STEADY;
        };
    }

    private Drift call(String function, List<CelExpr> args, CelExpr whole) {
        if (!moves(whole)) {
            return Drift.STEADY;
        }
        switch (function) {
            case "_&&_", "_||_", "_+_" -> {
                Drift d = Drift.STEADY;
                for (CelExpr arg : args) {
                    d = d.with(drift(arg));
                }
                return d;
            }
            case "_-_" -> {
                return drift(args.get(0)).with(drift(args.get(1)).negated());
            }
            case "-_", "!_" -> {
                return drift(args.get(0)).negated();
            }
            case "_*_" -> {
                Double left = literal(args.get(0));
                Double right = literal(args.get(1));
                if (left != null) {
                    return scaled(drift(args.get(1)), left);
                }
                return right == null ? Drift.ANY : scaled(drift(args.get(0)), right);
            }
            case "_/_" -> {
                Double divisor = literal(args.get(1));
                return divisor == null || divisor == 0 ? Drift.ANY : scaled(drift(args.get(0)), divisor);
            }
            case "_>_", "_>=_" -> {
                return difference(args);
            }
            case "_<_", "_<=_" -> {
                return difference(args).negated();
            }
            case "_?_:_" -> {
                return drift(args.get(0)) == Drift.STEADY ? drift(args.get(1)).with(drift(args.get(2))) : Drift.ANY;
            }
            default -> {
                return Drift.ANY; // equality with a moving value, functions, indexing: no direction to rely on
            }
        }
    }

    /** How {@code left - right} moves: a comparison of the two turns the way it does. */
    private Drift difference(List<CelExpr> args) {
        return drift(args.get(0)).with(drift(args.get(1)).negated());
    }

    private static Drift scaled(Drift d, double factor) {
        return factor > 0 ? d : factor < 0 ? d.negated() : Drift.STEADY;
    }

    /** A numeric literal (possibly negated), or null. */
    private static Double literal(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL
                && e.call().function().equals("-_")
                && e.call().args().size() == 1) {
            Double inner = literal(e.call().args().get(0));
            return inner == null ? null : -inner;
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            return null;
        }
        CelConstant c = e.constant();
        return switch (c.getKind()) {
            case INT64_VALUE -> (double) c.int64Value();
            case DOUBLE_VALUE -> c.doubleValue();
            case UINT64_VALUE -> c.uint64Value().doubleValue();
            default -> null;
        };
    }

    /** Whether any fact under {@code e} moves with time. */
    private boolean moves(CelExpr e) {
        return switch (e.getKind()) {
            case IDENT -> facts.getOrDefault(e.ident().name(), Drift.STEADY) != Drift.STEADY;
            case CONSTANT, NOT_SET -> false;
            case SELECT -> moves(e.select().operand());
            case CALL ->
                e.call().target().map(this::moves).orElse(false)
                        || e.call().args().stream().anyMatch(this::moves);
            case LIST -> e.list().elements().stream().anyMatch(this::moves);
            case MAP -> e.map().entries().stream().anyMatch(x -> moves(x.key()) || moves(x.value()));
            case STRUCT -> e.struct().entries().stream().anyMatch(x -> moves(x.value()));
            case COMPREHENSION ->
                moves(e.comprehension().iterRange())
                        || moves(e.comprehension().accuInit())
                        || moves(e.comprehension().loopCondition())
                        || moves(e.comprehension().loopStep())
                        || moves(e.comprehension().result());
        };
    }
}
