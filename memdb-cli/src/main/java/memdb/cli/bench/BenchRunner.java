package memdb.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one test: {@code clients} logical clients share the pipelined MemDb connections (client c uses
 * operation c mod their number), each keeping up to {@code pipeline} requests in flight (a closed loop: an
 * answer sends the client's next request), until {@code requests} have been sent, the plan's duration has
 * passed (the test is then complete) or the deadline passes; then waits for the answers in flight.
 *
 * <p>A client's {@code pipeline} requests in flight are its {@link Slot}s: each slot has one request in flight
 * at a time and is the callback of its own request (it records the latency and sends the slot's next), so a
 * request costs the runner no object of its own. Slot 0 of client c draws its keys from the generator seeded
 * seed * 1000003 + c, slot p > 0 from the p-th split of it (taken before the test starts), so a run's keys
 * are reproducible. Without {@code -r} every key is the one string {@code key:000000000000}, made once.
 *
 * <p>Invariants: at most clients * pipeline requests are in flight; at most {@code requests} are sent; a
 * slot's sends are made by one thread at a time (the {@code wanted} counter below serializes them, and also
 * keeps a request that fails at once from recursing into the next). Every answered request, success or
 * failure, is counted and its latency recorded, in microseconds from just before the send to its answer.
 */
public final class BenchRunner {
    private static final long LATENCY_US_MAX = TimeUnit.MINUTES.toMicros(10);
    private static final int KEY_DIGITS = 12;
    private static final String KEY_PREFIX = "key:";

    private final List<BenchOperation> operations;
    private final BenchPlan plan;
    private final long deadlineNanos;
    private final boolean durationBound;
    /**
     * The one key of a run without -r, one String object for every request (null with -r): the client then
     * encodes it once (it reuses the encoding of the last key when the same String object comes again).
     */
    private final String onlyKey;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final AtomicInteger slotsActive;
    private final CountDownLatch finished = new CountDownLatch(1);
    /**
     * Latencies, one plain histogram per recording thread (almost always only the client's I/O thread: a
     * ConcurrentHistogram costs atomic updates on every record), added together when the test ends.
     */
    private final Queue<Histogram> latencyHistograms = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Histogram> latencyUs = ThreadLocal.withInitial(() -> {
        Histogram histogram = new Histogram(LATENCY_US_MAX, 3);
        latencyHistograms.add(histogram);
        return histogram;
    });
    private volatile boolean stoppedByDeadline;
    /** Set when the caller's stop rule says so: sending stops, and the test is complete (a warm-up that is done). */
    private volatile boolean stopRequested;
    /** When the plan has a duration: the time its sending stops (set before the first send). */
    private volatile long durationEndNanos;

    BenchRunner(BenchOperation operation, BenchPlan plan, long deadlineNanos) {
        this(List.of(operation), plan, deadlineNanos);
    }

    BenchRunner(List<BenchOperation> operations, BenchPlan plan, long deadlineNanos) {
        this.operations = List.copyOf(operations);
        this.plan = plan;
        this.deadlineNanos = deadlineNanos;
        this.durationBound = !plan.duration().isZero();
        this.onlyKey = plan.keyspace() == 0 ? key(0) : null;
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
        return run(label, null);
    }

    /** Asked while a test runs whether to stop sending. */
    @FunctionalInterface
    interface StopRule {
        /** @param nowNanos System.nanoTime; @param answered the requests answered so far */
        boolean stopNow(long nowNanos, long answered);
    }

    /**
     * {@link #run(String)}, asking {@code stopRule} every {@link JitSettling#WINDOW_NANOS} while requests go out
     * whether to stop sending: once it says so, the runner stops, waits for the answers in flight, and the test
     * counts as complete. Null: never.
     */
    TestResult run(String label, StopRule stopRule) throws InterruptedException {
        List<Slot> slots = new ArrayList<>(plan.inFlightMax());
        for (int c = 0; c < plan.clients(); c++) {
            SplittableRandom random = new SplittableRandom(plan.seed() * 1_000_003L + c);
            BenchOperation operation = operations.get(c % operations.size());
            for (int p = 0; p < plan.pipeline(); p++) slots.add(new Slot(p == 0 ? random : random.split(), operation));
        }
        long start = System.nanoTime();
        durationEndNanos = start + plan.duration().toNanos();
        for (Slot slot : slots) slot.sendWanted(System.nanoTime());
        long waitEndNanos = Math.max(start, deadlineNanos) + plan.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        boolean allAnswered = false;
        while (stopRule != null && !stopRequested && !allAnswered && System.nanoTime() - waitEndNanos < 0) {
            allAnswered = finished.await(Math.min(JitSettling.WINDOW_NANOS, waitEndNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!allAnswered && stopRule.stopNow(System.nanoTime(), answered.get())) stopRequested = true;
        }
        if (!allAnswered) allAnswered = finished.await(Math.max(0, waitEndNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean complete = allAnswered && !stoppedByDeadline;
        Histogram all = new Histogram(LATENCY_US_MAX, 3);
        for (Histogram recorded : latencyHistograms) all.add(recorded);
        return new TestResult(label, answered.get(), errors.get(), seconds,
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0,
                all.getValueAtPercentile(99.9) / 1000.0, all.getMaxValue() / 1000.0, complete);
    }

    /** Whether the stop rule of {@link #run(String, StopRule)} stopped the sending. */
    boolean stoppedByRule() {
        return stopRequested;
    }

    /** The key of index {@code index}: key:%012d. */
    static String key(long index) {
        String digits = Long.toString(index);
        if (digits.length() >= KEY_DIGITS) return KEY_PREFIX + digits;
        char[] key = new char[KEY_PREFIX.length() + KEY_DIGITS];
        KEY_PREFIX.getChars(0, KEY_PREFIX.length(), key, 0);
        int firstDigit = key.length - digits.length();
        Arrays.fill(key, KEY_PREFIX.length(), firstDigit, '0');
        digits.getChars(0, digits.length(), key, firstDigit);
        return new String(key);
    }

    private void record(long startNanos, long endNanos, Throwable failure) {
        long micros = (endNanos - startNanos) / 1000;
        latencyUs.get().recordValue(Math.min(Math.max(micros, 0), LATENCY_US_MAX));
        if (failure != null) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, failure);
        }
        answered.incrementAndGet();
    }

    private void retireSlot() {
        if (slotsActive.decrementAndGet() == 0) finished.countDown();
    }

    /** One request in flight of one logical client: its key generator, and the callback of its request. */
    private final class Slot implements BiConsumer<Object, Throwable> {
        private final SplittableRandom random;
        private final BenchOperation operation;
        /** Sends wanted and not yet made; only the thread that raised it from 0 sends. */
        private final AtomicInteger wanted = new AtomicInteger();
        /** When the request in flight was sent (written before the send, read by its callback). */
        private long startNanos;

        Slot(SplittableRandom random, BenchOperation operation) {
            this.random = random;
            this.operation = operation;
        }

        /**
         * The answer (or failure) of this slot's request: recorded, then the slot's next request goes out. One
         * clock reading ends this request's latency and starts the next one's (which therefore counts the few
         * hundred nanoseconds of bookkeeping in between, never less than the request took).
         */
        @Override
        public void accept(Object value, Throwable failure) {
            long now = System.nanoTime();
            record(startNanos, now, failure);
            sendWanted(now);
        }

        /** Asks for one more send: made now, or by the thread already sending for this slot. */
        void sendWanted(long now) {
            if (wanted.getAndIncrement() != 0) return;
            sendOne(now);
            while (wanted.decrementAndGet() != 0) sendOne(System.nanoTime());
        }

        private void sendOne(long now) {
            if (stopRequested || (durationBound && now - durationEndNanos >= 0)) {
                retireSlot();
                return;
            }
            if (sent.get() < plan.requests() && now - deadlineNanos >= 0) {
                stoppedByDeadline = true;
                retireSlot();
                return;
            }
            if (sent.getAndIncrement() >= plan.requests()) {
                retireSlot();
                return;
            }
            String key = onlyKey != null ? onlyKey : key(random.nextLong(plan.keyspace()));
            startNanos = now;
            try {
                operation.start(key, this);
            } catch (RuntimeException e) {
                accept(null, e);
            }
        }
    }
}
