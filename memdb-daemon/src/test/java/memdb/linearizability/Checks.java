package memdb.linearizability;

import java.time.Duration;

/** Test support: a checker on the system clock with a generous budget, and short-hand constructors. */
final class Checks {
    static final Budget BUDGET = new Budget(20_000_000, Duration.ofSeconds(20));

    private Checks() {}

    static LinearizabilityChecker checker() {
        return new LinearizabilityChecker(BUDGET, System::nanoTime);
    }

    static CheckResult check(History history) {
        return checker().check(history);
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
