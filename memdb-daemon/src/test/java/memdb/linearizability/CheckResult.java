package memdb.linearizability;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The checker's verdict, one of three (Knossos: {@code :valid? true / false / :unknown}). Callers must
 * count {@link Timeout} as a failure: "could not prove it" is not "linearizable".
 */
public sealed interface CheckResult {
    long steps();

    /** A witness: every operation of the history in a legal sequential order (unknown ones included). */
    record Linearizable(List<Operation> linearization, long steps) implements CheckResult {
        @Override
        public String toString() {
            return "LINEARIZABLE (" + linearization.size() + " operations, " + steps + " steps)";
        }
    }

    /**
     * No linearization exists. {@code blocked} is the operation whose completion no partial
     * linearization could get past — the latest such point in real time over the whole search — and
     * {@code statesPossible} the register states that some linearization of the operations before it
     * reached there, none of which explains {@code blocked}'s output (Lowe 2017, section 3's "the
     * configuration that cannot be extended"). {@code longestPrefix} is one longest partial
     * linearization found.
     */
    record Violation(History history, Operation blocked, Set<RegisterState> statesPossible,
            List<Operation> longestPrefix, long steps) implements CheckResult {
        @Override
        public String toString() {
            return "NOT LINEARIZABLE: no linearization gets past the completion of " + blocked
                    + "; states possible there: " + statesPossible + " (" + steps + " steps)";
        }
    }

    /** The step or time budget ran out before the search finished. */
    record Timeout(long steps, Duration elapsed) implements CheckResult {
        @Override
        public String toString() {
            return "TIMEOUT after " + steps + " steps, " + elapsed.toMillis() + " ms: linearizability unknown";
        }
    }
}
