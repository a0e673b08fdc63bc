package memdb.paxos;

import memdb.oplog.OpLog;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages.Accepted;
import memdb.protocol.PaxosMessages.Promise;
import memdb.protocol.StateTransferMessages;
import memdb.protocol.Timestamp;
import memdb.replication.Replica;
import memdb.store.Versioned;

/**
 * The acceptor of single-decree Paxos per key (docs/cas.md), one per node, for the keys it replicates.
 *
 * <p>Rules: a key's promise floor is the higher of its promised ballot and its stored version's
 * timestamp (a commit stores the chosen value with its ballot as timestamp, so a round older than the
 * last commit cannot start again after the state is dropped). PREPARE(b) is promised when b is at least
 * the promised ballot and above the stored version; the promise carries the accepted proposal not yet
 * committed and the stored version (the read folded into the prepare). PROPOSE(b) is accepted under the
 * same rule. COMMIT stores the value by last-writer-wins and drops the state it overtook.
 *
 * <p>Durability: every promise and accept is appended to the op log in the same step, and the step's
 * replies must wait for an fsync ({@link #takeFsyncNeeded}, {@link OpLog#commitFsynced}), so an acceptor
 * that crashes and restarts never forgets what it promised or accepted.
 */
public final class Acceptor {
    private final AcceptorStates states;
    private final Replica replica;
    private final OpLog opLog;
    private boolean fsyncNeeded;
    /**
     * Per key, the ballot and origin of the last commit seen here: a hint (bounded, not durable) that lets
     * a CAS whose proposal was finished by another proposer recognise its committed value.
     */
    private final java.util.Map<Key, Timestamp[]> committedOrigins = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Key, Timestamp[]> eldest) {
            return size() > COMMITTED_ORIGINS_MAX;
        }
    };
    static final int COMMITTED_ORIGINS_MAX = 10_000;

    public Acceptor(AcceptorStates states, Replica replica, OpLog opLog) {
        this.states = states;
        this.replica = replica;
        this.opLog = opLog;
    }

    public Promise prepare(Key key, Timestamp ballot) {
        key.validate();
        Timestamp stored = AcceptorStates.stored(replica.store(), key);
        states.prune(key, stored);
        AcceptorStates.State s = states.get(key);
        Timestamp promised = s == null ? Timestamp.ZERO : s.promised;
        if (!ballot.isAfter(stored) || promised.isAfter(ballot)) return Promise.refused(max(promised, stored));
        s = states.getOrCreate(key);
        if (ballot.isAfter(s.promised)) {
            s.promised = ballot;
            opLog.append(OpLog.Op.PAXOS_PROMISE, key, ballot, new byte[0]);
            fsyncNeeded = true;
        }
        Timestamp[] committed = committedOrigins.get(key);
        Timestamp currentOrigin = committed != null && committed[0].equals(stored) ? committed[1] : Timestamp.ZERO;
        return new Promise(true, ballot, s.acceptedBallot, s.acceptedOrigin, s.acceptedValue, replica.read(key), currentOrigin);
    }

    public Accepted propose(Key key, Timestamp ballot, Timestamp origin, byte[] value) {
        key.validate();
        Timestamp stored = AcceptorStates.stored(replica.store(), key);
        states.prune(key, stored);
        AcceptorStates.State s = states.get(key);
        Timestamp promised = s == null ? Timestamp.ZERO : s.promised;
        // A copy of a proposal this acceptor already accepted (the network duplicated it): it did accept that
        // ballot, whatever it promised since, and says so; a refusal would tell the proposer its value sits
        // nowhere here (CAS simulator seed 1335: a CAS answered false although its value was chosen).
        if (s != null && ballot.equals(s.acceptedBallot)) return new Accepted(true, ballot);
        if (!ballot.isAfter(stored) || promised.isAfter(ballot)) return new Accepted(false, max(promised, stored));
        s = states.getOrCreate(key);
        s.promised = ballot;
        s.acceptedBallot = ballot;
        s.acceptedOrigin = origin;
        s.acceptedValue = value;
        opLog.append(OpLog.Op.PAXOS_ACCEPT, key, ballot, AcceptorStates.acceptRecord(origin, value));
        fsyncNeeded = true;
        return new Accepted(true, ballot);
    }

    /** Stores a chosen value (timestamp = its ballot) and drops the acceptor state it overtook. */
    public void commit(Key key, Timestamp ballot, Timestamp origin, byte[] value) {
        key.validate();
        if (replica.apply(key, Versioned.value(ballot, value)).applied()) committedOrigins.put(key, new Timestamp[] {ballot, origin});
        states.prune(key, AcceptorStates.stored(replica.store(), key));
    }

    /**
     * Merges acceptor state that another acceptor of the key held (a join pulled it, a leave pushed it:
     * docs/cas.md, "Joins and leaves"): the promise becomes the higher of the two, the accepted proposal
     * the one with the higher ballot. Both are logged like a promise and an accept of this node, so the
     * step's replies wait for an fsync. Returns how many entries changed anything.
     */
    public int absorb(java.util.List<StateTransferMessages.AcceptorEntry> entries) {
        int changed = 0;
        for (StateTransferMessages.AcceptorEntry e : entries) {
            Key key = e.key().validate();
            Timestamp stored = AcceptorStates.stored(replica.store(), key);
            states.prune(key, stored);
            boolean change = false;
            AcceptorStates.State s = states.get(key);
            if (e.acceptedBallot().isAfter(stored) && (s == null || e.acceptedBallot().isAfter(s.acceptedBallot))) {
                s = states.getOrCreate(key);
                s.acceptedBallot = e.acceptedBallot();
                s.acceptedOrigin = e.acceptedOrigin();
                s.acceptedValue = e.acceptedValue();
                if (e.acceptedBallot().isAfter(s.promised)) s.promised = e.acceptedBallot();
                opLog.append(OpLog.Op.PAXOS_ACCEPT, key, e.acceptedBallot(),
                        AcceptorStates.acceptRecord(e.acceptedOrigin(), e.acceptedValue()));
                change = true;
            }
            if (e.promised().isAfter(stored) && (s == null || e.promised().isAfter(s.promised))) {
                s = states.getOrCreate(key);
                s.promised = e.promised();
                opLog.append(OpLog.Op.PAXOS_PROMISE, key, e.promised(), new byte[0]);
                change = true;
            }
            if (change) {
                changed++;
                fsyncNeeded = true;
            }
        }
        return changed;
    }

    /** A chunk of this node's acceptor state in a range (a join pulling it from this node). */
    public StateTransferMessages.PaxosStateChunk scan(memdb.ring.TokenRange range, Key after, int bytesMax) {
        return states.scan(range, after, bytesMax);
    }

    /** Forgets the acceptor state of the keys this node no longer replicates (after a move is over). */
    public int dropUnless(java.util.function.Predicate<Key> keep) {
        return states.dropUnless(keep);
    }

    /** Whether a promise or accept was logged since the last call: the step's replies must wait for an fsync. */
    public boolean takeFsyncNeeded() {
        boolean needed = fsyncNeeded;
        fsyncNeeded = false;
        return needed;
    }

    /** Keys with live acceptor state (bounded: see {@link AcceptorStates}). */
    public int keysWithState() {
        return states.size();
    }

    private static Timestamp max(Timestamp a, Timestamp b) {
        return a.isAfter(b) ? a : b;
    }
}
