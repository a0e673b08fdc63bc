package memdb.oplog;

import java.util.ArrayList;
import java.util.List;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The hand-off between the core thread (append, commit) and the writer thread (take): double-buffered
 * frames plus the commit callbacks waiting for them. This is where group commit happens: one
 * {@link #take} collects every record and every callback queued since the previous one. It also decides
 * ({@link #route}) whether a commit needs the writer at all: under EVERYSEC and NO the core thread writes
 * its records itself ({@link #takeRecords}) and runs the callback at once, and a commit with nothing to
 * wait for runs at once under every policy. The writer may take records between the core thread's append
 * and its commit ({@link #take} when it wakes): such a commit waits for that write ({@link #recordsWritten}),
 * not for the writer's I/O lock.
 *
 * <p>Invariants: sequence numbers are issued here, strictly increasing, in append order, which is also
 * file order; a callback is taken together with (or after) every record appended before its commit, so
 * once the writer has made a batch durable it may run the batch's callbacks; the buffered bytes and
 * waiting callbacks are bounded: the core thread blocks (backpressure) rather than grow them.
 *
 * <p>The fsync policy lives here, so that a change of policy ({@link #setFsync}) falls on a commit
 * boundary: every commit queued after the change is fsynced when the new policy is ALWAYS, and each
 * batch carries the policy in force when it was taken, for the writer's EVERYSEC timing. Callbacks run in
 * commit order: a commit is only run by the core thread while no callback waits for (or is being run by)
 * the writer.
 */
final class CommitQueue {
    static final int PENDING_COMMITS_MAX = 1 << 16;
    private static final byte[] NO_VALUE = new byte[0];

    private final int pendingBytesMax;
    private RecordBuffer pending = new RecordBuffer();
    private RecordBuffer spare = new RecordBuffer();
    private List<Runnable> callbacks = new ArrayList<>();
    private long sequence;
    private boolean closed;
    private boolean wakeRequested;
    private boolean writerWaiting;
    /** Threads blocked in {@link #awaitRoom}: only they need waking when room is made by the core thread's own write. */
    private int roomWaiters;
    private boolean fsyncRequired;
    /**
     * The writer took records ({@link #take}) and has not yet written them ({@link #recordsWritten}): a commit
     * made meanwhile must wait for that write, though nothing is pending any more.
     */
    private boolean recordsTaken;
    /** Callbacks the writer has taken and not yet run. */
    private int callbacksTaken;
    /** Every record up to this sequence is fsynced (replayed records count as on disk). */
    private long syncedSequence;
    private FsyncPolicy fsync;
    private Throwable failure;

    CommitQueue(long lastSequence, int pendingBytesMax, FsyncPolicy fsync) {
        this.sequence = lastSequence;
        this.syncedSequence = lastSequence;
        this.pendingBytesMax = pendingBytesMax;
        this.fsync = java.util.Objects.requireNonNull(fsync, "fsync");
    }

    /**
     * From the next commit on, the log follows {@code policy}. Makes the writer's {@link #take} return, so
     * that it waits again as the new policy says (e.g. EVERYSEC starts fsyncing what NO left unsynced).
     */
    synchronized void setFsync(FsyncPolicy policy) {
        fsync = java.util.Objects.requireNonNull(policy, "policy");
        wakeRequested = true;
        notifyAll();
    }

    synchronized FsyncPolicy fsync() {
        return fsync;
    }

    /** What the writer takes: frames to write, then callbacks to run once they are durable. */
    record Batch(RecordBuffer records, List<Runnable> callbacks, boolean fsyncRequired, boolean closing, FsyncPolicy fsync) {}

    /** Queues one record; a DELETE's value may be null or empty. Blocks while the pending bytes are at their limit. */
    synchronized long append(Op op, Key key, Timestamp timestamp, byte[] value, long wallMillis) {
        awaitRoom(() -> pending.size() > 0 && pending.size() >= pendingBytesMax);
        long next = sequence + 1;
        pending.add(next, op, timestamp, wallMillis, key, value == null ? NO_VALUE : value);
        sequence = next;
        if (writerWaiting && pending.size() >= pendingBytesMax / 2) notifyAll(); // drain early; a commit wakes it anyway
        return next;
    }

    /** Queues a callback for the next batch; {@code fsync}: that batch is fsynced whatever the policy. */
    synchronized void commit(Runnable afterDurable, boolean fsync) {
        if (afterDurable == null) throw new NullPointerException("afterDurable");
        awaitRoom(() -> callbacks.size() >= PENDING_COMMITS_MAX);
        callbacks.add(afterDurable);
        fsyncRequired |= fsync || this.fsync == FsyncPolicy.ALWAYS;
        if (writerWaiting) notifyAll(); // a busy writer takes it on its next turn, with everything queued meanwhile
    }

    /**
     * Where a commit's callback runs: at once (nothing to wait for), after the core thread wrote the pending
     * records, or on the writer.
     */
    enum Route {
        NOW,
        WRITE_HERE,
        /** Nothing left to write here, but the writer is writing records it took: once it has ({@link #awaitRecordsWritten}), run it here. */
        AFTER_WRITERS_WRITE,
        WRITER
    }

    /**
     * How the core thread completes its next commit. Only the core thread appends and commits, so the answer
     * stays true until its next call here (the writer only ever finishes work meanwhile). {@code fsync}: a
     * commitFsynced. Never waits.
     */
    synchronized Route route(boolean fsync) {
        checkUsable();
        if (!callbacks.isEmpty() || callbacksTaken > 0) return Route.WRITER; // keep commit order
        if (fsync || this.fsync == FsyncPolicy.ALWAYS) {
            return pending.size() == 0 && syncedSequence >= sequence ? Route.NOW : Route.WRITER;
        }
        if (pending.size() > 0) return Route.WRITE_HERE;
        // Nothing left to write (a read-only batch, or the writer took the records): the core thread must not
        // wait for the writer's I/O lock, which a segment seal holds across its fsync. Records the writer took
        // may not be written yet: it says when they are (or fails), and only then may the callback run.
        return recordsTaken ? Route.AFTER_WRITERS_WRITE : Route.NOW;
    }

    /** For the core thread's own write (under the writer's I/O lock): the pending records, replaced by an empty buffer. */
    synchronized RecordBuffer takeRecords() {
        checkUsable();
        RecordBuffer records = pending;
        pending = spare != null ? spare : new RecordBuffer();
        spare = null;
        // An append waiting for room, if any. Not a plain notifyAll: that woke the writer, waiting for work in
        // awaitWork, on every batch the core thread wrote itself, for nothing (1.5-2 µs of the writer's CPU per
        // unpipelined SET under everysec, session 9).
        if (roomWaiters > 0) notifyAll();
        return records;
    }

    /** Every record up to {@code sequenceHigh} is fsynced. */
    synchronized void synced(long sequenceHigh) {
        syncedSequence = Math.max(syncedSequence, sequenceHigh);
    }

    /** The writer wrote the records of the batch it took last (under its I/O lock, before releasing it). */
    synchronized void recordsWritten() {
        recordsTaken = false;
        notifyAll(); // a route waiting for them
    }

    /**
     * Waits while the writer holds records it took and has not written (a write, not an fsync: microseconds);
     * throws if the log fails meanwhile. For {@link Route#AFTER_WRITERS_WRITE}.
     */
    synchronized void awaitRecordsWritten() {
        awaitWhile(() -> recordsTaken, "the op log's writer");
    }

    /** The writer ran {@code count} callbacks it had taken. */
    synchronized void callbacksRan(int count) {
        callbacksTaken -= count;
    }

    private interface Condition {
        boolean holds();
    }

    private void awaitRoom(Condition full) {
        checkUsable();
        roomWaiters++;
        try {
            awaitWhile(full, "room in the op log");
        } finally {
            roomWaiters--;
        }
    }

    /** Waits on this queue's monitor while {@code condition} holds; throws once the log fails or closes meanwhile. */
    private void awaitWhile(Condition condition, String waitingFor) {
        while (condition.holds()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
            }
            checkUsable();
        }
    }

    private void checkUsable() {
        if (failure != null) throw new IllegalStateException("op log failed; the node must stop: " + failure, failure);
        if (closed) throw new IllegalStateException("op log closed");
    }

    /**
     * Waits up to {@code timeoutMillis} (0 = forever) for work: records, callbacks, a close or a wake-up. The
     * writer then takes it with {@link #take()} under its I/O lock, and calls {@link #recordsWritten} once
     * it has written the records, before releasing that lock.
     */
    synchronized void awaitWork(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (pending.size() == 0 && callbacks.isEmpty() && !closed && !wakeRequested) {
            long left = timeoutMillis == 0 ? 0 : deadline - System.currentTimeMillis();
            if (timeoutMillis != 0 && left <= 0) break;
            writerWaiting = true;
            try {
                wait(left);
            } finally {
                writerWaiting = false;
            }
        }
    }

    /** Takes all the work there is (possibly nothing), without waiting. */
    synchronized Batch take() {
        wakeRequested = false;
        Batch batch = new Batch(pending, callbacks, fsyncRequired, closed, fsync);
        recordsTaken = pending.size() > 0;
        callbacksTaken += callbacks.size();
        fsyncRequired = false;
        pending = spare != null ? spare : new RecordBuffer();
        spare = null;
        callbacks = new ArrayList<>();
        notifyAll();
        return batch;
    }

    /** Gives a written buffer back for reuse. */
    synchronized void recycle(RecordBuffer buffer) {
        buffer.clear();
        spare = buffer;
    }

    /** Makes the writer's {@link #take} return now, e.g. to start a requested compaction. */
    synchronized void wake() {
        wakeRequested = true;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The writer failed: no callback will run again, every later call throws. */
    synchronized void fail(Throwable cause) {
        if (failure == null) failure = cause;
        closed = true;
        callbacks.clear();
        notifyAll();
    }

    synchronized Throwable failure() {
        return failure;
    }

    synchronized long lastSequence() {
        return sequence;
    }
}
