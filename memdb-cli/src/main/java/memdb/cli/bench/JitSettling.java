package memdb.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tells when the JVM's JIT compiler has settled, for an automatic warm-up ({@link Warmup#AUTO}): the load runs
 * in windows of at least {@link #WINDOW_NANOS} and {@link #WINDOW_REQUESTS_MIN} answered requests (a method called
 * once per request has then been called often enough for its final tier: HotSpot's C2 thresholds are ~5,000
 * calls with ~15,000 profiled; a slow test's windows are longer); a window is quiet when the compiler threads
 * together spent less than {@link #QUIET_SHARE} of its length compiling, and the compiler has settled after
 * {@link #QUIET_WINDOWS} quiet windows in a row. Hot code is then compiled at its final tier (C2, on the `bench` command's JVM: bin/memdb),
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
    static final long WINDOW_REQUESTS_MIN = 10_000;

    private final LongSupplier compileMillis;
    private long windowStartNanos;
    private long windowStartCompileMillis;
    private long windowStartRequests;
    private int quietInARow;

    JitSettling(LongSupplier compileMillis, long startNanos) {
        this.compileMillis = compileMillis;
        this.windowStartNanos = startNanos;
        this.windowStartCompileMillis = compileMillis.getAsLong();
    }

    /**
     * Ends the window that began at the last call that ended one (or at the start) and returns whether the compiler
     * has now settled; {@code requests}: the requests answered so far. A window shorter than {@link #WINDOW_NANOS}
     * or with fewer than {@link #WINDOW_REQUESTS_MIN} requests changes nothing (it is not over yet).
     */
    boolean settledAt(long nowNanos, long requests) {
        long windowNanos = nowNanos - windowStartNanos;
        if (windowNanos < WINDOW_NANOS || requests - windowStartRequests < WINDOW_REQUESTS_MIN) return quietInARow >= QUIET_WINDOWS;
        long compiled = compileMillis.getAsLong();
        long compilingNanos = TimeUnit.MILLISECONDS.toNanos(compiled - windowStartCompileMillis);
        quietInARow = compilingNanos < QUIET_SHARE * windowNanos ? quietInARow + 1 : 0;
        windowStartNanos = nowNanos;
        windowStartCompileMillis = compiled;
        windowStartRequests = requests;
        return quietInARow >= QUIET_WINDOWS;
    }

    /** This JVM's total JIT compilation time so far, in milliseconds (0 where the JVM does not monitor it). */
    static LongSupplier jvmCompileMillis() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) return () -> 0;
        return compiler::getTotalCompilationTime;
    }
}
