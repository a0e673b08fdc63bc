package memdb.linearizability;

/** Test support: a checker on the system clock with a generous budget, and short-hand constructors. */
final class Checks {
    static final Budget BUDGET = Budget.DEFAULT;

    private Checks() {}

    static LinearizabilityChecker checker() {
        return new LinearizabilityChecker(BUDGET, System::nanoTime);
    }

    static CheckResult check(History history) {
        return checker().check(history);
    }

    /** For failure messages: the minimized report of a violation, or the verdict itself. */
    static String describe(CheckResult result) {
        if (result instanceof CheckResult.Violation violation) {
            return new ViolationReport(checker(), 2_000).explain(violation);
        }
        return result.toString();
    }

    static Input read() {
        return Input.read();
    }

    static Input write(String value) {
        return Input.write(value);
    }

    static Input cas(String expected, String newValue) {
        return Input.cas(expected, newValue);
    }

    static Output value(String value) {
        return Output.value(value);
    }

    static Output written() {
        return Output.written();
    }

    static Output swapped(boolean swapped) {
        return Output.swapped(swapped);
    }
}
