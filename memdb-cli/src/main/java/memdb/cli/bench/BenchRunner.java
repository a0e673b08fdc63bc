package memdb.cli.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Runs one test: {@code clients} logical clients share the pipelined MemDb connections (client c uses
 * operation c mod their number), each keeping up to {@code pipeline} requests in flight (a closed loop: an
 * answer sends the client's next request), until {@code requests} have been sent, the plan's duration has
 * passed (the test is then complete) or the deadline passes; then waits for the answers in flight.
 *
 * <p>Invariants: at most clients * pipeline requests are in flight; at most {@code requests} are sent;
 * each client's next key is drawn by one thread at a time (the {@code wanted} counter below serializes
 * a client's sends, and also keeps a request that fails at once from recursing into the next).
 * Latency is recorded in microseconds from just before the send to the completion of its future.
 */
public final class BenchRunner {
    private static final long LATENCY_US_MAX = TimeUnit.MINUTES.toMicros(10);

    private final List<BenchOperation> operations;
    private final BenchPlan plan;
    private final long deadlineNanos;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final AtomicInteger slotsActive;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Histogram latencyUs = new ConcurrentHistogram(LATENCY_US_MAX, 3);
    private volatile boolean stoppedByDeadline;
    /** When the plan has a duration: the time its sending stops (set before the first send). */
    private volatile long durationEndNanos;

    BenchRunner(BenchOperation operation, BenchPlan plan, long deadlineNanos) {
        this(List.of(operation), plan, deadlineNanos);
    }

    BenchRunner(List<BenchOperation> operations, BenchPlan plan, long deadlineNanos) {
        this.operations = List.copyOf(operations);
        this.plan = plan;
        this.deadlineNanos = deadlineNanos;
        this.slotsActive = new AtomicInteger(plan.inFlightMax());
    }

    /** Answered requests so far (for the progress line). */
    long answered() {
        return answered.get();
    }

    Throwable firstError() {
        return firstError.get();
    }

    /** Runs the test to the end (all answered, or the deadline plus one request timeout) and reports it. */
    TestResult run(String label) throws InterruptedException {
        long start = System.nanoTime();
        durationEndNanos = start + plan.duration().toNanos();
        for (int c = 0; c < plan.clients(); c++) {
            Client client = new Client(new SplittableRandom(plan.seed() * 1_000_003L + c), operations.get(c % operations.size()));
            for (int p = 0; p < plan.pipeline(); p++) client.sendWanted();
        }
        long waitNanos = Math.max(0, deadlineNanos - System.nanoTime()) + plan.requestTimeout().toNanos()
                + TimeUnit.SECONDS.toNanos(1);
        boolean allAnswered = finished.await(waitNanos, TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean complete = allAnswered && !stoppedByDeadline;
        return new TestResult(label, answered.get(), errors.get(), seconds,
                latencyUs.getValueAtPercentile(50) / 1000.0, latencyUs.getValueAtPercentile(99) / 1000.0,
                latencyUs.getValueAtPercentile(99.9) / 1000.0, latencyUs.getMaxValue() / 1000.0, complete);
    }

    static String key(long index) {
        String digits = Long.toString(index);
        StringBuilder key = new StringBuilder(16).append("key:");
        for (int i = digits.length(); i < 12; i++) key.append('0');
        return key.append(digits).toString();
    }

    private void record(long startNanos, Throwable failure) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        latencyUs.recordValue(Math.min(Math.max(micros, 0), LATENCY_US_MAX));
        if (failure != null) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, failure);
        }
        answered.incrementAndGet();
    }

    private void retireSlot() {
        if (slotsActive.decrementAndGet() == 0) finished.countDown();
    }

    /** One logical client: a seeded key generator and up to {@code pipeline} requests in flight. */
    private final class Client {
        private final SplittableRandom random;
        private final BenchOperation operation;
        /** Sends wanted and not yet made; only the thread that raised it from 0 sends. */
        private final AtomicInteger wanted = new AtomicInteger();

        Client(SplittableRandom random, BenchOperation operation) {
            this.random = random;
            this.operation = operation;
        }

        /** Asks for one more send: made now, or by the thread already sending for this client. */
        void sendWanted() {
            if (wanted.getAndIncrement() != 0) return;
            do {
                sendOne();
            } while (wanted.decrementAndGet() != 0);
        }

        private void sendOne() {
            if (!plan.duration().isZero() && System.nanoTime() - durationEndNanos >= 0) {
                retireSlot();
                return;
            }
            if (sent.get() < plan.requests() && System.nanoTime() - deadlineNanos >= 0) {
                stoppedByDeadline = true;
                retireSlot();
                return;
            }
            if (sent.getAndIncrement() >= plan.requests()) {
                retireSlot();
                return;
            }
            String key = key(plan.keyspace() == 0 ? 0 : random.nextLong(plan.keyspace()));
            long startNanos = System.nanoTime();
            CompletableFuture<?> answer;
            try {
                answer = operation.start(key);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((value, failure) -> {
                record(startNanos, failure);
                sendWanted();
            });
        }
    }
}
