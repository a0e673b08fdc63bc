package memdb.node;

import java.util.ArrayList;
import java.util.List;
import memdb.oplog.OpLog;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * An op log for tests: keeps the appended records, and either runs each commit's callback at once or
 * holds it until the test calls {@link #completeCommits()} (a slow fsync).
 */
final class RecordingOpLog implements OpLog {
    record Entry(Op op, Key key, Timestamp timestamp, byte[] value) {}

    final List<Entry> entries = new ArrayList<>();
    private final List<Runnable> pendingCommits = new ArrayList<>();
    private final boolean holdCommits;
    private int commits;
    private boolean closed;
    int clockReservations;
    final List<Entry> slotRecords = new ArrayList<>();
    final List<Entry> clusterRecords = new ArrayList<>();

    RecordingOpLog(boolean holdCommits) {
        this.holdCommits = holdCommits;
    }

    @Override
    public synchronized long append(Op op, Key key, Timestamp timestamp, byte[] value) {
        if (op == Op.CLOCK) {
            clockReservations++; // kept apart: tests count data records
            return 0;
        }
        if (op == Op.COUNTER_SLOT) {
            slotRecords.add(new Entry(op, key, timestamp, value)); // kept apart too: one per start
            return 0;
        }
        if (op == Op.CLUSTER) {
            clusterRecords.add(new Entry(op, key, timestamp, value)); // the cluster log, apart too
            return 0;
        }
        entries.add(new Entry(op, key, timestamp, value));
        events.add("append");
        return entries.size();
    }

    @Override
    public void commit(Runnable afterDurable) {
        synchronized (this) {
            commits++;
            events.add("commit");
            if (holdCommits) {
                pendingCommits.add(afterDurable);
                notifyAll();
                return;
            }
        }
        afterDurable.run();
    }

    /** Waits until at least {@code count} commits have been asked for. */
    synchronized void awaitCommits(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (commits < count && System.nanoTime() < deadline) wait(100);
    }

    /** Makes the held commits durable: runs their callbacks. */
    void completeCommits() {
        List<Runnable> toRun;
        synchronized (this) {
            toRun = new ArrayList<>(pendingCommits);
            pendingCommits.clear();
        }
        toRun.forEach(Runnable::run);
    }

    synchronized int commits() {
        return commits;
    }

    /** In order: "append" (a data record), "endBatch", "commit". */
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void endBatch() {
        events.add("endBatch");
        notifyAll();
    }

    synchronized List<String> events() {
        return new ArrayList<>(events);
    }

    /** Waits (up to 5 s) until at least {@code count} batches have ended; returns how many have. */
    synchronized int awaitBatchesEnded(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (batchesEnded() < count && System.nanoTime() < deadline) wait(100);
        return batchesEnded();
    }

    private int batchesEnded() {
        return java.util.Collections.frequency(events, "endBatch");
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
