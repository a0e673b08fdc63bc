package memdb.client;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A connection's request timeouts with one timer for the connection instead of one per request. Every call
 * on a connection has the same timeout and starts it on the connection's event loop, so the order in which
 * calls start is the order of their deadlines: they wait in a doubly linked list through the calls
 * themselves, oldest first; a call that completes leaves it in O(1) ({@link #cancel}), and one sweep,
 * scheduled for the oldest deadline, times out every call whose deadline has passed and schedules itself
 * for the next. Under steady load that is about one timer per timeout period per connection, where a
 * timer per request cost a priority-queue insert and removal each (docs/performance.md, "Session 5: native
 * pipelining").
 *
 * <p>Invariants: the list holds exactly the started calls that have been neither cancelled nor timed out,
 * in start order, which is deadline order; at most one sweep is pending, and one is pending whenever the
 * list is not empty; a call times out no earlier than its deadline (a sweep that runs early, after the
 * call it was scheduled for completed, only reschedules). Owned by one thread (the event loop); the clock
 * and the scheduler are parameters, so tests drive time by hand.
 */
final class CallTimeouts {
    /** Runs a task on the owning thread after a delay. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Runnable task, long delayNanos);
    }

    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final Consumer<Call> onTimeout;
    private Call oldest;
    private Call newest;
    private boolean sweepPending;

    /**
     * @param onTimeout called with each call whose deadline passed (already out of the list), on the owning
     *                  thread; it may start and cancel calls
     */
    CallTimeouts(long timeoutNanos, LongSupplier nanoTime, Scheduler scheduler, Consumer<Call> onTimeout) {
        if (timeoutNanos <= 0) throw new IllegalArgumentException("timeoutNanos must be positive");
        this.timeoutNanos = timeoutNanos;
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
        this.onTimeout = onTimeout;
    }

    /** Starts the call's timeout now; the call cancels it when it completes. */
    void start(Call call) {
        if (call.timeouts != null) throw new IllegalStateException("the call's timeout already started");
        call.timeouts = this;
        call.deadlineNanos = nanoTime.getAsLong() + timeoutNanos;
        call.earlier = newest;
        if (newest == null) oldest = call;
        else newest.later = call;
        newest = call;
        if (!sweepPending) scheduleSweep(call.deadlineNanos - nanoTime.getAsLong());
    }

    /** Takes the call out of the list (no effect when it is not in it). */
    void cancel(Call call) {
        if (call.timeouts != this) return;
        call.timeouts = null;
        if (call.earlier == null) oldest = call.later;
        else call.earlier.later = call.later;
        if (call.later == null) newest = call.earlier;
        else call.later.earlier = call.earlier;
        call.earlier = null;
        call.later = null;
    }

    boolean isEmpty() {
        return oldest == null;
    }

    /** Times out the calls whose deadline has passed, oldest first, and schedules the next sweep. */
    private void sweep() {
        long now = nanoTime.getAsLong();
        while (oldest != null && oldest.deadlineNanos - now <= 0) {
            Call expired = oldest;
            cancel(expired);
            onTimeout.accept(expired);
        }
        sweepPending = false;
        if (oldest != null) scheduleSweep(oldest.deadlineNanos - now);
    }

    private void scheduleSweep(long delayNanos) {
        sweepPending = true;
        scheduler.schedule(this::sweep, Math.max(0, delayNanos));
    }
}
