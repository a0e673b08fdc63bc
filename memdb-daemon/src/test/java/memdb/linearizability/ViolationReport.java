package memdb.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a {@link CheckResult.Violation} into a small, readable counterexample, the way Knossos and
 * Porcupine visualize the point where linearization fails — but shrunk, like a property-test
 * counterexample.
 *
 * <p>Shrinking, in two steps. (1) Cut: operations invoked after the blocked operation completed can
 * never be linearized before it, and the search never reached them, so the sub-history of operations
 * invoked earlier is still not linearizable. (2) Greedy one-at-a-time deletion (as in delta debugging):
 * drop an operation if what remains is still a violation stuck at the same operation, in passes until
 * none can be dropped. Keeping the stuck point matters: deleting the write that a later cas expected
 * would also leave a violation, but an artificial one, not the store's bug. The result is 1-minimal
 * for that point: removing any one more operation makes it linearizable or moves the stuck point
 * (unless the number of checks ran out). Each check is bounded by the
 * checker's {@link Budget}, and the number of checks by {@code checksMax}.
 */
public final class ViolationReport {
    private final LinearizabilityChecker checker;
    private final int checksMax;

    public ViolationReport(LinearizabilityChecker checker, int checksMax) {
        this.checker = checker;
        this.checksMax = checksMax;
    }

    /** Operations of a 1-minimal non-linearizable sub-history of the violation's history (original ids). */
    public List<Operation> minimize(CheckResult.Violation violation) {
        History history = violation.history();
        List<Operation> kept = new ArrayList<>();
        for (Operation operation : history.operations()) {
            if (operation.invokeIndex() < violation.blocked().returnIndex()) {
                kept.add(operation);
            }
        }
        int checks = 0;
        if (!stillBlocksAt(violation.blocked(), kept, checker.check(history.restrictTo(kept)))) {
            kept = new ArrayList<>(history.operations()); // cannot happen by the argument above; stay safe
        }
        checks++;
        boolean shrunk = true;
        while (shrunk && checks < checksMax) { // repeat passes: a removal can make another one possible
            shrunk = false;
            for (int index = kept.size() - 1; index >= 0 && checks < checksMax; index--) {
                List<Operation> candidate = new ArrayList<>(kept);
                candidate.remove(index);
                checks++;
                if (stillBlocksAt(violation.blocked(), candidate, checker.check(history.restrictTo(candidate)))) {
                    kept = candidate;
                    shrunk = true;
                }
            }
        }
        return kept;
    }

    /**
     * Whether checking the sub-history made of {@code kept} (in invocation order, as the history lists
     * them) found a violation stuck at the same operation as the original one.
     */
    static boolean stillBlocksAt(Operation blocked, List<Operation> kept, CheckResult result) {
        return result instanceof CheckResult.Violation violation && kept.get(violation.blocked().id()).id() == blocked.id();
    }

    /** The full explanation: minimal sub-history, where it gets stuck, and the states possible there. */
    public String explain(CheckResult.Violation violation) {
        List<Operation> minimal = minimize(violation);
        History minimalHistory = violation.history().restrictTo(minimal);
        CheckResult recheck = checker.check(minimalHistory);
        StringBuilder out = new StringBuilder();
        out.append("NOT LINEARIZABLE. A minimal non-linearizable sub-history (")
                .append(minimal.size()).append(" of ").append(violation.history().operations().size())
                .append(" operations; ids and times as in the full history):\n");
        out.append(HistoryTable.render(minimal));
        if (recheck instanceof CheckResult.Violation small) {
            List<Operation> byInvocation = minimal.stream().sorted(Comparator.comparingInt(Operation::invokeIndex)).toList();
            Operation blocked = byInvocation.get(small.blocked().id());
            out.append(stuck(blocked, small));
        }
        out.append("In the full history, no linearization gets past the completion of ")
                .append(violation.blocked()).append(" at ").append(violation.blocked().returnTime())
                .append("; register states possible there: ").append(states(violation))
                .append(".\nLongest partial linearization found (").append(violation.longestPrefix().size())
                .append(" of ").append(violation.history().operations().size()).append("): ")
                .append(violation.longestPrefix().stream().map(operation -> "#" + operation.id()).collect(Collectors.joining(" ")))
                .append('\n');
        return out.toString();
    }

    private static String stuck(Operation blocked, CheckResult.Violation small) {
        return "No linearization of it gets past the completion of #" + blocked.id() + " (p" + blocked.process() + ", "
                + blocked.input() + " -> " + blocked.output() + ", completed at " + blocked.returnTime()
                + "): the register could then only hold " + states(small) + ".\n";
    }

    private static String states(CheckResult.Violation violation) {
        return violation.statesPossible().stream().map(RegisterState::toString).sorted()
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
