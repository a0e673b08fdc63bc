package memdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import memdb.client.MemDb;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up of each test ({@link Bench} with {@link Warmup}): auto runs until the JIT compiler has settled (here a
 * fake compiler clock), within its bound of requests; a fixed one sends exactly its requests; none sends nothing;
 * the measured requests never include the warm-up's, and the report says what the warm-up did.
 */
class BenchWarmupTest {
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final AtomicLong gets = new AtomicLong();

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    /** A MemDb whose callback get answers from another thread (as the client's I/O thread does), counting requests. */
    @SuppressWarnings("unchecked")
    private MemDb answeringGets() {
        return (MemDb) Proxy.newProxyInstance(MemDb.class.getClassLoader(), new Class<?>[] {MemDb.class}, (proxy, method, args) -> {
            if (method.getName().equals("getBytesAsync") && args.length == 3) {
                gets.incrementAndGet();
                BiConsumer<Object, Throwable> callback = (BiConsumer<Object, Throwable>) args[2];
                io.execute(() -> callback.accept(null, null));
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    private static BenchPlan plan(long requests, Warmup warmup) {
        return new BenchPlan(List.of(BenchTest.GET), requests, 4, 2, 3, 0, Consistency.ONE, 1, warmup,
                Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    /** What the progress line drew (the runs print it as on a terminal). */
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private TestResult run(BenchPlan plan, LongSupplier compileMillis) throws InterruptedException {
        PrintStream terminal = new PrintStream(progress, true, StandardCharsets.UTF_8);
        List<TestResult> results = new Bench(answeringGets(), plan, terminal, compileMillis).run((result, error) -> {});
        assertEquals(1, results.size());
        return results.get(0);
    }

    @Test
    void autoRunsUntilTheCompilerHasSettledAndIsNotMeasured() throws Exception {
        long start = System.nanoTime();
        long busyMs = 800;
        // the compiler works half the time for the first 800 ms, then compiles nothing more
        LongSupplier compileMillis = () -> Math.min(busyMs, (System.nanoTime() - start) / 1_000_000) / 2;
        TestResult result = run(plan(5_000_000, Warmup.AUTO), compileMillis);
        Warmup.Done warmup = result.warmup();
        assertEquals(Warmup.End.JIT_SETTLED, warmup.end(), warmup.toString());
        double quietSeconds = JitSettling.QUIET_WINDOWS * JitSettling.WINDOW_NANOS / 1e9;
        assertTrue(warmup.seconds() >= busyMs / 1000.0 + quietSeconds - 0.05
                && warmup.seconds() < Warmup.AUTO_TIME_MAX.toSeconds(), warmup.toString());
        assertTrue(warmup.requests() >= JitSettling.QUIET_WINDOWS * JitSettling.WINDOW_REQUESTS_MIN
                && warmup.requests() < 10 * 5_000_000L, warmup.toString());
        assertEquals(5_000_000, result.requests());
        assertEquals(warmup.requests() + result.requests(), gets.get(), "every request sent is a warm-up's or a measured one");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("\rget: warm-up (auto), "), "a terminal sees the warm-up go on");
    }

    @Test
    void autoStopsAtTenTimesTheMeasuredRequestsWhenTheCompilerNeverSettles() throws Exception {
        long start = System.nanoTime();
        LongSupplier alwaysCompiling = () -> (System.nanoTime() - start) / 1_000_000;
        TestResult result = run(plan(300, Warmup.AUTO), alwaysCompiling);
        assertEquals(new Warmup.Done(3000, result.warmup().seconds(), Warmup.End.BOUND), result.warmup());
        assertEquals(300, result.requests());
        assertEquals(3300, gets.get());
    }

    @Test
    void aFixedWarmupSendsItsRequestsAndNoneSendsNothing() throws Exception {
        TestResult fixed = run(plan(1000, Warmup.ofRequests(500)), () -> 0);
        assertEquals(500, fixed.warmup().requests());
        assertEquals(Warmup.End.REQUESTS, fixed.warmup().end());
        assertEquals(1000, fixed.requests());
        assertEquals(1500, gets.get());
        gets.set(0);
        TestResult none = run(plan(1000, Warmup.NONE), () -> 0);
        assertEquals(Warmup.Done.NONE, none.warmup());
        assertEquals(1000, gets.get());
    }
}
