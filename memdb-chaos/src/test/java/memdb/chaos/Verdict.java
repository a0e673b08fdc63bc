package memdb.chaos;

import java.util.List;

/**
 * What one checker found over one round: how many operations and histories it checked, and each
 * violation in a sentence (empty: none).
 */
record Verdict(String checker, long operations, long histories, List<String> violations) {
    Verdict {
        violations = List.copyOf(violations);
    }
}
