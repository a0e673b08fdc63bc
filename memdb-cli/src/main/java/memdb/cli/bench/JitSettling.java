package memdb.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tells when the JVM's JIT compiler has settled, for an automatic warm-up ({@link Warmup#AUTO}): the load runs
 * in windows of {@link #WINDOW_NANOS}; a window is quiet when the compiler threads together spent less than
 * {@link #QUIET_SHARE} of its length compiling, and the compiler has settled after {@link #QUIET_WINDOWS} quiet
 * windows in a row. Hot code is then compiled at its final tier (C2, on the `bench` command's JVM: bin/memdb),
 * and the measured requests neither run slower code nor share the cores with the compiler.
 *
 * <p>Pure: the compiler's accumulated time ({@link #jvmCompileMillis()} in production, in milliseconds) and the
 * clock are the caller's, so tests drive both. A JVM without compile-time monitoring reports 0 throughout: every
 * window is then quiet and the warm-up lasts {@link #QUIET_WINDOWS} windows.
 */
final class JitSettling {
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final int QUIET_WINDOWS = 2;
    static final double QUIET_SHARE = 0.02;

    private final LongSupplier compileMillis;
    private long windowStartNanos;
    private long windowStartCompileMillis;
    private int quietInARow;

    JitSettling(LongSupplier compileMillis, long startNanos) {
        this.compileMillis = compileMillis;
        this.windowStartNanos = startNanos;
        this.windowStartCompileMillis = compileMillis.getAsLong();
    }

    /**
     * Ends the window that began at the last call (or at the start) and returns whether the compiler has now
     * settled. A window shorter than {@link #WINDOW_NANOS} changes nothing (it is not over yet).
     */
    boolean settledAt(long nowNanos) {
        long windowNanos = nowNanos - windowStartNanos;
        if (windowNanos < WINDOW_NANOS) return quietInARow >= QUIET_WINDOWS;
        long compiled = compileMillis.getAsLong();
        long compilingNanos = TimeUnit.MILLISECONDS.toNanos(compiled - windowStartCompileMillis);
        quietInARow = compilingNanos < QUIET_SHARE * windowNanos ? quietInARow + 1 : 0;
        windowStartNanos = nowNanos;
        windowStartCompileMillis = compiled;
        return quietInARow >= QUIET_WINDOWS;
    }

    /** This JVM's total JIT compilation time so far, in milliseconds (0 where the JVM does not monitor it). */
    static LongSupplier jvmCompileMillis() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) return () -> 0;
        return compiler::getTotalCompilationTime;
    }
}
