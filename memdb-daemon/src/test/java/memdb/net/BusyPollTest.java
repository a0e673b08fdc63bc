package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.SelectStrategy;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * The core loop's wait ({@link BusyPoll}): work is handled at once; with none, the loop polls again, yielding between
 * polls, until a whole window has found nothing, and only then sleeps; any work restarts the window.
 */
class BusyPollTest {
    private long nowNanos = 1_000_000;
    private int yields;
    private int polls;
    /** What each non-blocking poll finds: ready sockets; 0 once empty. */
    private final Deque<Integer> readyPerPoll = new ArrayDeque<>();
    private final BusyPoll poll = new BusyPoll(50, () -> nowNanos, () -> yields++);

    private int next(boolean hasTasks) throws Exception {
        return poll.calculateStrategy(() -> {
            polls++;
            return readyPerPoll.isEmpty() ? 0 : readyPerPoll.poll();
        }, hasTasks);
    }

    @Test
    void readySocketsAreHandledAtOnce() throws Exception {
        readyPerPoll.add(3);
        assertEquals(3, next(false));
        assertEquals(0, yields);
    }

    @Test
    void queuedTasksAreRunAtOnceEvenWithNoSocketReady() throws Exception {
        assertEquals(0, next(true));
        assertEquals(1, polls);
        assertEquals(0, yields);
    }

    @Test
    void readySocketsFoundWithTasksQueuedAreHandledNotDropped() throws Exception {
        readyPerPoll.add(2);
        assertEquals(2, next(true), "the poll collected two sockets' events: the loop must handle them");
    }

    @Test
    void queuedTasksStartTheNextWindowAfresh() throws Exception {
        assertEquals(SelectStrategy.CONTINUE, next(false));
        nowNanos += 40_000;
        assertEquals(0, next(true), "a task queued from another thread within the window");
        nowNanos += 20_000;
        assertEquals(SelectStrategy.CONTINUE, next(false), "20 us after the task, 60 after the first idle poll");
        nowNanos += 50_000;
        assertEquals(SelectStrategy.SELECT, next(false));
    }

    @Test
    void withNothingToDoItPollsAgainYieldingUntilTheWindowIsOverThenSleeps() throws Exception {
        for (int micros = 0; micros < 50; micros += 10) {
            assertEquals(SelectStrategy.CONTINUE, next(false), "at " + micros + " us idle");
            nowNanos += 10_000;
        }
        assertEquals(5, yields);
        assertEquals(SelectStrategy.SELECT, next(false), "a whole window found nothing");
        assertEquals(5, yields, "no yield before sleeping");
    }

    @Test
    void workWithinTheWindowStartsTheNextWindowAfresh() throws Exception {
        assertEquals(SelectStrategy.CONTINUE, next(false));
        nowNanos += 40_000;
        readyPerPoll.add(1);
        assertEquals(1, next(false), "the client sent again within the window: the loop is awake for it");
        nowNanos += 20_000; // 60 us after the first idle poll, but only 20 after the work
        assertEquals(SelectStrategy.CONTINUE, next(false));
        nowNanos += 49_000;
        assertEquals(SelectStrategy.CONTINUE, next(false), "49 us into the new window");
        nowNanos += 1_000;
        assertEquals(SelectStrategy.SELECT, next(false));
    }

    @Test
    void afterSleepingTheNextIdleSpellGetsAWholeWindow() throws Exception {
        next(false);
        nowNanos += 50_000;
        assertEquals(SelectStrategy.SELECT, next(false));
        nowNanos += 5_000_000; // slept, then woken by a timer task that has run
        assertEquals(SelectStrategy.CONTINUE, next(false));
        nowNanos += 49_000;
        assertEquals(SelectStrategy.CONTINUE, next(false));
    }

    @Test
    void aWindowOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BusyPoll(0));
        assertThrows(IllegalArgumentException.class, () -> new BusyPoll(-5));
    }
}
