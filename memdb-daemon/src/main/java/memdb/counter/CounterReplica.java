package memdb.counter;

import java.util.random.RandomGenerator;
import memdb.crdt.PnCounter;
import memdb.crdt.PnSlot;
import memdb.oplog.OpLog;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * The replica side of counters: leads an increment on this node's own slot, merges the states other
 * nodes send, answers reads; logs every change to the op log in the same step (DESIGN §4: records are
 * durable before the replies that depend on them leave).
 *
 * <p>Slot ownership (the Cassandra counter-leader rule): only this node writes its slot, so the slot
 * never goes backwards while the node runs. Across a restart it could: a log that lost its tail (fsync
 * {@code everysec} and a power cut, a truncated or damaged file recovered with force-recover, a disk
 * replaced) replays an older version of the slot than the peers hold, and counting on in it would put new
 * increments below the peers' copy, where the merge (per-slot maximum) swallows them. So every start
 * draws a fresh slot id (a COUNTER_SLOT record, the newest one replayed wins): the old slot stays counted
 * as the replicas hold it and is never written again. The price is one slot per start for each counter
 * the node leads increments of afterwards.
 *
 * <p>Idempotency: each slot remembers the ids of its owner's last {@link PnSlot#RECENT_OPERATIONS_MAX}
 * operations and travels with them, so a retried increment is recognised by any node holding that slot
 * version (the same leader always; another leader once the first one's slot reached it).
 */
public final class CounterReplica {
    private final Store store;
    private final CounterStore counters;
    private final OpLog opLog;

    /** What leading an increment did: the leader's counter afterwards, and the slot state to send the other replicas. */
    public record Led(PnCounter counter, PnCounter toReplicate, boolean duplicate) {}

    public CounterReplica(Store store, CounterStore counters, OpLog opLog) {
        this.store = store;
        this.counters = counters;
        this.opLog = opLog;
    }

    /**
     * Draws this start's slot id (never the one replayed from the log) and records it: increments led from
     * now on go to it.
     */
    public void drawSlotId(int nodeId, RandomGenerator random) {
        long slotId;
        do {
            slotId = ((long) nodeId << 48) | (random.nextLong() & 0xFFFF_FFFF_FFFFL);
        } while (counters.hasSlotId() && slotId == counters.slotId());
        counters.slotId(slotId);
        opLog.append(OpLog.Op.COUNTER_SLOT, CounterStore.SLOT_RECORD_KEY, new Timestamp(0, nodeId),
                CounterStore.slotIdBytes(slotId));
    }

    public long slotId() {
        return counters.slotId();
    }

    /**
     * Adds {@code delta} to this node's slot of the key's counter for {@code operationId}, or, when some slot
     * already remembers that operation (a retry), adds nothing and returns that slot to spread again.
     *
     * @throws memdb.protocol.MemDbException WRONG_TYPE when the key holds a value; INVALID_ARGUMENT when the
     *     counter would leave the 64-bit range
     */
    public Led lead(Key key, long operationId, long delta) {
        PnCounter current = counters.get(key);
        if (current == null) current = PnCounter.empty(epochForNew(key));
        PnSlot applied = current.slotThatApplied(operationId);
        if (applied != null) return new Led(current, PnCounter.of(current.epoch(), java.util.List.of(applied)), true);
        PnCounter next;
        try {
            next = current.add(counters.slotId(), operationId, delta);
        } catch (ArithmeticException e) {
            throw ErrorCode.INVALID_ARGUMENT.exception("adding " + delta + " to counter '" + key
                    + "' would take it outside the 64-bit range (it is " + current.value() + ")");
        }
        PnCounter ownSlot = PnCounter.of(next.epoch(), java.util.List.of(next.slot(counters.slotId())));
        counters.merge(key, ownSlot, store.get(key));
        opLog.append(OpLog.Op.COUNTER, key, next.epoch(), ownSlot.toBytes());
        return new Led(counters.get(key), ownSlot, false);
    }

    /**
     * Merges a state sent by another node into the key's counter and logs what changed; returns the
     * key's counter afterwards.
     *
     * @throws memdb.protocol.MemDbException WRONG_TYPE when a newer value holds the key
     */
    public PnCounter merge(Key key, PnCounter incoming) {
        Versioned plain = store.get(key);
        CounterStore.Merged merged = counters.merge(key, incoming, plain);
        if (merged.supersededByPlain() && !plain.isTombstone()) {
            throw ErrorCode.WRONG_TYPE.exception("key '" + key + "' holds a value newer than this counter");
        }
        if (merged.changed()) opLog.append(OpLog.Op.COUNTER, key, incoming.epoch(), incoming.toBytes());
        return merged.counter() != null ? merged.counter() : PnCounter.empty(plain != null ? plain.timestamp() : Timestamp.ZERO);
    }

    /**
     * The key's counter here: EMPTY when absent, an empty counter of the delete's time when deleted (so that
     * a reader merging replicas lets the delete win over an older counter).
     *
     * @throws memdb.protocol.MemDbException WRONG_TYPE when the key holds a value
     */
    public PnCounter read(Key key) {
        PnCounter counter = counters.get(key);
        if (counter != null) return counter;
        Versioned plain = store.get(key);
        if (plain == null) return PnCounter.EMPTY;
        if (!plain.isTombstone()) throw wrongType(key, "a value, not a counter");
        return PnCounter.empty(plain.timestamp());
    }

    /** @throws memdb.protocol.MemDbException WRONG_TYPE when the key holds a counter (for the plain-key operations) */
    public void checkNotCounter(Key key) {
        if (counters.isCounter(key)) throw wrongType(key, "a counter; use the counter commands");
    }

    /** A counter made now starts after the key's delete, if any; a value there makes it the wrong type. */
    private Timestamp epochForNew(Key key) {
        Versioned plain = store.get(key);
        if (plain == null) return Timestamp.ZERO;
        if (!plain.isTombstone()) throw wrongType(key, "a value, not a counter");
        return plain.timestamp();
    }

    private static memdb.protocol.MemDbException wrongType(Key key, String what) {
        return ErrorCode.WRONG_TYPE.exception("key '" + key + "' holds " + what);
    }
}
