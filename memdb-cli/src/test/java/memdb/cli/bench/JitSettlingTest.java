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

    /** The window ending at {@code nowNanos}, with as many requests answered as a window needs (a fast test). */
    private static boolean at(JitSettling jit, long nowNanos) {
        return jit.settledAt(nowNanos, nowNanos / WINDOW * JitSettling.WINDOW_REQUESTS_MIN);
    }

    @Test
    void settlesAfterTwoQuietWindowsInARowAndNotBefore() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        long now = 0;
        for (int busy = 0; busy < 5; busy++) {
            compiledMs.addAndGet(WINDOW_MS / 2); // the compiler threads worked half the window
            now += WINDOW;
            assertFalse(at(jit, now));
        }
        now += WINDOW; // nothing compiled in this window
        assertFalse(at(jit, now), "one quiet window is not enough");
        now += WINDOW;
        assertTrue(at(jit, now));
        assertTrue(at(jit, now + 1), "settled stays settled until the next window ends");
    }

    @Test
    void aBusyWindowStartsTheCountAgain() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        assertFalse(at(jit, WINDOW));
        compiledMs.addAndGet(50);
        assertFalse(at(jit, 2 * WINDOW));
        assertFalse(at(jit, 3 * WINDOW));
        assertTrue(at(jit, 4 * WINDOW));
    }

    @Test
    void aWindowIsQuietBelowTwoPercentOfItsLengthSpentCompiling() {
        long twoPercentMs = Math.round(WINDOW_MS * JitSettling.QUIET_SHARE);
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        long now = 0;
        for (int i = 0; i < 4; i++) {
            compiledMs.addAndGet(twoPercentMs); // 2% of the window: not quiet
            now += WINDOW;
            assertFalse(at(jit, now));
        }
        compiledMs.addAndGet(twoPercentMs - 1);
        now += WINDOW;
        assertFalse(at(jit, now));
        compiledMs.addAndGet(twoPercentMs - 1);
        now += WINDOW;
        assertTrue(at(jit, now), "two windows just under 2% are quiet");
    }

    @Test
    void aWindowThatHasNotEndedChangesNothing() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        for (long t = 1; t < 10; t++) assertFalse(at(jit, t * (WINDOW / 10)));
        compiledMs.addAndGet(100); // compiled during the first, still unfinished window: it is busy
        assertFalse(at(jit, WINDOW));
        assertFalse(at(jit, 2 * WINDOW));
        assertTrue(at(jit, 3 * WINDOW));
    }

    @Test
    void aWindowLastsUntilItHasSeenEnoughRequests() {
        JitSettling jit = new JitSettling(compiledMs::get, 0);
        long few = JitSettling.WINDOW_REQUESTS_MIN - 1;
        assertFalse(jit.settledAt(WINDOW, few), "200 ms but too few requests: the first window goes on");
        assertFalse(jit.settledAt(2 * WINDOW, 2 * few), "the first (quiet) window ends");
        assertFalse(jit.settledAt(3 * WINDOW, 3 * few), "the second has too few requests yet");
        assertFalse(jit.settledAt(10 * WINDOW, 3 * few), "and no time makes up for them");
        assertTrue(jit.settledAt(11 * WINDOW, 4 * few), "the second quiet window ends");
    }

    @Test
    void theJvmsCompilerTimeIsReadable() {
        long first = JitSettling.jvmCompileMillis().getAsLong();
        assertTrue(first >= 0 && JitSettling.jvmCompileMillis().getAsLong() >= first);
    }
}
