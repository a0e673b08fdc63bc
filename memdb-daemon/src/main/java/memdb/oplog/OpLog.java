package memdb.oplog;

import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The node's write-ahead operation log, as the core sees it (docs/oplog.md).
 *
 * <p>Ordering rule: the core thread {@link #append}s the records of a batch of changes it has applied,
 * then calls {@link #commit} once with the code that sends the batch's replies, and {@link #endBatch} at the end
 * of every batch, committed or not. {@code commit} runs that
 * code only after every record appended so far is as durable as the fsync policy promises
 * ({@code always}: on disk, fsynced; {@code everysec}/{@code no}: written to the OS). Many writers'
 * records thus share one fsync (group commit). Both methods are called from the core thread only;
 * {@code afterDurable} may run inside {@code commit} on the calling thread (when nothing has to wait, e.g.
 * the records are already written to the OS under {@code everysec}/{@code no}) or later on another thread.
 */
public interface OpLog extends AutoCloseable {
    /**
     * The operation a record stands for. Codes are stable on disk. CLOCK records reserve Lamport time:
     * the node restarts its clock above every reservation, so it never reissues a timestamp it may have
     * handed out, even for writes it coordinated but does not hold. COUNTER records carry a PN-counter
     * state (whole or some slots) that replay merges in; COUNTER_SLOT records the node's counter slot id
     * (memdb.counter). PAXOS_PROMISE (timestamp: the promised ballot, no value) and PAXOS_ACCEPT (timestamp:
     * the accepted ballot, value: the proposal's origin and bytes, see memdb.paxos.AcceptorStates) are a
     * Paxos acceptor's durable state for a key (docs/cas.md); 8 is reserved for Paxos. HINT records are
     * hinted handoff: a version a replica missed, kept by its coordinator until the replica has it (the
     * value is a {@link memdb.oplog.format.HintPayload}; docs/oplog.md). CLUSTER records are the durable
     * cluster log (memdb.cluster.ClusterLog): membership changes and the progress of a join; the store
     * ignores them.
     */
    enum Op {
        SET(1), DELETE(2), CLOCK(3), COUNTER(4), COUNTER_SLOT(5), PAXOS_PROMISE(6), PAXOS_ACCEPT(7), HINT(9),
        CLUSTER(10);

        private final int code;

        Op(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        private static final Op[] BY_CODE = new Op[16];

        static {
            for (Op op : values()) BY_CODE[op.code] = op;
        }

        /** The op for a stable on-disk code, or null when the code is unknown (a newer format or damage). */
        public static Op fromCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /** Appends one record (buffered) and returns its per-node sequence number. */
    long append(Op op, Key key, Timestamp timestamp, byte[] value);

    /** Runs {@code afterDurable} once everything appended so far is durable under the fsync policy. */
    void commit(Runnable afterDurable);

    /**
     * Like {@link #commit}, but waits for an fsync whatever the policy: for records that must be on disk
     * before they are answered, such as Paxos promises and accepts (DESIGN §4). A log that persists
     * nothing runs it at once.
     */
    default void commitFsynced(Runnable afterFsynced) {
        commit(afterFsynced);
    }

    /**
     * The core thread ended a batch, committed or not (one that answers nobody commits nothing): what is
     * appended from now on belongs to the next batch. A log that stamps a batch's records with one wall time
     * ({@link FileOpLog}) reads the clock again at the next append.
     */
    default void endBatch() {}

    /**
     * Changes the settings that may change on a running log (called from the core thread, between two
     * batches of appends): the fsync policy governs every commit made after this call — under
     * {@code ALWAYS}, no such commit completes before an fsync covering its records — and the compaction
     * threshold and tombstone grace apply from the next compaction. A log that persists nothing ignores it.
     */
    default void reconfigure(FsyncPolicy fsync, long compactionThresholdBytes, java.time.Duration tombstoneGrace) {}

    @Override
    void close();

    /** A log that keeps nothing: for a node run without persistence and for tests of the core. */
    static OpLog none() {
        return new OpLog() {
            private long sequence;

            public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
                return ++sequence;
            }

            public void commit(Runnable afterDurable) {
                afterDurable.run();
            }

            public void close() {}
        };
    }
}
