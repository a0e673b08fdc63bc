package memdb.oplog;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Paces a background job's use of a CPU: after each {@code workNanos} of work the job rests {@code restNanos}.
 * An online compaction is the one user (docs/oplog.md, "Pacing"): at full speed it held a core for ~100 ms at a
 * time (a million log records of one hot key), and on a machine whose cores the node's event loop and its
 * clients keep busy, the loop then waited for a CPU a scheduler slice at a time, which was most of the op log's
 * p99 under load. Resting as long as it works, the compactor takes at most half a core and never holds one for
 * longer than one short burst; a compaction takes about twice as long, in the background.
 *
 * <p>The job calls {@link #step()} once per unit of work (a record); the clock is read once per
 * {@link #STEPS_PER_CHECK} steps, so pacing costs a counter per record. Not thread-safe: one job, one pacer.
 */
final class Pacer {
    /** Steps between two readings of the clock. */
    static final int STEPS_PER_CHECK = 256;
    /** The online compactor's burst and rest. */
    static final long COMPACTION_WORK_NANOS = 1_000_000;
    static final long COMPACTION_REST_NANOS = 1_000_000;

    private final long workNanos;
    private final long restNanos;
    private final LongSupplier clock;
    private final LongConsumer rest;
    private int stepsSinceCheck;
    private long burstStart = Long.MIN_VALUE;
    private long rests;

    Pacer(long workNanos, long restNanos, LongSupplier clock, LongConsumer rest) {
        if (workNanos <= 0 || restNanos < 0) throw new IllegalArgumentException("work must be > 0 and rest >= 0 nanoseconds");
        this.workNanos = workNanos;
        this.restNanos = restNanos;
        this.clock = clock;
        this.rest = rest;
    }

    /** A pacer that never rests (offline compaction, a boot's rewrite: nothing else needs the CPU). */
    static Pacer none() {
        return new Pacer(Long.MAX_VALUE, 0, () -> 0, nanos -> {});
    }

    /** The online compactor's: {@link #COMPACTION_WORK_NANOS} of work, then {@link #COMPACTION_REST_NANOS} parked. */
    static Pacer forCompaction() {
        return new Pacer(COMPACTION_WORK_NANOS, COMPACTION_REST_NANOS, System::nanoTime, LockSupport::parkNanos);
    }

    /** One unit of work done; rests when the current burst has lasted {@code workNanos}. */
    void step() {
        if (++stepsSinceCheck < STEPS_PER_CHECK) return;
        stepsSinceCheck = 0;
        long now = clock.getAsLong();
        if (burstStart == Long.MIN_VALUE) {
            burstStart = now;
        } else if (now - burstStart >= workNanos) {
            rests++;
            rest.accept(restNanos);
            burstStart = clock.getAsLong();
        }
    }

    /** How many times the job rested. */
    long rests() {
        return rests;
    }
}
