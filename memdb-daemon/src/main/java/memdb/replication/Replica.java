package memdb.replication;

import memdb.counter.CounterStore;
import memdb.oplog.OpLog;
import memdb.protocol.ErrorCode;
import memdb.protocol.ClusterResponses.ReplicaAck;
import memdb.protocol.Key;
import memdb.protocol.Responses.Value;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * The replica side of replication: applies versions to the local store by last-writer-wins and logs
 * every applied change to the op log; answers reads with the local version (tombstones included, so
 * that a coordinator can tell "deleted at t" from "never written").
 *
 * <p>Invariant: a change is appended to the op log in the same step that applies it, before any reply
 * that depends on it can leave (the node releases replies only after {@link OpLog#commit}).
 */
public final class Replica {
    private final Store store;
    private final OpLog opLog;
    private final CounterStore counters;

    public Replica(Store store, OpLog opLog) {
        this(store, opLog, new CounterStore());
    }

    /** A replica whose keys may also hold counters: a plain version newer than a key's counter replaces it. */
    public Replica(Store store, OpLog opLog, CounterStore counters) {
        this.store = store;
        this.opLog = opLog;
        this.counters = counters;
    }

    public ReplicaAck apply(Key key, Versioned version) {
        Store.Applied applied = store.apply(key, version);
        if (applied.applied()) {
            counters.onPlainVersion(key, version.timestamp());
            opLog.append(version.isTombstone() ? OpLog.Op.DELETE : OpLog.Op.SET, key, version.timestamp(), version.value());
            return new ReplicaAck(true, applied.previousWasLive(), version.timestamp());
        }
        return new ReplicaAck(false, applied.previousWasLive(), applied.heldTimestamp());
    }

    /** @throws memdb.protocol.MemDbException WRONG_TYPE when the key holds a counter */
    public Value read(Key key) {
        checkNotCounter(key);
        Versioned v = store.get(key);
        if (v == null) return Value.ABSENT;
        return v.isTombstone() ? Value.tombstone(v.timestamp()) : Value.present(v.timestamp(), v.value());
    }

    /** @throws memdb.protocol.MemDbException WRONG_TYPE when the key holds a counter (DESIGN §3) */
    public void checkNotCounter(Key key) {
        if (counters.isCounter(key)) {
            throw ErrorCode.WRONG_TYPE.exception("key '" + key + "' holds a counter; use the counter commands");
        }
    }

    public Store store() {
        return store;
    }

    /** The version a Value stands for (PRESENT or TOMBSTONE). */
    public static Versioned versionOf(Value value) {
        return switch (value.state()) {
            case PRESENT -> Versioned.value(value.timestamp(), value.value());
            case TOMBSTONE -> Versioned.tombstone(value.timestamp());
            case ABSENT -> throw new IllegalArgumentException("ABSENT is no version");
        };
    }
}
