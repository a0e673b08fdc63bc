package memdb.streaming;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import memdb.cluster.Membership;
import memdb.counter.CounterStore;
import memdb.paxos.Acceptor;
import memdb.protocol.ClusterRequests.ReplicaWrite;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.Response;
import memdb.protocol.StateTransferMessages;
import memdb.protocol.StreamMessages;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.ring.TokenRange;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * Moves data when this node joins or leaves (issue 5 items 1 and 2), and drops the ranges it no longer
 * replicates once a move is over. A state machine driven by the node's ticks:
 *
 * <ul>
 *   <li>JOINING: once every member has told this node (gossip) that it knows the join, and a request
 *       timeout later (so that no write coordinated without the joining node as a pending replica is still
 *       in flight), and no member with a lower id is moving (one move at a time), pull every range this
 *       node will replicate from all its current replicas ({@link MovePlan#join}); then go NORMAL. Writes
 *       reach the joining node meanwhile as a pending replica (memdb.replication.Coordinator).
 *   <li>LEAVING: the same wait, then push every range to its new replicas ({@link MovePlan#leave}) and hand
 *       every counter to its new replicas ({@link CounterHandoff}), then go LEFT; once every member knows
 *       (or after a bound), {@link #stopRequested} tells the driver to stop.
 *   <li>NORMAL: once nobody is moving and every member knows every member's status (so no coordinator
 *       still sends reads by the old ring), and a request timeout later, drop the keys whose preference
 *       list no longer names this node (and their Paxos acceptor state; the store a few segments a tick, so
 *       that the core thread keeps answering), and hand the counters it no longer
 *       replicates to their replicas (counters are not streamed). Not logged: a restart replays them and drops (hands) them again.
 * </ul>
 * Invariants: a range's data and Paxos acceptor state are on all its future replicas before the move ends; a node serves reads of
 * a range (is in the current ring) only after it has streamed it; data is dropped only after its new
 * owners are NORMAL everywhere. Pure: time and I/O come from the caller.
 */
public final class Mover {
    public static final int CLEANUP_KEYS_PER_TICK_DEFAULT = 16_384;
    private final Membership membership;
    private final Replica replica;
    private final Acceptor acceptor;
    private final int replicationFactor;
    private final long bytesPerSec;
    private final long settleMs;
    private final Set<Long> rangesDone = new TreeSet<>();
    private final CounterHandoff counterHandoff;
    private long counterHandoffRingVersion = -1;
    private Streamer streamer;
    private long planRingVersion = -1;
    private long knownSinceMs = -1;
    private long leftAtMs = -1;
    private long cleanedRingVersion = -1;
    private long stableRingVersion = -1;
    private long stableSinceMs;
    private long nextCorrelation = 1;
    private long keysDropped;
    /** The next store segment the drop looks at; -1 when no drop is under way. */
    private int nextSegment = -1;
    /** The ring version the drop under way drops by. */
    private long dropRingVersion = -1;
    private int cleanupKeysPerTick = CLEANUP_KEYS_PER_TICK_DEFAULT;

    public Mover(Membership membership, Replica replica, Acceptor acceptor, CounterStore counters, int replicationFactor,
                 long bytesPerSec, long settleMs) {
        this.membership = membership;
        this.replica = replica;
        this.acceptor = acceptor;
        this.replicationFactor = replicationFactor;
        this.bytesPerSec = bytesPerSec;
        this.settleMs = settleMs;
        this.counterHandoff = new CounterHandoff(counters, () -> nextCorrelation++, settleMs);
    }

    /** The ranges a join streamed before a restart (from the cluster log): they are not streamed again. */
    public void restoreRangesDone(Collection<Long> endTokens) {
        rangesDone.addAll(endTokens);
    }

    /** The admin's leave: this node starts decommissioning. */
    public void startLeave() {
        Member.Status status = membership.self().status();
        if (status == Member.Status.LEAVING || status == Member.Status.LEFT) return;
        if (status != Member.Status.NORMAL) {
            throw ErrorCode.UNAVAILABLE.exception("node " + membership.selfId() + " is " + status + "; only a NORMAL node can leave");
        }
        if (membership.ring().nodes().size() <= 1) {
            throw ErrorCode.UNAVAILABLE.exception("node " + membership.selfId() + " is the last node of the ring; its data would be lost");
        }
        membership.setSelfStatus(Member.Status.LEAVING);
    }

    public void tick(long nowMs, Outbox out, Streamer.RangeDoneListener onRangeDone) {
        Member.Status status = membership.self().status();
        if (status == Member.Status.JOINING || status == Member.Status.LEAVING) {
            move(status, nowMs, out, onRangeDone);
        } else if (status == Member.Status.NORMAL) {
            cleanup(nowMs);
            counterHandoff.tick(nowMs, node -> membership.isUp(node, nowMs), out);
        }
    }

    private void move(Member.Status status, long nowMs, Outbox out, Streamer.RangeDoneListener onRangeDone) {
        if (streamer == null || planRingVersion != membership.ringVersion()) {
            if (!readyToMove(status, nowMs)) return;
            planRingVersion = membership.ringVersion();
            boolean joining = status == Member.Status.JOINING;
            List<MovePlan.Transfer> plan = joining
                    ? MovePlan.join(membership.selfId(), membership.ring(), membership.futureRing(), replicationFactor)
                    : MovePlan.leave(membership.selfId(), membership.ring(), membership.futureRing(), replicationFactor);
            streamer = new Streamer(joining ? Streamer.Direction.PULL : Streamer.Direction.PUSH, plan,
                    joining ? rangesDone : Set.of(), replica, acceptor, bytesPerSec, settleMs, () -> nextCorrelation++, nowMs);
        }
        streamer.tick(nowMs, node -> membership.isUp(node, nowMs), out, remembering(status, onRangeDone));
        if (!streamer.finished()) return;
        if (status == Member.Status.JOINING) {
            membership.setSelfStatus(Member.Status.NORMAL);
        } else {
            if (counterHandoffRingVersion != planRingVersion) {
                counterHandoffRingVersion = planRingVersion;
                counterHandoff.plan(membership.futureRing(), membership.selfId(), replicationFactor);
            }
            counterHandoff.tick(nowMs, node -> membership.isUp(node, nowMs), out);
            if (!counterHandoff.done()) return;
            membership.leave();
            leftAtMs = nowMs;
        }
    }

    /**
     * Whether this node may start (or re-plan) its move: it heard from the cluster, every member knows it
     * is moving, a request timeout passed since, and no member with a lower id is moving.
     */
    private boolean readyToMove(Member.Status status, long nowMs) {
        if (!membership.heardFromPeers()) return false;
        List<Integer> moving = membership.moving();
        if (!moving.isEmpty() && moving.get(0) != membership.selfId()) return false;
        if (!membership.everyoneKnows(membership.selfId(), status, nowMs)) {
            knownSinceMs = -1;
            return false;
        }
        if (knownSinceMs < 0) knownSinceMs = nowMs;
        return nowMs - knownSinceMs >= settleMs;
    }

    private void cleanup(long nowMs) {
        long version = membership.ringVersion();
        if (version == cleanedRingVersion) return;
        if (!membership.moving().isEmpty() || !everyStatusKnown(nowMs)) {
            stableRingVersion = -1; // a drop under way pauses; it goes on where it was if the ring is the same
            return;
        }
        if (stableRingVersion != version) {
            stableRingVersion = version;
            stableSinceMs = nowMs;
            return;
        }
        if (nowMs - stableSinceMs < settleMs) return;
        if (!replicatesEveryKey()) {
            if (nextSegment < 0 || dropRingVersion != version) { // every status change makes a new ring version
                nextSegment = 0;
                dropRingVersion = version;
            }
            if (!dropStep()) return;
            nextSegment = -1;
            acceptor.dropUnless(this::replicates);
        }
        cleanedRingVersion = version;
        counterHandoff.plan(membership.ring(), membership.selfId(), replicationFactor);
    }

    /**
     * One tick's part of the drop: whole segments of the store ({@link Store#forEachKeyIn}), as many as fit in
     * {@link #cleanupKeysPerTick} keys (at least one that holds keys), each key dropped unless this node
     * replicates it. Every key present throughout the walk is looked at once; one written meanwhile was written
     * under the settled ring, so it is this node's. True once the last segment is done.
     */
    private boolean dropStep() {
        Store store = replica.store();
        List<Key> notMine = new ArrayList<>();
        int looked = 0;
        while (nextSegment < Store.SEGMENTS && (looked == 0 || looked + store.entriesIn(nextSegment) <= cleanupKeysPerTick)) {
            looked += store.forEachKeyIn(nextSegment++, key -> {
                if (!replicates(key)) notMine.add(key);
            });
            for (Key key : notMine) store.drop(key);
            keysDropped += notMine.size();
            notMine.clear();
        }
        return nextSegment == Store.SEGMENTS;
    }

    /** Whether the key's preference list names this node. */
    private boolean replicates(Key key) {
        return membership.ring().preferenceList(key, replicationFactor).contains(membership.selfId());
    }

    /**
     * How many keys the drop looks at per tick, in whole segments (at least one): by default one segment at a
     * million keys (~15,600 keys, 6-10 ms of the core thread here; the whole store at once took 350 ms), more
     * when the store is smaller. Tests set it to 1, one segment a tick, so that the drop spans ticks while
     * requests go on.
     */
    public void cleanupKeysPerTick(int keys) {
        if (keys < 1) throw new IllegalArgumentException("keys per tick must be >= 1: " + keys);
        this.cleanupKeysPerTick = keys;
    }

    /**
     * Whether every preference list names this node: a ring of at most N nodes, this one among them (a single
     * node, or 3 nodes with N = 3). Then there is nothing to drop, and no walk of the store on the core thread
     * (a million keys took it for about half a second after every boot).
     */
    private boolean replicatesEveryKey() {
        SortedSet<Integer> nodes = membership.ring().nodes();
        return nodes.size() <= replicationFactor && nodes.contains(membership.selfId());
    }

    private boolean everyStatusKnown(long nowMs) {
        if (membership.hasPeers() && !membership.heardFromPeers()) return false;
        for (Member m : membership.digest(nowMs)) {
            if (m.status() == Member.Status.LEFT) continue;
            if (!membership.everyoneKnows(m.nodeId(), m.status(), nowMs)) return false;
        }
        return true;
    }

    /** After this node LEFT: stop once every member knows, or after a bound (a down member cannot learn it now). */
    public boolean stopRequested(long nowMs) {
        if (membership.self().status() != Member.Status.LEFT) return false;
        if (leftAtMs < 0) leftAtMs = nowMs; // restarted after it left
        return membership.everyoneKnows(membership.selfId(), Member.Status.LEFT, nowMs) || nowMs - leftAtMs >= 4 * settleMs;
    }

    // ---- the peer side ----------------------------------------------------------------------------

    /** STREAM_PULL from a joining node: a chunk of this node's entries in the range. */
    public Response serve(StreamMessages.StreamPull pull) {
        int bytesMax = Math.min(pull.bytesMax(), Streamer.CHUNK_BYTES_MAX * 16);
        RangeScan.Chunk chunk = RangeScan.scan(replica.store(), new TokenRange(pull.start(), pull.end()), pull.after(), bytesMax);
        return new StreamMessages.StreamChunk(chunk.entries(), chunk.more());
    }

    /** PAXOS_STATE_PULL from a joining node: a chunk of this node's acceptor state in the range. */
    public Response serve(StateTransferMessages.PaxosStatePull pull) {
        return acceptor.scan(new TokenRange(pull.start(), pull.end()), pull.after(), Streamer.CHUNK_BYTES_MAX * 16);
    }

    /** PAXOS_STATE_PUSH from a leaving node: merges the acceptor state it held for a range it gives up. */
    public Response accept(StateTransferMessages.PaxosStatePush push) {
        return new StreamMessages.StreamAck(acceptor.absorb(push.entries()));
    }

    /** STREAM_PUSH from a leaving node: applies each entry by last-writer-wins. */
    public Response accept(StreamMessages.StreamPush push) {
        int applied = 0;
        for (ReplicaWrite e : push.entries()) {
            Versioned version = e.tombstone() ? Versioned.tombstone(e.timestamp()) : Versioned.value(e.timestamp(), e.value());
            if (replica.apply(e.key().validate(), version).applied()) applied++;
        }
        return new StreamMessages.StreamAck(applied);
    }

    public boolean onResponse(long correlationId, Response response, Streamer.RangeDoneListener onRangeDone) {
        if ((correlationId & Streamer.CORRELATION_BIT) == 0) return false;
        if (counterHandoff.onResponse(correlationId, response)) return true;
        if (streamer != null) streamer.onResponse(correlationId, response, remembering(membership.self().status(), onRangeDone));
        return true;
    }

    /** A join remembers its finished ranges (and the caller logs them), so a re-plan does not stream them again. */
    private Streamer.RangeDoneListener remembering(Member.Status status, Streamer.RangeDoneListener onRangeDone) {
        return end -> {
            if (status == Member.Status.JOINING) rangesDone.add(end);
            onRangeDone.rangeDone(end);
        };
    }

    public boolean onFailure(long correlationId) {
        if ((correlationId & Streamer.CORRELATION_BIT) == 0) return false;
        if (counterHandoff.onFailure(correlationId)) return true;
        if (streamer != null) streamer.onFailure(correlationId);
        return true;
    }

    /** Progress of this node's move in percent, or -1 when it is not moving. */
    public int progressPercent() {
        Member.Status status = membership.self().status();
        if (status != Member.Status.JOINING && status != Member.Status.LEAVING) return -1;
        return streamer == null ? 0 : streamer.percent();
    }

    public long bytesStreamed() {
        return streamer == null ? 0 : streamer.bytesStreamed();
    }

    /** Whether this node has dropped the keys it does not replicate in its current ring. */
    public boolean cleanedUp() {
        return cleanedRingVersion == membership.ringVersion();
    }

    public long keysDropped() {
        return keysDropped;
    }

    /** Whether every counter this node gave away has been acknowledged by its new replicas. */
    public boolean countersHandedOverAll() {
        return counterHandoff.done();
    }

    /** Counter states replicas of a new ring acknowledged from this node (it no longer replicates them). */
    public long countersHandedOver() {
        return counterHandoff.handedOver();
    }
}
