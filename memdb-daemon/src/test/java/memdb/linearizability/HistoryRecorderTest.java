package memdb.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The recorder as the CAS workloads will use it: real threads against an atomic register
 * ({@link AtomicReference}, linearizable by the Java memory model), recording invoke before each
 * call and the outcome after. The recorded history must check linearizable.
 */
class HistoryRecorderTest {
    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 40;

    @Test
    void concurrentClientsOfAnAtomicRegisterRecordALinearizableHistory() throws InterruptedException {
        AtomicReference<String> register = new AtomicReference<>();
        HistoryRecorder recorder = new HistoryRecorder(System::nanoTime, 2 * THREADS * OPERATIONS_PER_THREAD);
        List<Thread> threads = new ArrayList<>();
        for (int process = 0; process < THREADS; process++) {
            int client = process;
            threads.add(new Thread(() -> runClient(client, register, recorder, new SplittableRandom(client))));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        History history = recorder.history();
        assertEquals(THREADS * OPERATIONS_PER_THREAD, history.operations().size());
        CheckResult result = Checks.check(history);
        assertInstanceOf(CheckResult.Linearizable.class, result, () -> Checks.describe(result));
    }

    @Test
    void keysAreCheckedSeparately() {
        KeyedHistories histories = new KeyedHistories(new java.util.concurrent.atomic.AtomicLong()::incrementAndGet, 4, 100);
        HistoryRecorder lock = histories.recorder("lock");
        HistoryRecorder counter = histories.recorder("counter");
        lock.invoke(1, Input.cas(null, "held"));
        counter.invoke(2, Input.write("1"));
        lock.ok(1, Output.swapped(true));
        counter.ok(2, Output.written());
        lock.invoke(2, Input.cas(null, "held"));
        lock.ok(2, Output.swapped(true)); // a second winner: the lock is broken, the counter is fine
        var results = histories.check(Checks.checker());
        assertInstanceOf(CheckResult.Violation.class, results.get("lock"));
        assertInstanceOf(CheckResult.Linearizable.class, results.get("counter"));
    }

    /**
     * {@link AtomicReference#compareAndSet} compares references, not strings; the first version of
     * this test used it directly and the checker duly reported a cas that answered false while the
     * register held an equal string. Linearizes at the read (false) or at the successful swap (true).
     */
    private static boolean compareAndSetByValue(AtomicReference<String> register, String expected, String value) {
        while (true) {
            String current = register.get();
            if (!Objects.equals(current, expected)) {
                return false;
            }
            if (register.compareAndSet(current, value)) {
                return true;
            }
        }
    }

    private static void runClient(int process, AtomicReference<String> register, HistoryRecorder recorder, SplittableRandom random) {
        for (int count = 0; count < OPERATIONS_PER_THREAD; count++) {
            String value = Integer.toString(random.nextInt(3));
            switch (random.nextInt(3)) {
                case 0 -> {
                    recorder.invoke(process, Input.read());
                    recorder.ok(process, Output.value(register.get()));
                }
                case 1 -> {
                    recorder.invoke(process, Input.write(value));
                    register.set(value);
                    recorder.ok(process, Output.written());
                }
                default -> {
                    String expected = random.nextInt(4) == 0 ? null : Integer.toString(random.nextInt(3));
                    recorder.invoke(process, Input.cas(expected, value));
                    recorder.ok(process, Output.swapped(compareAndSetByValue(register, expected, value)));
                }
            }
        }
    }
}
