package memdb.net;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How the core's event loop waits for work (busy-poll-us): once it has nothing left to do, it keeps polling
 * its sockets without sleeping (a non-blocking epoll_wait, yielding the CPU between polls) for up to a window,
 * and sleeps in a blocking wait only after a whole window found nothing. Linux's busy_poll, for one thread.
 *
 * <p>Why: a loop that sleeps between requests is woken by the kernel for the next one, and that wake-up is
 * paid on both sides of the connection: the sender's kernel work wakes the sleeping thread (on this machine a
 * cross-CPU wake-up of a virtual CPU), and the woken thread switches back in. A client that sends its next
 * request within the window finds the loop awake. Measured in docs/performance.md ("Session 15"): unpipelined
 * RESP throughput up 5-8% against the same build sleeping at once; pipelined, within this machine's noise; three
 * nodes sharing two cores lose to polling without the yield, and hold about even with it.
 *
 * <p>Cost: one window of polling after each wake-up, whether a socket's or a timer's: the node's own CPU a request
 * rises (unpipelined 14-19% here, ~16 to ~18 µs; pipelined 2-15%), and an idle node polls 50 µs after each of its
 * timers. Yielding between polls lets any other runnable thread of this kernel on this CPU (another node, the op
 * log's writer, the collector) go first; the polling still counts against a CPU quota (a container's cgroup
 * limit), where 0 is the better setting. With the NIO transport a wake-up left pending by a sleep makes each poll
 * of the next window wake the selector again: bounded, NIO only.
 *
 * <p>One instance per event loop (Netty asks the factory once per loop); called on that loop's thread only.
 */
public final class BusyPoll implements SelectStrategy {
    private static final long NOT_IDLE = Long.MIN_VALUE;

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Runnable yield;
    /** When the loop last found nothing to do after having work; NOT_IDLE while it has work. */
    private long idleSinceNanos = NOT_IDLE;

    public BusyPoll(long windowMicros) {
        this(windowMicros, System::nanoTime, Thread::yield);
    }

    BusyPoll(long windowMicros, LongSupplier nanoClock, Runnable yield) {
        if (windowMicros <= 0) throw new IllegalArgumentException("busy-poll window must be positive: " + windowMicros);
        this.windowNanos = windowMicros * 1_000;
        this.nanoClock = nanoClock;
        this.yield = yield;
    }

    /**
     * Polls once; with sockets ready or tasks queued, handles them (the poll's count of ready sockets); with
     * neither, polls again ({@link #CONTINUE}) until the window since the loop went idle is over, then sleeps
     * ({@link #SELECT}).
     */
    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            idleSinceNanos = NOT_IDLE;
            return ready;
        }
        long now = nanoClock.getAsLong();
        if (idleSinceNanos == NOT_IDLE) idleSinceNanos = now;
        if (now - idleSinceNanos < windowNanos) {
            yield.run();
            return CONTINUE;
        }
        idleSinceNanos = NOT_IDLE;
        return SELECT;
    }
}
