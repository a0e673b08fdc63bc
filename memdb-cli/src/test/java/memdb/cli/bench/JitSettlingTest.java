package memdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When an automatic warm-up counts the JIT compiler as settled: two quiet windows in a row, on a hand-driven clock. */
class JitSettlingTest {
    private static final long WINDOW = JitSettling.WINDOW_NANOS;
    private static final long WINDOW_MS = TimeUnit.NANOSECONDS.toMillis(WINDOW);

    private final AtomicLong compiledMs = new AtomicLong(1234);

    @Test
    void settlesAfterTwoQuietWindowsInARowAndNotBefore() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        long now = 0;
        for (int busy = 0; busy < 5; busy++) {
            compiledMs.addAndGet(WINDOW_MS / 2); // the compiler threads worked half the window
            now += WINDOW;
            assertFalse(jit.settledAt(now));
        }
        now += WINDOW; // nothing compiled in this window
        assertFalse(jit.settledAt(now), "one quiet window is not enough");
        now += WINDOW;
        assertTrue(jit.settledAt(now));
        assertTrue(jit.settledAt(now + 1), "settled stays settled until the next window ends");
    }

    @Test
    void aBusyWindowStartsTheCountAgain() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        assertFalse(jit.settledAt(WINDOW));
        compiledMs.addAndGet(50);
        assertFalse(jit.settledAt(2 * WINDOW));
        assertFalse(jit.settledAt(3 * WINDOW));
        assertTrue(jit.settledAt(4 * WINDOW));
    }

    @Test
    void aWindowIsQuietBelowTwoPercentOfItsLengthSpentCompiling() {
        long twoPercentMs = Math.round(WINDOW_MS * JitSettling.QUIET_SHARE);
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        long now = 0;
        for (int i = 0; i < 4; i++) {
            compiledMs.addAndGet(twoPercentMs); // 2% of the window: not quiet
            now += WINDOW;
            assertFalse(jit.settledAt(now));
        }
        compiledMs.addAndGet(twoPercentMs - 1);
        now += WINDOW;
        assertFalse(jit.settledAt(now));
        compiledMs.addAndGet(twoPercentMs - 1);
        now += WINDOW;
        assertTrue(jit.settledAt(now), "two windows just under 2% are quiet");
    }

    @Test
    void aWindowThatHasNotEndedChangesNothing() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        for (long t = 1; t < 10; t++) assertFalse(jit.settledAt(t * (WINDOW / 10)));
        compiledMs.addAndGet(100); // compiled during the first, still unfinished window: it is busy
        assertFalse(jit.settledAt(WINDOW));
        assertFalse(jit.settledAt(2 * WINDOW));
        assertTrue(jit.settledAt(3 * WINDOW));
    }

    @Test
    void theJvmsCompilerTimeIsReadable() {
        long first = JitSettling.jvmCompileMillis().getAsLong();
        assertTrue(first >= 0 && JitSettling.jvmCompileMillis().getAsLong() >= first);
    }
}
