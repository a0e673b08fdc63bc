package memdb.linearizability;

import static memdb.linearizability.Checks.cas;
import static memdb.linearizability.Checks.read;
import static memdb.linearizability.Checks.swapped;
import static memdb.linearizability.Checks.value;
import static memdb.linearizability.Checks.write;
import static memdb.linearizability.Checks.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The violation report: where the search gets stuck, the states possible there, a minimal witness. */
class ViolationReportTest {

    @Test
    void staleReadIsShrunkToTheWritesAndTheRead() {
        History history = History.builder()
                .complete(1, write("a"), written())
                .invoke(3, read()).ok(3, value("a"))
                .complete(1, cas("a", "b"), swapped(true))
                .invoke(2, read())                       // p2's read overlaps nothing that writes "a"...
                .complete(3, read(), value("b"))
                .ok(2, value("a"))                       // ...yet returns the overwritten "a"
                .complete(1, write("c"), written())
                .complete(3, read(), value("c"))
                .build();
        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, Checks.check(history));
        assertEquals(3, violation.blocked().id(), "p2's read, whose completion nothing gets past");
        assertEquals(Set.of(new RegisterState("b")), violation.statesPossible());

        ViolationReport report = new ViolationReport(Checks.checker(), 100);
        List<Operation> minimal = report.minimize(violation);
        assertEquals(List.of(0, 2, 3), minimal.stream().map(Operation::id).toList(), "write \"a\", the cas to \"b\", the stale read");
        String text = report.explain(violation);
        System.out.println(text);
        assertTrue(text.contains("could then only hold {\"b\"}"), text);
        assertTrue(text.contains("3 of 7 operations"), text);
    }

    @Test
    void doubleCasSuccessShowsBothWinners() {
        History history = History.builder()
                .complete(3, read(), value(null))
                .invoke(1, cas(null, "x")).invoke(2, cas(null, "y"))
                .ok(1, swapped(true)).ok(2, swapped(true))
                .build();
        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, Checks.check(history));
        String text = new ViolationReport(Checks.checker(), 100).explain(violation);
        System.out.println(text);
        assertTrue(text.contains("cas(absent -> \"x\")") && text.contains("cas(absent -> \"y\")"), text);
    }

    /**
     * Twenty unknown writes stay open forever and a read then sees a value nobody wrote: proving
     * that takes every subset of the unknown writes, far beyond the budget, so the verdict is TIMEOUT.
     * The injected clock jumps a minute per reading, so the time budget trips deterministically.
     */
    @Test
    void runawaySearchStopsWithTimeout() {
        History.Builder builder = History.builder();
        for (int process = 0; process < 20; process++) {
            builder.invoke(process, write(Integer.toString(process))).unknown(process);
        }
        History history = builder.complete(99, read(), value("never written")).build();
        AtomicLong clock = new AtomicLong();
        LinearizabilityChecker checker = new LinearizabilityChecker(
                new Budget(Long.MAX_VALUE, Duration.ofSeconds(30)), () -> clock.getAndAdd(Duration.ofMinutes(1).toNanos()));
        CheckResult.Timeout timeout = assertInstanceOf(CheckResult.Timeout.class, checker.check(history));
        assertTrue(timeout.steps() < 10_000, "the time budget is checked every few thousand steps: " + timeout.steps());
    }
}
