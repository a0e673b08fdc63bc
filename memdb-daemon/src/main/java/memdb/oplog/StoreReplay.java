package memdb.oplog;

import java.util.function.Consumer;
import memdb.oplog.format.LogRecord;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * Applies replayed records to a {@link Store}: a SET becomes a value, a DELETE a tombstone, each with the
 * record's full timestamp (lamport and node id). The store's last-writer-wins rule decides, exactly as
 * it did when the records were first applied, so replay order cannot undo a delete.
 */
public final class StoreReplay implements Consumer<LogRecord> {
    private final Store store;

    public StoreReplay(Store store) {
        this.store = store;
    }

    @Override
    public void accept(LogRecord r) {
        switch (r.op()) {
            case SET -> store.apply(r.key(), Versioned.value(r.timestamp(), r.value()));
            case DELETE -> store.apply(r.key(), Versioned.tombstone(r.timestamp()));
            case CLOCK -> { } // only raises the replayed lamport high-water mark
            case CLUSTER -> { } // the cluster log: memdb.cluster.ClusterLog.Restored reads these
        }
    }
}
