package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;

/**
 * The per-connection timeouts on a hand-driven clock and scheduler: each call times out at its own deadline
 * (never before), a completed call never does, one sweep at a time is pending, and a call started from a
 * timeout's callback gets its own full timeout.
 */
class CallTimeoutsTest {
    private static final long TIMEOUT = 1_000;

    /** A clock and a scheduler driven by the test: {@link #advanceTo} runs the tasks that fall due, in order. */
    private static final class ManualTime implements CallTimeouts.Scheduler {
        private record Task(long atNanos, long order, Runnable task) {}

        long now;
        private long order;
        private final PriorityQueue<Task> tasks = new PriorityQueue<>(
                Comparator.comparingLong(Task::atNanos).thenComparingLong(Task::order));

        @Override
        public void schedule(Runnable task, long delayNanos) {
            assertTrue(delayNanos >= 0, "a negative delay");
            tasks.add(new Task(now + delayNanos, order++, task));
        }

        int pending() {
            return tasks.size();
        }

        void advanceTo(long nanos) {
            while (!tasks.isEmpty() && tasks.peek().atNanos() <= nanos) {
                Task next = tasks.poll();
                now = next.atNanos();
                next.task().run();
            }
            now = nanos;
        }
    }

    private final ManualTime time = new ManualTime();
    private final List<Call> timedOut = new ArrayList<>();
    private final List<Long> timedOutAt = new ArrayList<>();
    private final CallTimeouts timeouts = new CallTimeouts(TIMEOUT, () -> time.now, time, call -> {
        timedOut.add(call);
        timedOutAt.add(time.now);
        call.fail(Failures.timedOut(new NodeAddress("127.0.0.1", 1), java.time.Duration.ofNanos(TIMEOUT)));
    });

    private Call startAt(long nanos) {
        time.advanceTo(nanos);
        Call call = new Call(new Requests.Ping());
        timeouts.start(call);
        return call;
    }

    @Test
    void eachCallTimesOutAtItsOwnDeadlineAndNotBefore() {
        Call a = startAt(0);
        Call b = startAt(10);
        Call c = startAt(500);
        assertEquals(1, time.pending(), "one sweep for the connection, not one timer per call");
        time.advanceTo(999);
        assertEquals(List.of(), timedOut);
        time.advanceTo(1_000);
        assertEquals(List.of(a), timedOut);
        time.advanceTo(1_499);
        assertEquals(List.of(a, b), timedOut);
        assertEquals(List.of(1_000L, 1_010L), timedOutAt);
        time.advanceTo(5_000);
        assertEquals(List.of(a, b, c), timedOut);
        assertEquals(List.of(1_000L, 1_010L, 1_500L), timedOutAt);
        assertTrue(timeouts.isEmpty());
        assertEquals(0, time.pending(), "nothing left to time out, no sweep pending");
        assertTrue(c.result().isCompletedExceptionally());
    }

    @Test
    void aCompletedCallLeavesTheListAndNeverTimesOutWhereverItIs() {
        Call first = startAt(0);
        Call middle = startAt(1);
        Call last = startAt(2);
        middle.succeed(new Responses.Ok());
        first.succeed(new Responses.Ok());
        time.advanceTo(1_001);
        assertEquals(List.of(), timedOut, "the sweep for the first call's deadline finds nothing due and reschedules");
        assertEquals(1, time.pending());
        time.advanceTo(1_002);
        assertEquals(List.of(last), timedOut);
        last.succeed(new Responses.Ok()); // already failed: no effect, no second removal
        assertTrue(timeouts.isEmpty());
    }

    @Test
    void aCallStartedByATimeoutCallbackGetsItsOwnFullTimeoutAndOneSweep() {
        List<Call> retries = new ArrayList<>();
        CallTimeouts[] retrying = new CallTimeouts[1];
        retrying[0] = new CallTimeouts(TIMEOUT, () -> time.now, time, call -> {
            timedOutAt.add(time.now);
            call.fail(Failures.clientClosed());
            if (retries.isEmpty()) { // the first timeout starts a retry, as a failover would
                Call retry = new Call(new Requests.Ping());
                retries.add(retry);
                retrying[0].start(retry);
            }
        });
        retrying[0].start(new Call(new Requests.Ping()));
        time.advanceTo(1_000);
        assertEquals(List.of(1_000L), timedOutAt);
        assertEquals(1, time.pending(), "the retry's sweep, scheduled once when the sweep ended");
        time.advanceTo(1_999);
        assertEquals(List.of(1_000L), timedOutAt);
        time.advanceTo(2_000);
        assertEquals(List.of(1_000L, 2_000L), timedOutAt);
        assertEquals(0, time.pending());
    }

    @Test
    void aCallsTimeoutStartsOnce() {
        Call call = startAt(0);
        assertThrows(IllegalStateException.class, () -> timeouts.start(call));
    }

    @Test
    void randomStartsAndCompletionsTimeOutExactlyTheCallsLeftAtTheirDeadlines() {
        for (int seed = 0; seed < 100; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Call> calls = new ArrayList<>();
            List<Long> startedAt = new ArrayList<>();
            List<Boolean> completedEarly = new ArrayList<>();
            timedOut.clear();
            timedOutAt.clear();
            long now = time.now;
            for (int i = 0; i < 500; i++) {
                now += random.nextInt(20);
                Call call = startAt(now);
                calls.add(call);
                startedAt.add(now);
                completedEarly.add(false);
                if (random.nextInt(3) > 0) {
                    int victim = random.nextInt(calls.size());
                    if (!calls.get(victim).isDone()) {
                        calls.get(victim).succeed(new Responses.Ok());
                        completedEarly.set(victim, true);
                    }
                }
                assertTrue(time.pending() <= 1, "seed " + seed + ": at most one sweep pending");
            }
            time.advanceTo(now + 2 * TIMEOUT);
            for (int i = 0; i < calls.size(); i++) {
                int index = timedOut.indexOf(calls.get(i));
                assertEquals(!completedEarly.get(i), index >= 0, "seed " + seed + " call " + i);
                if (index >= 0) assertEquals(startedAt.get(i) + TIMEOUT, timedOutAt.get(index), "seed " + seed + " call " + i);
            }
            assertTrue(timeouts.isEmpty());
            assertFalse(time.pending() > 0, "seed " + seed);
        }
    }
}
