package memdb.oplog;

import java.util.function.Consumer;
import memdb.counter.CounterStore;
import memdb.crdt.PnCounter;
import memdb.oplog.format.Frame;
import memdb.oplog.format.LogRecord;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * Applies replayed records to a {@link Store}: a SET becomes a value, a DELETE a tombstone, each with the
 * record's full timestamp (lamport and node id). The store's last-writer-wins rule decides, exactly as
 * it did when the records were first applied, so replay order cannot undo a delete. COUNTER records are
 * merged into the counters (a PN-counter join: order and repetition do not matter), COUNTER_SLOT restores
 * the node's counter slot id.
 */
public final class StoreReplay implements Consumer<LogRecord>, Frame.Sink {
    private final Store store;
    private final CounterStore counters;

    public StoreReplay(Store store) {
        this(store, new CounterStore());
    }

    /** Replays values into {@code store} and counters (and the node's counter slot id) into {@code counters}. */
    public StoreReplay(Store store, CounterStore counters) {
        this.store = store;
        this.counters = counters;
    }

    @Override
    public void accept(LogRecord r) {
        switch (r.op()) {
            case SET -> plain(r, Versioned.value(r.timestamp(), r.value()));
            case DELETE -> plain(r, Versioned.tombstone(r.timestamp()));
            case CLOCK -> { } // only raises the replayed lamport high-water mark
            case COUNTER -> counters.merge(r.key(), PnCounter.fromBytes(r.value()), store.get(r.key()));
            case COUNTER_SLOT -> counters.slotId(CounterStore.slotIdOf(r.value()));
            case HINT -> { } // hinted handoff's, not the store's: the node hands them to its core
            case CLUSTER -> { } // the cluster log: memdb.cluster.ClusterLog.Restored reads these
            case PAXOS_PROMISE, PAXOS_ACCEPT -> { } // Paxos acceptor state: memdb.paxos.AcceptorStates reads these
        }
    }

    /**
     * Boot's fast path: a SET or DELETE goes from the read buffer straight into the store's entry (one copy,
     * no record objects); any other record is copied out and handed to {@link #accept(LogRecord)}.
     */
    @Override
    public void accept(Frame f) {
        if (f.op() != OpLog.Op.SET && f.op() != OpLog.Op.DELETE) {
            accept(f.toRecord());
            return;
        }
        boolean applied = store.applyFrom(f.buffer(), f.keyPosition(), f.keyLength(), f.valuePosition(), f.valueLength(),
                f.op() == OpLog.Op.DELETE, f.lamport(), f.nodeId());
        if (applied && counters.size() > 0) counters.onPlainVersion(f.key(), f.timestamp());
    }

    /** A value or tombstone replaces an older counter of the key, exactly as when it was first applied. */
    private void plain(LogRecord r, Versioned version) {
        if (store.apply(r.key(), version).applied()) counters.onPlainVersion(r.key(), r.timestamp());
    }
}
