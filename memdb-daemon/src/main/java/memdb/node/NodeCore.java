package memdb.node;

import memdb.clock.LamportClock;
import memdb.oplog.OpLog;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * The request logic of one node, without I/O, threads or time: a decoded request and the sender's Lamport
 * time in, a response out (DESIGN §3). A single node serves every consistency level locally; the cluster
 * coordinator comes later.
 *
 * <p>Invariants: every request first merges the sender's time into the clock; every write gets a fresh
 * {@link LamportClock#tick()} timestamp, so it is ordered after everything this node has seen; a change
 * that the store applies is appended to the op log in the same call. Ordering rule (OpLog): the caller
 * must {@link OpLog#commit} the appended records before it sends the responses that depend on them.
 * Operating errors (a key or value over the limits) come back as {@link Responses.Error}; the state is
 * then unchanged. Not thread-safe: owned by the node's core thread.
 */
public final class NodeCore {
    private final LamportClock clock;
    private final Store store;
    private final OpLog opLog;
    private final int valueBytesMax;

    public NodeCore(LamportClock clock, Store store, OpLog opLog, int valueBytesMax) {
        this.clock = clock;
        this.store = store;
        this.opLog = opLog;
        this.valueBytesMax = valueBytesMax;
    }

    /** Handles one request that arrived with the sender's Lamport time {@code requestLamport}. */
    public Response handle(Request request, long requestLamport) {
        clock.observe(requestLamport);
        try {
            return dispatch(request);
        } catch (MemDbException e) {
            return Responses.Error.of(e);
        }
    }

    /** The node's Lamport time, to stamp on responses. */
    public long lamportTime() {
        return clock.time();
    }

    private Response dispatch(Request request) {
        if (request instanceof Requests.Get get) return get(get.key().validate());
        if (request instanceof Requests.Set set) return set(set.key().validate(), set.value());
        if (request instanceof Requests.Delete delete) return write(delete.key().validate(), OpLog.Op.DELETE, null);
        if (request instanceof Requests.Contains contains) return new Responses.Bool(store.getValue(contains.key().validate()) != null);
        if (request instanceof Requests.Ping) return new Responses.Ok();
        // AUTH belongs to the connection (memdb.net.Session); reaching the core is a wiring bug.
        throw new IllegalStateException("the core does not handle " + request.opcode());
    }

    /** A deleted key reads as not present, with the tombstone's timestamp (which a quorum read needs). */
    private Response get(Key key) {
        Versioned version = store.get(key);
        if (version == null) return Responses.Value.ABSENT;
        if (version.isTombstone()) return Responses.Value.tombstone(version.timestamp());
        return Responses.Value.present(version.timestamp(), version.value());
    }

    private Response set(Key key, byte[] value) {
        if (value.length > valueBytesMax) {
            throw ErrorCode.VALUE_TOO_LARGE.exception(
                    "value is " + value.length + " bytes; the limit is " + valueBytesMax + " (max-value-bytes)");
        }
        return write(key, OpLog.Op.SET, value);
    }

    /** Writes a value ({@code value} non-null) or a tombstone, last-writer-wins, and logs it if applied. */
    private Response write(Key key, OpLog.Op op, byte[] value) {
        Timestamp timestamp = clock.tick();
        Versioned version = value == null ? Versioned.tombstone(timestamp) : Versioned.value(timestamp, value);
        Store.Applied applied = store.apply(key, version);
        if (applied.applied()) opLog.append(op, key, timestamp, version.value());
        return new Responses.Written(timestamp, applied.previousWasLive(), applied.superseded());
    }
}
