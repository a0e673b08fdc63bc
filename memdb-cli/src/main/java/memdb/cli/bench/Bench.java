package memdb.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import memdb.client.MemDb;

/**
 * Runs the tests of a plan one after another on one shared client (with {@code --connections} connections
 * to every node), under one deadline for the whole
 * run ({@code --time-limit-s}): a test that reaches it stops sending, waits for its answers, and is
 * reported as incomplete; the tests after it are not run.
 *
 * <p>Threads it owns, both bounded and stopped before {@link #run} returns: the quorum-get waiters
 * (at most {@link #QUORUM_WAITERS_MAX}, only when quorum-get is asked for) and one progress printer
 * (only when a progress stream is given).
 */
public final class Bench {
    static final int QUORUM_WAITERS_MAX = 256;
    private static final long PROGRESS_INTERVAL_MS = 250;

    private final MemDb db;
    private final BenchPlan plan;
    private final PrintStream progress;
    private final LongSupplier compileMillis;

    /**
     * @param db       the client every logical client sends through (with as many connections per node as the
     *                 plan asks for: {@link BenchPlan#connections()})
     * @param progress where to draw a progress line (a terminal), or null for none
     */
    public Bench(MemDb db, BenchPlan plan, PrintStream progress) {
        this(db, plan, progress, plan.warmup().untilJitSettles() ? JitSettling.jvmCompileMillis() : () -> 0);
    }

    /** @param compileMillis the JIT compiler's accumulated time in milliseconds (tests pass their own) */
    Bench(MemDb db, BenchPlan plan, PrintStream progress, LongSupplier compileMillis) {
        this.db = db;
        this.plan = plan;
        this.progress = progress;
        this.compileMillis = compileMillis;
    }

    /**
     * Runs every test, handing each result and its first error (null if none) over as it finishes;
     * returns the results (fewer than the tests when the time limit stopped the run).
     */
    public List<TestResult> run(BiConsumer<TestResult, Throwable> onResult) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + plan.timeLimit().toNanos();
        ExecutorService quorumWaiters = plan.tests().contains(BenchTest.QUORUM_GET)
                ? Executors.newFixedThreadPool(Math.min(plan.inFlightMax(), QUORUM_WAITERS_MAX), daemon("memdb-bench-quorum"))
                : null;
        ScheduledExecutorService printer = progress != null
                ? Executors.newSingleThreadScheduledExecutor(daemon("memdb-bench-progress")) : null;
        try {
            List<TestResult> results = new ArrayList<>();
            for (BenchTest test : plan.tests()) {
                if (System.nanoTime() - deadlineNanos >= 0) break;
                List<BenchOperation> operations = List.of(BenchOperation.of(test, db, plan.valueBytes(), plan.consistency(),
                        plan.requestTimeout(), quorumWaiters));
                Warmup.Done warmedUp = warmUp(test, operations, deadlineNanos, printer);
                if (System.nanoTime() - deadlineNanos >= 0) break;
                BenchRunner runner = new BenchRunner(operations, plan, deadlineNanos);
                TestResult result = runShowing(printer, progressLine(test, runner), runner, test.label(), null)
                        .withWarmup(warmedUp);
                results.add(result);
                onResult.accept(result, runner.firstError());
                if (!result.complete()) break;
            }
            return results;
        } finally {
            if (quorumWaiters != null) quorumWaiters.shutdownNow();
            if (printer != null) printer.shutdownNow();
        }
    }

    /**
     * The warm-up of one test (its requests are not counted): none, a fixed number of requests, or until the JIT
     * compiler has settled ({@link JitSettling}), within {@link Warmup#AUTO_TIME_MAX} and
     * {@link Warmup#requestCap} requests.
     */
    private Warmup.Done warmUp(BenchTest test, List<BenchOperation> operations, long deadlineNanos,
                               ScheduledExecutorService printer) throws InterruptedException {
        Warmup warmup = plan.warmup();
        if (warmup.isNone()) return Warmup.Done.NONE;
        BenchRunner runner = new BenchRunner(operations, plan.withRequests(warmup.requestCap(plan.requests())),
                Math.min(deadlineNanos, warmup.untilJitSettles() ? System.nanoTime() + Warmup.AUTO_TIME_MAX.toNanos() : Long.MAX_VALUE));
        JitSettling jit = warmup.untilJitSettles() ? new JitSettling(compileMillis, System.nanoTime()) : null;
        TestResult done = runShowing(printer, warmupLine(test, runner), runner, test.label(), jit == null ? null : jit::settledAt);
        Warmup.End end = jit != null ? (runner.stoppedByRule() ? Warmup.End.JIT_SETTLED : Warmup.End.BOUND)
                : (done.complete() ? Warmup.End.REQUESTS : Warmup.End.BOUND);
        return new Warmup.Done(done.requests(), done.seconds(), end);
    }

    /** Runs {@code runner} (with {@code stopRule}, or none), redrawing {@code line} on the progress stream meanwhile. */
    private TestResult runShowing(ScheduledExecutorService printer, Runnable line, BenchRunner runner, String label,
                                  BenchRunner.StopRule stopRule) throws InterruptedException {
        var ticker = printer == null ? null
                : printer.scheduleAtFixedRate(line, PROGRESS_INTERVAL_MS, PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
        try {
            return runner.run(label, stopRule);
        } finally {
            if (ticker != null) {
                ticker.cancel(false);
                progress.print("\r" + " ".repeat(72) + "\r");
                progress.flush();
            }
        }
    }

    private Runnable warmupLine(BenchTest test, BenchRunner runner) {
        long startNanos = System.nanoTime();
        return () -> {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            progress.printf(Locale.ROOT, "\r%s: warm-up (%s), %d requests in %.1f s   ", test.label(), plan.warmup(),
                    runner.answered(), seconds);
            progress.flush();
        };
    }

    private Runnable progressLine(BenchTest test, BenchRunner runner) {
        long startNanos = System.nanoTime();
        return () -> {
            long answered = runner.answered();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            String goal = plan.duration().isZero() ? "/" + plan.requests() + " requests"
                    : String.format(Locale.ROOT, " requests in %.0f/%d s", seconds, plan.duration().toSeconds());
            progress.printf(Locale.ROOT, "\r%s: %d%s, %.0f ops/s   ", test.label(), answered, goal,
                    seconds > 0 ? answered / seconds : 0.0);
            progress.flush();
        };
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
