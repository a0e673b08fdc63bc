package memdb.linearizability;

import static memdb.linearizability.Checks.cas;
import static memdb.linearizability.Checks.read;
import static memdb.linearizability.Checks.swapped;
import static memdb.linearizability.Checks.value;
import static memdb.linearizability.Checks.write;
import static memdb.linearizability.Checks.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hand-written histories with known answers, each also confirmed by {@link BruteForceChecker}.
 * Processes are numbered 1, 2, 3; event order is real-time order.
 */
class KnownHistoriesTest {

    // ---- linearizable ----

    @Test
    void emptyHistoryIsLinearizable() {
        assertLinearizable(History.builder().build());
    }

    @Test
    void sequentialWritesReadsAndCas() {
        assertLinearizable(History.builder()
                .complete(1, read(), value(null))
                .complete(1, write("a"), written())
                .complete(2, read(), value("a"))
                .complete(2, cas("a", "b"), swapped(true))
                .complete(1, cas("a", "c"), swapped(false))
                .complete(3, read(), value("b"))
                .build());
    }

    @Test
    void concurrentWriteAndReadsSeeEitherOrder() {
        // p1 writes "b" over "a" while p2 and p3 read: each read may fall before or after the write.
        History.Builder history = History.builder().complete(1, write("a"), written())
                .invoke(1, write("b")).invoke(2, read()).invoke(3, read());
        assertLinearizable(history.build());
        assertLinearizable(copy(history).ok(2, value("a")).ok(3, value("b")).ok(1, written()).build());
        assertLinearizable(copy(history).ok(2, value("b")).ok(3, value("a")).ok(1, written()).build());
        assertLinearizable(copy(history).ok(1, written()).ok(2, value("a")).ok(3, value("b")).build());
    }

    @Test
    void overlappingWritesEitherWins() {
        History.Builder history = History.builder().invoke(1, write("x")).invoke(2, write("y"))
                .ok(1, written()).ok(2, written());
        assertLinearizable(copy(history).complete(3, read(), value("x")).build());
        assertLinearizable(copy(history).complete(3, read(), value("y")).build());
    }

    @Test
    void casRaceOneWins() {
        assertLinearizable(History.builder()
                .invoke(1, cas(null, "x")).invoke(2, cas(null, "y"))
                .ok(2, swapped(false)).ok(1, swapped(true))
                .complete(3, read(), value("x"))
                .build());
    }

    @Test
    void unknownWriteMustBeAssumedApplied() {
        assertLinearizable(History.builder()
                .invoke(1, write("x")).unknown(1)
                .complete(1, read(), value(null))   // not yet applied (p1 moves on after its timeout)...
                .complete(2, read(), value("x"))    // ...applied later, long after the timeout
                .build());
    }

    @Test
    void unknownWriteMustBeAssumedNotApplied() {
        assertLinearizable(History.builder()
                .complete(1, write("a"), written())
                .invoke(2, write("x")).unknown(2)
                .complete(1, read(), value("a"))
                .complete(3, read(), value("a"))
                .build());
    }

    @Test
    void unknownCasThatWonExplainsTheLosersFalse() {
        assertLinearizable(History.builder()
                .invoke(1, cas(null, "x")).unknown(1)
                .complete(2, cas(null, "y"), swapped(false))
                .complete(2, read(), value("x"))
                .build());
    }

    @Test
    void failedWriteIsNeverApplied() {
        assertNotLinearizable(History.builder()
                .invoke(1, write("x")).fail(1)
                .complete(2, read(), value("x"))
                .build());
    }

    @Test
    void invocationStillOpenAtTheEndIsLikeUnknown() {
        assertLinearizable(History.builder().invoke(1, write("x")).complete(2, read(), value("x")).build());
    }

    // ---- not linearizable ----

    @Test
    void staleReadAfterCompletedWrite() {
        assertNotLinearizable(History.builder()
                .complete(1, write("a"), written())
                .complete(1, write("b"), written())
                .complete(2, read(), value("a"))
                .build());
    }

    @Test
    void twoCasFromAbsentBothSucceed() {
        assertNotLinearizable(History.builder()
                .invoke(1, cas(null, "x")).invoke(2, cas(null, "y"))
                .ok(1, swapped(true)).ok(2, swapped(true))
                .build());
    }

    @Test
    void readOfAValueNeverWritten() {
        assertNotLinearizable(History.builder()
                .invoke(1, write("a")).invoke(2, read()).ok(2, value("z")).ok(1, written())
                .build());
    }

    @Test
    void readGoingBackInTime() {
        // p3 sees the new value, then p2 — starting later — sees the old one, though the write is still running.
        assertNotLinearizable(History.builder()
                .complete(1, write("a"), written())
                .invoke(1, write("b"))
                .complete(3, read(), value("b"))
                .complete(2, read(), value("a"))
                .ok(1, written())
                .build());
    }

    @Test
    void unknownOperationCannotTakeEffectBeforeItsInvocation() {
        assertNotLinearizable(History.builder()
                .complete(2, read(), value("x"))
                .invoke(1, write("x")).unknown(1)
                .build());
    }

    @Test
    void casFalseWhenItMustHaveSwapped() {
        assertNotLinearizable(History.builder()
                .complete(1, write("a"), written())
                .complete(2, cas("a", "b"), swapped(false))
                .build());
    }

    // ---- verdicts, witnesses and malformed histories ----

    @Test
    void witnessIsALegalLinearization() {
        History history = History.builder().invoke(1, write("x")).invoke(2, write("y"))
                .ok(2, written()).ok(1, written()).complete(3, read(), value("y")).build();
        CheckResult.Linearizable result = assertInstanceOf(CheckResult.Linearizable.class, Checks.check(history));
        assertEquals(3, result.linearization().size());
        assertTrue(BruteForceChecker.isLegal(result.linearization()));
    }

    @Test
    void exhaustedBudgetIsATimeoutNotAVerdict() {
        History history = History.builder().complete(1, write("a"), written()).complete(2, read(), value("a")).build();
        CheckResult result = new LinearizabilityChecker(new Budget(1, Duration.ofSeconds(1)), System::nanoTime).check(history);
        assertInstanceOf(CheckResult.Timeout.class, result);
    }

    @Test
    void malformedHistoriesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> History.builder().invoke(1, read()).invoke(1, read()).build());
        assertThrows(IllegalArgumentException.class, () -> History.builder().ok(1, written()).build());
        assertThrows(IllegalArgumentException.class, () -> History.builder().invoke(1, read()).ok(1, written()).build());
    }

    private static History.Builder copy(History.Builder builder) {
        History.Builder copy = History.builder();
        for (Event event : builder.build().events()) {
            if (event instanceof Event.Invoke invoke) {
                copy.invoke(invoke.process(), invoke.input());
            } else if (event instanceof Event.Ok ok) {
                copy.ok(ok.process(), ok.output());
            } else if (event instanceof Event.Fail) {
                copy.fail(event.process());
            } else {
                copy.unknown(event.process());
            }
        }
        return copy;
    }

    private static void assertLinearizable(History history) {
        assertTrue(BruteForceChecker.linearizable(history), "reference disagrees with the test:\n" + history);
        CheckResult result = Checks.check(history);
        CheckResult.Linearizable linearizable = assertInstanceOf(CheckResult.Linearizable.class, result, () -> "\n" + history);
        assertTrue(BruteForceChecker.isLegal(linearizable.linearization()));
    }

    private static void assertNotLinearizable(History history) {
        assertTrue(!BruteForceChecker.linearizable(history), "reference disagrees with the test:\n" + history);
        assertInstanceOf(CheckResult.Violation.class, Checks.check(history), () -> "\n" + history);
    }
}
