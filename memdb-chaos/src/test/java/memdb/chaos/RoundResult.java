package memdb.chaos;

import java.time.Duration;
import java.util.List;

/** One round of a run: its faults, how long the nemesis worked, what it did, and each checker's verdict. */
record RoundResult(int number, List<Fault> faults, Duration length, int strikes, int killCycles, int forcedRecoveries,
                   List<Verdict> verdicts) {
    RoundResult {
        faults = List.copyOf(faults);
        verdicts = List.copyOf(verdicts);
    }

    long operations() {
        return verdicts.stream().filter(v -> !v.checker().equals("convergence")).mapToLong(Verdict::operations).sum();
    }

    long histories() {
        return verdicts.stream().mapToLong(Verdict::histories).sum();
    }

    List<String> violations() {
        return verdicts.stream().flatMap(v -> v.violations().stream().map(s -> v.checker() + ": " + s)).toList();
    }

    /** Whether the quorum-writes checker ran and found every acknowledged write. */
    boolean noAcknowledgedWriteLost() {
        return verdicts.stream().anyMatch(v -> v.checker().equals("quorum-writes") && v.violations().isEmpty());
    }
}
