package memdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.Test;

/** The closed loop of {@link BenchRunner} against fake operations: counts, concurrency bound, keys, limits. */
class BenchRunnerTest {
    private static BenchPlan plan(long requests, int clients, int pipeline, long keyspace, Duration timeLimit) {
        return new BenchPlan(List.of(BenchTest.GET), requests, clients, pipeline, 3, keyspace, Consistency.ONE, 1, Warmup.NONE,
                timeLimit, Duration.ofSeconds(2));
    }

    private static long deadline(Duration timeLimit) {
        return System.nanoTime() + timeLimit.toNanos();
    }

    @Test
    void answersAtOnceSendExactlyNWithoutRecursing() throws Exception {
        BenchPlan plan = plan(200_000, 3, 2, 0, Duration.ofSeconds(60));
        AtomicInteger started = new AtomicInteger();
        TestResult result = new BenchRunner(BenchOperation.ofFuture(key -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }), plan, deadline(plan.timeLimit())).run("get");
        assertEquals(200_000, started.get());
        assertEquals(200_000, result.requests());
        assertEquals(0, result.errors());
        assertTrue(result.complete());
    }

    @Test
    void answersFromOtherThreadsNeverExceedClientsTimesPipelineInFlight() throws Exception {
        BenchPlan plan = plan(20_000, 8, 4, 1000, Duration.ofSeconds(60));
        ExecutorService io = Executors.newFixedThreadPool(3);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger inFlightMax = new AtomicInteger();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        try {
            TestResult result = new BenchRunner(BenchOperation.ofFuture(key -> {
                keys.add(key);
                inFlightMax.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                return CompletableFuture.runAsync(inFlight::decrementAndGet, io);
            }), plan, deadline(plan.timeLimit())).run("get");
            assertEquals(20_000, result.requests());
            assertTrue(inFlightMax.get() <= 32, "in flight " + inFlightMax.get());
            assertTrue(keys.size() > 900 && keys.size() <= 1000, keys.size() + " keys");
            assertTrue(keys.stream().allMatch(k -> k.matches("key:\\d{12}")));
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void aDurationBoundTestSendsUntilItsTimeIsUpAndIsComplete() throws Exception {
        BenchPlan plan = new BenchPlan(List.of(BenchTest.GET), BenchPlan.REQUESTS_MAX, 4, 1, 3, 0, Consistency.ONE, 1, Warmup.NONE,
                Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMillis(300), 1);
        ExecutorService io = Executors.newFixedThreadPool(2);
        try {
            long start = System.nanoTime();
            TestResult result = new BenchRunner(BenchOperation.ofFuture(key -> CompletableFuture.runAsync(() -> {}, io)), plan,
                    deadline(plan.timeLimit())).run("get");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs >= 300 && tookMs < 10_000, "ran for its duration: " + tookMs + " ms");
            assertTrue(result.complete(), "a test that ran its duration is complete");
            assertTrue(result.requests() > 0);
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void clientsAreSpreadOverTheConnectionsRoundRobin() throws Exception {
        BenchPlan plan = new BenchPlan(List.of(BenchTest.GET), 3000, 6, 1, 3, 0, Consistency.ONE, 1, Warmup.NONE,
                Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ZERO, 3);
        List<AtomicInteger> used = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
        ExecutorService io = Executors.newFixedThreadPool(2);
        try {
            List<BenchOperation> connections = new ArrayList<>();
            // Each request completes a millisecond later, so the six clients take turns: with an immediate completion
            // one client could run ahead and send most of the requests before the others got going (seen under load:
            // [2883, 59, 58]), which says nothing about how the clients were spread.
            java.util.concurrent.Executor later = CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.MILLISECONDS, io);
            for (AtomicInteger count : used) {
                connections.add(BenchOperation.ofFuture(key -> {
                    count.incrementAndGet();
                    return CompletableFuture.runAsync(() -> {}, later);
                }));
            }
            TestResult result = new BenchRunner(connections, plan, deadline(plan.timeLimit())).run("get");
            assertEquals(3000, result.requests());
            for (AtomicInteger count : used) assertTrue(count.get() > 100, "every connection carries requests: " + used);
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void failuresAreCountedAndTheFirstIsKept() throws Exception {
        BenchPlan plan = plan(1000, 4, 1, 0, Duration.ofSeconds(60));
        AtomicInteger count = new AtomicInteger();
        BenchRunner runner = new BenchRunner(BenchOperation.ofFuture(key -> count.incrementAndGet() % 10 == 0
                ? CompletableFuture.failedFuture(new IllegalStateException("boom"))
                : CompletableFuture.completedFuture(null)), plan, deadline(plan.timeLimit()));
        TestResult result = runner.run("get");
        assertEquals(1000, result.requests());
        assertEquals(100, result.errors());
        assertEquals("boom", runner.firstError().getMessage());
    }

    @Test
    void theDeadlineStopsTheTestAndItReportsWhatItDid() throws Exception {
        BenchPlan plan = plan(1_000_000_000L, 2, 1, 0, Duration.ofMillis(300));
        ExecutorService io = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            TestResult result = new BenchRunner(BenchOperation.ofFuture(key -> CompletableFuture.runAsync(() -> sleepMs(1), io)), plan,
                    deadline(plan.timeLimit())).run("get");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            assertFalse(result.complete());
            assertTrue(result.requests() > 0 && result.requests() < 10_000, result.requests() + " requests");
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void keysAreTheSameForTheSameSeed() throws Exception {
        assertEquals(keysOf(1), keysOf(1));
        assertFalse(keysOf(1).equals(keysOf(2)));
        assertEquals("key:000000000042", BenchRunner.key(42));
    }

    private static Set<String> keysOf(long seed) throws Exception {
        BenchPlan plan = new BenchPlan(List.of(BenchTest.GET), 50, 1, 1, 3, 1_000_000, Consistency.ONE, seed, Warmup.NONE,
                Duration.ofSeconds(10), Duration.ofSeconds(1));
        List<String> keys = new ArrayList<>();
        new BenchRunner(BenchOperation.ofFuture(key -> {
            keys.add(key);
            return CompletableFuture.completedFuture(null);
        }), plan, deadline(plan.timeLimit())).run("get");
        return new HashSet<>(keys);
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
