package memdb.paxos;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import memdb.oplog.OpLog;
import memdb.protocol.Key;
import memdb.protocol.StateTransferMessages;
import memdb.protocol.Timestamp;
import memdb.ring.Ring;
import memdb.ring.TokenRange;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * The Paxos acceptor state of a node's keys (docs/cas.md): per key, the highest ballot promised and the
 * highest proposal accepted (ballot, origin, value) that is not yet known to be committed. Rebuilt at
 * boot from the op log's PAXOS_PROMISE and PAXOS_ACCEPT records ({@link #restore}), then
 * {@link #prune}d against the store.
 *
 * <p>Invariant (what bounds the memory): a key's committed value is stored with its ballot as timestamp,
 * and the stored version's timestamp acts as a promise floor; so state at or below the stored version is
 * dead and is dropped: an entry lives only while a promise or an accepted proposal is above the store.
 */
public final class AcceptorStates {
    private static final byte[] EMPTY = new byte[0];
    private static final int ORIGIN_BYTES = Long.BYTES + Short.BYTES;

    /** One key's acceptor state; {@code acceptedBallot} ZERO means nothing accepted. */
    static final class State {
        Timestamp promised = Timestamp.ZERO;
        Timestamp acceptedBallot = Timestamp.ZERO;
        Timestamp acceptedOrigin = Timestamp.ZERO;
        byte[] acceptedValue = EMPTY;

        boolean hasAccepted() {
            return !acceptedBallot.equals(Timestamp.ZERO);
        }
    }

    private final Map<Key, State> states = new HashMap<>();

    /** Keys with live acceptor state. */
    public int size() {
        return states.size();
    }

    State get(Key key) {
        return states.get(key);
    }

    State getOrCreate(Key key) {
        return states.computeIfAbsent(key, k -> new State());
    }

    /**
     * The live state of the keys in {@code range} that sort after {@code after}, in key order, up to about
     * {@code bytesMax} (at least one entry when any is left): a chunk of a move's acceptor-state transfer.
     */
    public StateTransferMessages.PaxosStateChunk scan(TokenRange range, Key after, int bytesMax) {
        List<Key> keys = new ArrayList<>();
        for (Key key : states.keySet()) {
            if (key.compareTo(after) > 0 && range.contains(Ring.position(key))) keys.add(key);
        }
        keys.sort(null);
        List<StateTransferMessages.AcceptorEntry> entries = new ArrayList<>();
        long bytes = 0;
        for (Key key : keys) {
            if (!entries.isEmpty() && (bytes >= bytesMax || entries.size() == StateTransferMessages.ITEMS_MAX)) break;
            State s = states.get(key);
            StateTransferMessages.AcceptorEntry e = new StateTransferMessages.AcceptorEntry(key, s.promised, s.acceptedBallot,
                    s.acceptedOrigin, s.acceptedValue);
            entries.add(e);
            bytes += e.wireBytes();
        }
        return new StateTransferMessages.PaxosStateChunk(entries, entries.size() < keys.size());
    }

    /** Drops the state of every key {@code keep} rejects (the keys a node no longer replicates). */
    public int dropUnless(java.util.function.Predicate<Key> keep) {
        int before = states.size();
        states.keySet().removeIf(key -> !keep.test(key));
        return before - states.size();
    }

    /** Replays one op-log record; records of other kinds are ignored. */
    public void restore(OpLog.Op op, Key key, Timestamp timestamp, byte[] value) {
        if (op == OpLog.Op.PAXOS_PROMISE) {
            State s = getOrCreate(key);
            if (timestamp.isAfter(s.promised)) s.promised = timestamp;
        } else if (op == OpLog.Op.PAXOS_ACCEPT) {
            State s = getOrCreate(key);
            if (timestamp.isAfter(s.promised)) s.promised = timestamp;
            if (timestamp.isAfter(s.acceptedBallot)) {
                s.acceptedBallot = timestamp;
                s.acceptedOrigin = originOf(value);
                s.acceptedValue = valueOf(value);
            }
        }
    }

    /** Drops every key's state that the store's versions have overtaken (after a replay). */
    public void prune(Store store) {
        Iterator<Map.Entry<Key, State>> it = states.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, State> e = it.next();
            if (pruned(e.getValue(), stored(store, e.getKey()))) it.remove();
        }
    }

    /** Prunes one key's state against its stored version. */
    void prune(Key key, Timestamp stored) {
        State s = states.get(key);
        if (s != null && pruned(s, stored)) states.remove(key);
    }

    /** Clears what the stored version overtook; true when nothing is left. */
    private static boolean pruned(State s, Timestamp stored) {
        if (s.hasAccepted() && !s.acceptedBallot.isAfter(stored)) {
            s.acceptedBallot = Timestamp.ZERO;
            s.acceptedOrigin = Timestamp.ZERO;
            s.acceptedValue = EMPTY;
        }
        return !s.hasAccepted() && !s.promised.isAfter(stored);
    }

    static Timestamp stored(Store store, Key key) {
        Versioned v = store.get(key);
        return v == null ? Timestamp.ZERO : v.timestamp();
    }

    /** The value of a PAXOS_ACCEPT record: origin (u64 lamport, u16 node id), then the proposal's bytes. */
    public static byte[] acceptRecord(Timestamp origin, byte[] value) {
        return ByteBuffer.allocate(ORIGIN_BYTES + value.length).putLong(origin.lamport())
                .putShort((short) origin.nodeId()).put(value).array();
    }

    static Timestamp originOf(byte[] record) {
        if (record.length < ORIGIN_BYTES) throw new IllegalArgumentException("PAXOS_ACCEPT record of " + record.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(record);
        return new Timestamp(b.getLong(), Short.toUnsignedInt(b.getShort()));
    }

    static byte[] valueOf(byte[] record) {
        return Arrays.copyOfRange(record, ORIGIN_BYTES, record.length);
    }
}
