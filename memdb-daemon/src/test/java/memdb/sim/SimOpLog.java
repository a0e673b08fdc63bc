package memdb.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import memdb.oplog.OpLog;
import memdb.oplog.format.Compactor;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * A simulated op log with group commit: {@link #append} buffers a record; {@link #commit} schedules a
 * simulated fsync (after 0..fsyncMsMax ms) that makes every record appended so far durable and only
 * then runs the waiting callbacks, in commit order. A crash ({@link #crash}) throws away the records
 * that were not yet durable and the callbacks still waiting, which is exactly what a real process loses.
 *
 * <p>Invariants: durable records are a prefix of the appended ones; callbacks run in commit order, each
 * after everything appended before its commit is durable; the log outlives the node's incarnations.
 */
final class SimOpLog implements OpLog {
    /** One logged change, as the file layer would keep it. */
    record Entry(Op op, Key key, Timestamp timestamp, byte[] value, long wallMs) {}

    private final EventQueue events;
    private final Random random;
    private final long fsyncMsMax;
    private final List<Entry> entries = new ArrayList<>();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int durable;
    private long epoch; // grows at each crash, so that an fsync scheduled before it does nothing
    private boolean fsyncScheduled;

    SimOpLog(EventQueue events, Random random, long fsyncMsMax) {
        this.events = events;
        this.random = random;
        this.fsyncMsMax = fsyncMsMax;
    }

    @Override
    public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
        entries.add(new Entry(op, key, timestamp, value, events.nowMs()));
        return entries.size();
    }

    @Override
    public void commit(Runnable afterDurable) {
        if (fsyncMsMax == 0) {
            durable = entries.size();
            afterDurable.run();
            return;
        }
        waiting.addLast(afterDurable);
        if (fsyncScheduled) return;
        fsyncScheduled = true;
        long scheduledIn = epoch;
        events.after(random.nextInt((int) fsyncMsMax + 1), () -> {
            if (scheduledIn == epoch) fsync();
        });
    }

    private void fsync() {
        fsyncScheduled = false;
        durable = entries.size();
        int ready = waiting.size();
        for (int i = 0; i < ready; i++) waiting.removeFirst().run();
    }

    /** The process died: what was not durable is gone, and so are the replies waiting for it. */
    void crash() {
        entries.subList(durable, entries.size()).clear();
        waiting.clear();
        fsyncScheduled = false;
        epoch++;
    }

    /** The disk is lost: nothing of the log is left. */
    void wipe() {
        crash();
        entries.clear();
        durable = 0;
    }

    /**
     * Online compaction of the durable records with the node's own rules ({@link Compactor}, as
     * {@code memdb.oplog.CompactionJob} runs it): the newest record per key, merged counters, hints still
     * owed, minus the tombstones {@link Compactor#purgeable} lets go (simulated time stands for wall time).
     * The CLOCK records stay: a real snapshot keeps their reservation as its lamport floor.
     */
    void compact(long graceMs, long repairedSinceMs) {
        Compactor compactor = new Compactor();
        List<Entry> kept = new ArrayList<>();
        for (int i = 0; i < durable; i++) {
            Entry e = entries.get(i);
            if (e.op() == Op.CLOCK) kept.add(e);
            else compactor.add(new LogRecord(i + 1, e.op(), e.timestamp(), e.wallMs(), e.key(), e.value()));
        }
        for (LogRecord r : compactor.result(events.nowMs(), graceMs, repairedSinceMs)) {
            kept.add(new Entry(r.op(), r.key(), r.timestamp(), r.value(), r.wallMillis()));
        }
        List<Entry> tail = new ArrayList<>(entries.subList(durable, entries.size()));
        entries.clear();
        entries.addAll(kept);
        durable = kept.size();
        entries.addAll(tail);
    }

    /** The durable records, oldest first: what a restarting node replays. */
    List<Entry> durableEntries() {
        return List.copyOf(entries.subList(0, durable));
    }

    @Override
    public void close() {}
}
