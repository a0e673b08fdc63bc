package memdb.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import memdb.oplog.FsyncPolicy;
import memdb.oplog.OpLog;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The ack-before-fsync bug canary ({@link Canaries}; tests only): an op log that breaks the ordering rule
 * on purpose. A commit's callback (the batch's replies) runs at once, before its records are written;
 * the records wait in this process's memory and reach the real log only at a later commit at least
 * {@link #HOLD_MS} after the oldest of them, or at a clean close. So a kill -9 (or a power cut) in
 * that window loses writes that were acknowledged, which is the bug the fault harness must catch. (Held
 * in user space on purpose: records handed to the OS survive a kill -9, so an unfsynced write alone
 * would only show on a power cut.)
 *
 * <p>Invariants: records reach the real log in append order; at most {@link #HELD_MAX} are held. Core
 * thread only, like every op log.
 */
final class AckBeforeFsyncLog implements OpLog {
    static final long HOLD_MS = 1_000;
    static final int HELD_MAX = 100_000;

    private record Held(Op op, Key key, Timestamp timestamp, byte[] value) {}

    private final OpLog log;
    private final LongSupplier nowMs;
    private final List<Held> held = new ArrayList<>();
    private long heldSinceMs;
    private long sequence;

    AckBeforeFsyncLog(OpLog log, LongSupplier nowMs) {
        this.log = log;
        this.nowMs = nowMs;
    }

    @Override
    public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
        if (held.isEmpty()) heldSinceMs = nowMs.getAsLong();
        held.add(new Held(op, key, timestamp, value));
        return ++sequence;
    }

    @Override
    public void commit(Runnable afterDurable) {
        afterDurable.run(); // the bug: the replies leave before their records are even written
        if (held.size() >= HELD_MAX || (!held.isEmpty() && nowMs.getAsLong() - heldSinceMs >= HOLD_MS)) flush();
    }

    @Override
    public void commitFsynced(Runnable afterFsynced) {
        commit(afterFsynced);
    }

    @Override
    public void endBatch() {
        log.endBatch();
    }

    @Override
    public void reconfigure(FsyncPolicy fsync, long compactionThresholdBytes, java.time.Duration tombstoneGrace) {
        log.reconfigure(fsync, compactionThresholdBytes, tombstoneGrace);
    }

    private void flush() {
        for (Held record : held) log.append(record.op(), record.key(), record.timestamp(), record.value());
        held.clear();
        log.commit(() -> {});
    }

    /** A clean stop writes what is held: the canary is about kill -9, not about a clean shutdown. */
    @Override
    public void close() {
        if (!held.isEmpty()) flush();
        log.close();
    }
}
