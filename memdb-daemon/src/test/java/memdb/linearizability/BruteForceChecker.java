package memdb.linearizability;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb reference for {@link LinearizabilityChecker}, straight from the definition
 * (Herlihy and Wing 1990): a history is linearizable iff some subset of its unknown operations, with
 * all its ok operations, has a total order that respects real-time precedence and that the sequential
 * register accepts. Enumerates every subset and every permutation: only for tiny histories.
 */
final class BruteForceChecker {
    static final int OPERATIONS_MAX = 8;

    private BruteForceChecker() {}

    static boolean linearizable(History history) {
        List<Operation> operations = history.operations();
        if (operations.size() > OPERATIONS_MAX) {
            throw new IllegalArgumentException("brute force is for at most " + OPERATIONS_MAX + " operations");
        }
        List<Operation> unknown = operations.stream().filter(Operation::unknown).toList();
        for (int subset = 0; subset < (1 << unknown.size()); subset++) {
            List<Operation> applied = new ArrayList<>();
            for (Operation operation : operations) {
                int bit = unknown.indexOf(operation);
                if (bit < 0 || (subset & (1 << bit)) != 0) {
                    applied.add(operation);
                }
            }
            if (somePermutationWorks(applied, new ArrayList<>(), new boolean[applied.size()])) {
                return true;
            }
        }
        return false;
    }

    private static boolean somePermutationWorks(List<Operation> operations, List<Operation> order, boolean[] used) {
        if (order.size() == operations.size()) {
            return isLegal(order);
        }
        for (int index = 0; index < operations.size(); index++) {
            if (!used[index]) {
                used[index] = true;
                order.add(operations.get(index));
                boolean works = somePermutationWorks(operations, order, used);
                order.remove(order.size() - 1);
                used[index] = false;
                if (works) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Respects real time (no operation placed after one it precedes) and replays on the register. */
    static boolean isLegal(List<Operation> order) {
        for (int later = 0; later < order.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (order.get(later).precedes(order.get(earlier))) {
                    return false;
                }
            }
        }
        return RegisterModel.accepts(order);
    }
}
