package memdb.sim;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The simulated clock and its agenda: events ordered by (time, sequence), where the sequence is the
 * order of scheduling, so that two events at the same millisecond always run in the same order. The
 * only notion of time in a simulation; nothing reads the wall clock.
 *
 * <p>Invariants: time never goes backwards; an event scheduled in the past runs "now"; the number of
 * events one run may execute is bounded ({@link #EVENTS_MAX}) so that a livelock fails instead of hanging.
 */
final class EventQueue {
    static final long EVENTS_MAX = 5_000_000;

    private record Event(long timeMs, long sequence, Runnable action) {}

    private final PriorityQueue<Event> agenda =
            new PriorityQueue<>(Comparator.comparingLong(Event::timeMs).thenComparingLong(Event::sequence));
    private long nowMs;
    private long sequence;
    private long executed;

    long nowMs() {
        return nowMs;
    }

    void at(long timeMs, Runnable action) {
        agenda.add(new Event(Math.max(timeMs, nowMs), sequence++, action));
    }

    void after(long delayMs, Runnable action) {
        at(nowMs + delayMs, action);
    }

    /** Runs events until {@code done} holds or the time passes {@code deadlineMs}; returns whether done. */
    boolean runUntil(BooleanSupplier done, long deadlineMs) {
        while (!done.getAsBoolean()) {
            Event next = agenda.peek();
            if (next == null || next.timeMs() > deadlineMs) {
                nowMs = Math.max(nowMs, deadlineMs);
                return done.getAsBoolean();
            }
            agenda.poll();
            nowMs = next.timeMs();
            if (++executed > EVENTS_MAX) throw new IllegalStateException("more than " + EVENTS_MAX + " events: livelock?");
            next.action().run();
        }
        return true;
    }

    /** Runs every event up to and including {@code timeMs}. */
    void runFor(long durationMs) {
        runUntil(() -> false, nowMs + durationMs);
    }

    long executed() {
        return executed;
    }
}
