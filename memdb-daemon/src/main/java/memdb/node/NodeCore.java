package memdb.node;

import java.util.List;
import java.util.random.RandomGenerator;
import memdb.clock.LamportClock;
import memdb.cluster.Membership;
import memdb.oplog.OpLog;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.MemDbException;
import memdb.protocol.RepairMessages;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import memdb.replication.Coordinator;
import memdb.replication.Outbox;
import memdb.replication.Replica;
import memdb.replication.ReplicationMetrics;
import memdb.replication.ReplicationSettings;
import memdb.repair.AntiEntropy;
import memdb.repair.RepairSettings;
import memdb.store.Store;
import memdb.store.Versioned;

/**
 * The whole logic of one node as a deterministic state machine (STYLE §2): requests from clients and
 * peers, answers from peers, failures of peers and the passing of time come in as method calls with
 * the current time; everything the node wants done leaves through the {@link Outbox}. No sockets,
 * threads, clocks or randomness of its own, so that the simulator drives exactly this code.
 *
 * <p>Ordering rule: records appended to the op log during a call must be committed
 * ({@link OpLog#commit}) before the outbox's replies are released; the driver does that once per batch.
 * Every input first merges the sender's Lamport time into the clock.
 *
 * <p>(The inputs are methods rather than a sealed Input type because Java 17 has no exhaustive
 * pattern switch; each method is one input kind.)
 */
public final class NodeCore {
    /** Cluster behaviour: replication, gossip period, failure-detector timeout, vnodes, seed addresses. */
    public record Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                           List<String> seeds, RepairSettings repair) {
        public Settings {
            seeds = List.copyOf(seeds);
            if (gossipIntervalMs < 1 || downAfterMs <= gossipIntervalMs) {
                throw new IllegalArgumentException("need 0 < gossip interval < down-after");
            }
        }

        /** Anti-entropy only on demand. */
        public Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                        List<String> seeds) {
            this(replication, gossipIntervalMs, downAfterMs, vnodesPerNode, seeds, RepairSettings.ON_DEMAND);
        }
    }

    private static final long NO_CORRELATION = 0;
    /** How far ahead of the clock each CLOCK record reserves Lamport time. */
    static final long CLOCK_RESERVATION_STEP = 100_000;
    private static final Key CLOCK_KEY = Key.wrap(new byte[] {0});
    private static final byte[] EMPTY = new byte[0];

    private final LamportClock clock;
    private final Store store;
    private final Membership membership;
    private final Replica replica;
    private final Coordinator coordinator;
    private final AntiEntropy antiEntropy;
    private final Settings settings;
    private final RandomGenerator random;
    private final OpLog opLog;
    private long nextGossipMs;
    /** No timestamp above this is handed out before a CLOCK record reserving it is in the op log. */
    private long clockReservedUntil;

    public NodeCore(Member self, LamportClock clock, Store store, OpLog opLog, Settings settings,
                    RandomGenerator random, long nowMs) {
        if (self.nodeId() != clock.nodeId()) throw new IllegalArgumentException("clock and member disagree on the node id");
        this.clock = clock;
        this.store = store;
        this.settings = settings;
        this.random = random;
        this.opLog = opLog;
        this.clockReservedUntil = clock.time();
        this.membership = new Membership(self, settings.downAfterMs(), settings.vnodesPerNode(), random, nowMs);
        this.replica = new Replica(store, opLog);
        this.coordinator = new Coordinator(clock, membership, replica, settings.replication());
        this.antiEntropy = new AntiEntropy(store, replica, membership, settings.replication().replicationFactor(),
                settings.repair(), nowMs);
        this.nextGossipMs = nowMs;
    }

    /** A request from a client or a peer that arrived with the sender's Lamport time. */
    public void onRequest(Object replyTo, Request request, long lamport, long nowMs, Outbox out) {
        clock.observe(lamport);
        try {
            dispatch(replyTo, request, nowMs, out);
        } catch (MemDbException e) {
            out.reply(replyTo, Responses.Error.of(e));
        }
        reserveClock();
    }

    private void dispatch(Object replyTo, Request request, long nowMs, Outbox out) {
        if (request instanceof Requests.Get get) {
            coordinator.read(replyTo, get.key(), false, get.consistency(), nowMs, out);
        } else if (request instanceof Requests.Contains contains) {
            coordinator.read(replyTo, contains.key(), true, contains.consistency(), nowMs, out);
        } else if (request instanceof Requests.Set set) {
            coordinator.write(replyTo, set.key(), set.value(), set.consistency(), nowMs, out);
        } else if (request instanceof Requests.Delete delete) {
            coordinator.write(replyTo, delete.key(), null, delete.consistency(), nowMs, out);
        } else if (request instanceof ClusterRequests.ReplicaWrite write) {
            Versioned version = write.tombstone() ? Versioned.tombstone(write.timestamp())
                    : Versioned.value(write.timestamp(), write.value());
            out.reply(replyTo, replica.apply(write.key().validate(), version));
        } else if (request instanceof ClusterRequests.ReplicaRead read) {
            out.reply(replyTo, replica.read(read.key()));
        } else if (request instanceof ClusterRequests.Gossip gossip) {
            membership.merge(gossip.members(), nowMs);
            out.reply(replyTo, new ClusterResponses.GossipAck(membership.digest(nowMs)));
        } else if (request instanceof ClusterRequests.NodeStats) {
            out.reply(replyTo, new ClusterResponses.Stats(clock.time(), store.liveKeys()));
        } else if (request instanceof ClusterRequests.ClusterInfo) {
            out.reply(replyTo, clusterView(nowMs));
        } else if (request instanceof Requests.Ping) {
            out.reply(replyTo, new Responses.Ok());
        } else if (request instanceof RepairMessages.Digest || request instanceof RepairMessages.Fetch
                || request instanceof RepairMessages.Push) {
            out.reply(replyTo, antiEntropy.serve(request, nowMs));
        } else if (request instanceof RepairMessages.Run) {
            antiEntropy.run(replyTo, nowMs);
        } else {
            // AUTH belongs to the connection (memdb.net.Session); reaching the core is a wiring bug.
            out.reply(replyTo, new Responses.Error(ErrorCode.INTERNAL, request.opcode() + " is not served here"));
        }
    }

    /** The answer of a peer to a request this node sent with {@code correlationId}. */
    public void onPeerResponse(int nodeId, long correlationId, long lamport, Response response, long nowMs, Outbox out) {
        clock.observe(lamport);
        if (response instanceof ClusterResponses.GossipAck ack) {
            membership.merge(ack.members(), nowMs);
        } else if (AntiEntropy.owns(correlationId)) {
            antiEntropy.onResponse(correlationId, response, nowMs, out);
        } else {
            coordinator.onPeerResponse(nodeId, correlationId, response, out);
        }
        reserveClock();
    }

    /** A request this node sent could not be delivered or answered (connection refused or lost). */
    public void onPeerFailure(int nodeId, long correlationId, long nowMs, Outbox out) {
        if (AntiEntropy.owns(correlationId)) {
            antiEntropy.onFailure(correlationId, nowMs, out);
        } else {
            coordinator.onPeerFailure(nodeId, correlationId, out);
        }
        reserveClock();
    }

    /** The passing of time: request deadlines, and a gossip round every gossip interval. */
    public void tick(long nowMs, Outbox out) {
        coordinator.tick(nowMs, out);
        antiEntropy.tick(nowMs, out);
        if (nowMs >= nextGossipMs) {
            nextGossipMs = nowMs + settings.gossipIntervalMs();
            gossip(nowMs, out);
        }
        reserveClock();
    }

    /**
     * Keeps the clock's durable reservation ahead of it: when the clock passed the reserved time, a CLOCK
     * record reserves the next stretch. It is appended in the same step as the timestamps it covers, so
     * it is durable before any of them leaves the node (a restart begins above it and never reissues one).
     */
    private void reserveClock() {
        if (clock.time() <= clockReservedUntil) return;
        clockReservedUntil = clock.time() + CLOCK_RESERVATION_STEP;
        opLog.append(OpLog.Op.CLOCK, CLOCK_KEY, new Timestamp(clockReservedUntil, clock.nodeId()), EMPTY);
    }

    /**
     * One gossip round: advance the heartbeat, push the digest to a random peer, and to a seed while
     * this node knows nobody else (or now and then, so that partitioned halves find each other again).
     */
    private void gossip(long nowMs, Outbox out) {
        membership.heartbeat(nowMs);
        ClusterRequests.Gossip message = new ClusterRequests.Gossip(membership.digest(nowMs));
        int peer = membership.gossipTarget();
        if (peer != -1) out.send(peer, NO_CORRELATION, message);
        List<String> seeds = settings.seeds().stream().filter(s -> !s.equals(membership.self().address())).toList();
        if (!seeds.isEmpty() && (peer == -1 || random.nextInt(10) == 0)) {
            out.sendToAddress(seeds.get(random.nextInt(seeds.size())), NO_CORRELATION, message);
        }
    }

    private ClusterResponses.ClusterView clusterView(long nowMs) {
        return new ClusterResponses.ClusterView(settings.replication().replicationFactor(), settings.vnodesPerNode(),
                membership.ringVersion(), membership.digest(nowMs));
    }

    /** Members known before a restart (the cluster state file): the ring is whole from the first request. */
    public void restoreMembers(List<Member> known, long nowMs) {
        membership.merge(known, nowMs);
    }

    public long lamportTime() {
        return clock.time();
    }

    public Membership membership() {
        return membership;
    }

    public Store store() {
        return store;
    }

    /** Anti-entropy: rounds, their reports and totals (core thread only). */
    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    public ReplicationMetrics metrics() {
        return coordinator.metrics();
    }

    public int pendingOperations() {
        return coordinator.pendingOperations();
    }
}
