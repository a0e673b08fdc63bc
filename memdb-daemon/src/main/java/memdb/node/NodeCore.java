package memdb.node;

import java.util.List;
import java.util.random.RandomGenerator;
import memdb.clock.LamportClock;
import memdb.cluster.ClusterLog;
import memdb.cluster.Membership;
import memdb.counter.CounterCoordinator;
import memdb.counter.CounterReplica;
import memdb.counter.CounterStore;
import memdb.handoff.HandoffMetrics;
import memdb.handoff.HandoffSettings;
import memdb.handoff.HintedHandoff;
import memdb.limits.WriteLimits;
import memdb.oplog.OpLog;
import memdb.paxos.Acceptor;
import memdb.paxos.AcceptorStates;
import memdb.paxos.Proposer;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;
import memdb.protocol.CounterMessages;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.protocol.MemDbException;
import memdb.protocol.PaxosMessages;
import memdb.protocol.RepairMessages;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.StateTransferMessages;
import memdb.protocol.StreamMessages;
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
import memdb.streaming.Mover;

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
    /**
     * Cluster behaviour: replication, gossip period, failure-detector timeout, vnodes, seed addresses, hinted
     * handoff, how fast joins and leaves stream data, and anti-entropy repair.
     */
    public record Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                           List<String> seeds, HandoffSettings handoff, long streamBytesPerSec, RepairSettings repair) {
        public static final long STREAM_BYTES_PER_SEC_DEFAULT = 32L << 20;

        public Settings {
            seeds = List.copyOf(seeds);
            if (gossipIntervalMs < 1 || downAfterMs <= gossipIntervalMs) {
                throw new IllegalArgumentException("need 0 < gossip interval < down-after");
            }
            if (streamBytesPerSec < 1) throw new IllegalArgumentException("stream rate must be >= 1 byte/s");
        }

        /** With hinted handoff's defaults and the default streaming rate. */
        public Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                        List<String> seeds) {
            this(replication, gossipIntervalMs, downAfterMs, vnodesPerNode, seeds, HandoffSettings.DEFAULTS);
        }

        /** With the default streaming rate; anti-entropy only on demand. */
        public Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                        List<String> seeds, HandoffSettings handoff) {
            this(replication, gossipIntervalMs, downAfterMs, vnodesPerNode, seeds, handoff, STREAM_BYTES_PER_SEC_DEFAULT);
        }

        /** Anti-entropy only on demand. */
        public Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                        List<String> seeds, HandoffSettings handoff, long streamBytesPerSec) {
            this(replication, gossipIntervalMs, downAfterMs, vnodesPerNode, seeds, handoff, streamBytesPerSec,
                    RepairSettings.ON_DEMAND);
        }

        /** With hinted handoff's defaults, the default streaming rate and the given anti-entropy. */
        public Settings(ReplicationSettings replication, long gossipIntervalMs, long downAfterMs, int vnodesPerNode,
                        List<String> seeds, RepairSettings repair) {
            this(replication, gossipIntervalMs, downAfterMs, vnodesPerNode, seeds, HandoffSettings.DEFAULTS,
                    STREAM_BYTES_PER_SEC_DEFAULT, repair);
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
    private final CounterCoordinator counters;
    private final CounterStore counterStore;
    private final HintedHandoff handoff;
    private final Acceptor acceptor;
    private final Proposer proposer;
    private final AntiEntropy antiEntropy;
    private final Settings settings;
    private final RandomGenerator random;
    private final OpLog opLog;
    private final Mover mover;
    private final Canaries canaries;
    /** max-key-bytes and max-memory, asked before every request is dispatched. */
    private final WriteLimits limits;
    private long nextGossipMs;
    /** Why this node answers every gossip with FORBIDDEN, or null (see {@link #refuseCluster}). */
    private String clusterRefusal;
    private long clusterLogVersion;
    /** No timestamp above this is handed out before a CLOCK record reserving it is in the op log. */
    private long clockReservedUntil;

    public NodeCore(Member self, LamportClock clock, Store store, OpLog opLog, Settings settings,
                    RandomGenerator random, long nowMs) {
        this(self, clock, store, new CounterStore(), opLog, settings, random, nowMs);
    }

    /**
     * A core over the data replay rebuilt: the store of values and the counters (with this data
     * directory's counter slot id, or none yet: then one is drawn and logged now); Paxos with its defaults.
     */
    public NodeCore(Member self, LamportClock clock, Store store, CounterStore counterStore, OpLog opLog, Settings settings,
                    RandomGenerator random, long nowMs) {
        this(self, clock, store, counterStore, opLog, settings, paxosDefaults(settings), new AcceptorStates(), random, nowMs);
    }

    /** A core with CAS settings and replayed Paxos acceptor state, and no counters yet. */
    public NodeCore(Member self, LamportClock clock, Store store, OpLog opLog, Settings settings, Proposer.Settings paxos,
                    AcceptorStates acceptorStates, RandomGenerator random, long nowMs) {
        this(self, clock, store, new CounterStore(), opLog, settings, paxos, acceptorStates, random, nowMs);
    }

    /** Paxos settings when none are given: the CAS timeout is the request timeout. */
    static Proposer.Settings paxosDefaults(Settings settings) {
        ReplicationSettings r = settings.replication();
        return new Proposer.Settings(r.replicationFactor(), r.requestTimeoutMs(), Math.max(1, r.requestTimeoutMs() / 4),
                Math.max(4, r.requestTimeoutMs() / 10), r.maxValueBytes());
    }

    /**
     * A core over the data replay rebuilt: the store of values, the counters (with this data directory's
     * counter slot id, or none yet: then one is drawn and logged now) and the Paxos acceptor state (a
     * restarted node must keep what it promised and accepted: docs/cas.md), with CAS settings.
     */
    public NodeCore(Member self, LamportClock clock, Store store, CounterStore counterStore, OpLog opLog, Settings settings,
                    Proposer.Settings paxos, AcceptorStates acceptorStates, RandomGenerator random, long nowMs) {
        this(self, clock, store, counterStore, opLog, settings, paxos, acceptorStates, random, nowMs, Canaries.NONE);
    }

    /**
     * As above, with bug canaries (tests only, {@link Canaries}): the core plants no-read-repair and
     * cas-false-skips-paxos; the others belong to boot replay and the op log, outside the core.
     */
    public NodeCore(Member self, LamportClock clock, Store store, CounterStore counterStore, OpLog opLog, Settings settings,
                    Proposer.Settings paxos, AcceptorStates acceptorStates, RandomGenerator random, long nowMs,
                    Canaries canaries) {
        this.canaries = canaries;
        if (self.nodeId() != clock.nodeId()) throw new IllegalArgumentException("clock and member disagree on the node id");
        this.clock = clock;
        this.store = store;
        this.settings = settings;
        this.random = random;
        this.opLog = opLog;
        this.clockReservedUntil = clock.time();
        this.membership = new Membership(self, settings.downAfterMs(), settings.vnodesPerNode(), random, nowMs);
        this.counterStore = counterStore;
        this.replica = new Replica(store, opLog, counterStore);
        this.handoff = new HintedHandoff(settings.handoff(), opLog, membership,
                settings.replication().replicationFactor(), nowMs);
        this.coordinator = new Coordinator(clock, membership, replica, settings.replication(), handoff,
                !canaries.has(Canaries.Canary.NO_READ_REPAIR));
        CounterReplica counterReplica = new CounterReplica(store, counterStore, opLog);
        counterReplica.drawSlotId(self.nodeId(), random);
        this.counters = new CounterCoordinator(membership, counterReplica, settings.replication());
        this.acceptor = new Acceptor(acceptorStates, replica, opLog);
        this.proposer = new Proposer(clock, membership, acceptor, paxos, random);
        this.mover = new Mover(membership, replica, acceptor, counterStore, settings.replication().replicationFactor(),
                settings.streamBytesPerSec(), settings.replication().requestTimeoutMs());
        this.antiEntropy = new AntiEntropy(store, replica, counterStore, counterReplica, membership,
                settings.replication().replicationFactor(), settings.repair(), nowMs);
        this.limits = new WriteLimits(() -> store.memoryBytes() + handoff.pendingHintBytes());
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
        afterStep();
    }

    private void dispatch(Object replyTo, Request request, long nowMs, Outbox out) {
        if (isClientData(request) && membership.hasPeers() && !membership.heardFromPeers()) {
            // Just (re)started: what this node knows of the ring may be old (it may have been down while
            // nodes joined or left), so it coordinates nothing until a peer's gossip answer brings it up to date.
            throw ErrorCode.UNAVAILABLE.exception("node " + membership.selfId() + " is catching up with the cluster's membership");
        }
        limits.admit(request);
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
        } else if (request instanceof ClusterRequests.Hints hints) {
            out.reply(replyTo, handoff.receive(hints, replica));
        } else if (request instanceof ClusterRequests.ReplicaRead read) {
            out.reply(replyTo, replica.read(read.key()));
        } else if (CounterCoordinator.handles(request)) {
            counters.dispatch(replyTo, request, nowMs, out);
        } else if (request instanceof StreamMessages.StreamPull pull) {
            out.reply(replyTo, mover.serve(pull));
        } else if (request instanceof StreamMessages.StreamPush push) {
            out.reply(replyTo, mover.accept(push));
        } else if (request instanceof StateTransferMessages.PaxosStatePull pull) {
            out.reply(replyTo, mover.serve(pull));
        } else if (request instanceof StateTransferMessages.PaxosStatePush push) {
            out.reply(replyTo, mover.accept(push));
        } else if (request instanceof StreamMessages.Leave) {
            mover.startLeave();
            out.reply(replyTo, new Responses.Ok());
        } else if (request instanceof ClusterRequests.Gossip && clusterRefusal != null) {
            out.reply(replyTo, new Responses.Error(ErrorCode.FORBIDDEN, clusterRefusal));
        } else if (request instanceof ClusterRequests.Gossip gossip) {
            membership.mergeReceived(gossip.members(), nowMs);
            out.reply(replyTo, new ClusterResponses.GossipAck(membership.digest(nowMs)));
        } else if (request instanceof ClusterRequests.NodeStats) {
            out.reply(replyTo, new ClusterResponses.Stats(clock.time(), store.liveKeys(), mover.progressPercent()));
        } else if (request instanceof ClusterRequests.ClusterInfo) {
            out.reply(replyTo, clusterView(nowMs));
        } else if (request instanceof PaxosMessages.Cas cas && casFailsLocally(cas)) {
            out.reply(replyTo, new Responses.Bool(false)); // the cas-false-skips-paxos canary: no round at all
        } else if (request instanceof PaxosMessages.Cas cas) {
            proposer.cas(replyTo, cas.key(), cas.expected(), cas.newValue(), nowMs, out);
        } else if (request instanceof PaxosMessages.SerialGet get) {
            proposer.serialGet(replyTo, get.key(), nowMs, out);
        } else if (request instanceof PaxosMessages.Prepare prepare) {
            out.reply(replyTo, acceptor.prepare(prepare.key(), prepare.ballot()));
        } else if (request instanceof PaxosMessages.Propose propose) {
            out.reply(replyTo, acceptor.propose(propose.key(), propose.ballot(), propose.origin(), propose.value()));
        } else if (request instanceof PaxosMessages.Commit commit) {
            acceptor.commit(commit.key(), commit.ballot(), commit.origin(), commit.value());
            out.reply(replyTo, new Responses.Ok());
        } else if (request instanceof Requests.Ping) {
            out.reply(replyTo, new Responses.Ok());
        } else if (request instanceof RepairMessages.Digest || request instanceof RepairMessages.Fetch
                || request instanceof RepairMessages.Push || request instanceof StateTransferMessages.CounterDigest
                || request instanceof StateTransferMessages.CounterFetch) {
            out.reply(replyTo, antiEntropy.serve(request, nowMs));
        } else if (request instanceof RepairMessages.Run) {
            antiEntropy.run(replyTo, nowMs);
        } else {
            // AUTH belongs to the connection (memdb.net.Session); reaching the core is a wiring bug.
            out.reply(replyTo, new Responses.Error(ErrorCode.INTERNAL, request.opcode() + " is not served here"));
        }
    }

    /**
     * Under the cas-false-skips-paxos canary only: whether this node's own replica (which may be stale,
     * or hold nothing when it is not a replica) says the CAS's expectation does not hold.
     */
    private boolean casFailsLocally(PaxosMessages.Cas cas) {
        if (!canaries.has(Canaries.Canary.CAS_FALSE_SKIPS_PAXOS)) return false;
        Versioned local = store.get(cas.key().validate());
        boolean present = local != null && !local.isTombstone();
        boolean holds = cas.expected() == null ? !present : present && java.util.Arrays.equals(local.value(), cas.expected());
        return !holds;
    }

    private static boolean isClientData(Request request) {
        return request instanceof Requests.Get || request instanceof Requests.Set || request instanceof Requests.Delete
                || request instanceof Requests.Contains || request instanceof CounterMessages.Add
                || request instanceof CounterMessages.Get || request instanceof PaxosMessages.Cas
                || request instanceof PaxosMessages.SerialGet;
    }

    /** The answer of a peer to a request this node sent with {@code correlationId}. */
    public void onPeerResponse(int nodeId, long correlationId, long lamport, Response response, long nowMs, Outbox out) {
        clock.observe(lamport);
        if (response instanceof ClusterResponses.GossipAck ack) {
            membership.mergeFrom(nodeId, ack.members(), nowMs);
        } else if (CounterCoordinator.owns(correlationId)) {
            counters.onPeerResponse(nodeId, correlationId, response, out);
        } else if (HintedHandoff.owns(correlationId)) {
            handoff.onResponse(nodeId, correlationId, response);
        } else if (Proposer.owns(correlationId)) {
            proposer.onPeerResponse(nodeId, correlationId, response, nowMs, out);
        } else if (AntiEntropy.owns(correlationId)) {
            antiEntropy.onResponse(correlationId, response, nowMs, out);
        } else if (!mover.onResponse(correlationId, response, this::logRangeDone)) {
            coordinator.onPeerResponse(nodeId, correlationId, response, nowMs, out);
        }
        afterStep();
    }

    /** A request this node sent could not be delivered or answered (connection refused or lost). */
    public void onPeerFailure(int nodeId, long correlationId, long nowMs, Outbox out) {
        if (CounterCoordinator.owns(correlationId)) counters.onPeerFailure(nodeId, correlationId, out);
        else if (HintedHandoff.owns(correlationId)) handoff.onFailure(nodeId, correlationId);
        else if (Proposer.owns(correlationId)) proposer.onPeerFailure(nodeId, correlationId, nowMs, out);
        else if (AntiEntropy.owns(correlationId)) antiEntropy.onFailure(correlationId, nowMs, out);
        else if (!mover.onFailure(correlationId)) coordinator.onPeerFailure(nodeId, correlationId, nowMs, out);
        afterStep();
    }

    /** The passing of time: request deadlines, hint replay to peers that are up, a gossip round every gossip interval. */
    public void tick(long nowMs, Outbox out) {
        coordinator.tick(nowMs, out);
        counters.tick(nowMs, out);
        handoff.tick(nowMs, out);
        proposer.tick(nowMs, out);
        antiEntropy.tick(nowMs, out);
        if (nowMs >= nextGossipMs) {
            nextGossipMs = nowMs + settings.gossipIntervalMs();
            gossip(nowMs, out);
        }
        mover.tick(nowMs, out, this::logRangeDone);
        afterStep();
    }

    /**
     * After every input: the membership changes it caused go to the durable cluster log (in the same step,
     * so before anything that depends on them leaves the node), then the clock reservation.
     */
    private void afterStep() {
        for (Member change : membership.drainChanges()) {
            opLog.append(OpLog.Op.CLUSTER, ClusterLog.memberKey(change.nodeId()), nextClusterLogVersion(),
                    ClusterLog.member(change));
        }
        reserveClock();
    }

    /** A join finished streaming a range: durable, so that a restart does not stream it again. */
    private void logRangeDone(long endToken) {
        opLog.append(OpLog.Op.CLUSTER, ClusterLog.rangeKey(endToken), nextClusterLogVersion(), ClusterLog.rangeDone(endToken));
    }

    /**
     * The version of the next cluster-log record: above the previous one and at least the clock's time,
     * without ticking the clock (membership is not a write). A restart's clock begins above it (replay
     * raises the clock to every record's time), so versions grow across restarts too.
     */
    private Timestamp nextClusterLogVersion() {
        clusterLogVersion = Math.max(clusterLogVersion + 1, clock.time());
        return new Timestamp(clusterLogVersion, clock.nodeId());
    }

    /** The highest cluster-log version this node wrote or replayed. */
    public long clusterLogVersion() {
        return clusterLogVersion;
    }

    /** The admin API's leave of this node: it streams its ranges to their new owners, then goes LEFT. */
    public void leave(long nowMs) {
        mover.startLeave();
        afterStep();
    }

    /** The admin API's kill of another node: DOWN in the cluster log, the ring unchanged. */
    public void markDown(int nodeId, long nowMs) {
        membership.markDown(nodeId);
        afterStep();
    }

    /** Whether this node has left the cluster and every member knows: its process should stop now. */
    public boolean stopRequested(long nowMs) {
        return mover.stopRequested(nowMs);
    }

    /** This node's join or leave progress in percent, or -1 when it is not moving. */
    public int moveProgressPercent() {
        return mover.progressPercent();
    }

    public Mover mover() {
        return mover;
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

    /** A live config change: the consistency of requests that name none, from the next request on. */
    public void setDefaultConsistency(memdb.protocol.Consistency write, memdb.protocol.Consistency read) {
        coordinator.setDefaultConsistency(write, read);
    }

    /** Members known before a restart (the cluster state file): the ring is whole from the first request. */
    /**
     * What the durable cluster log held at boot: the members known before the restart (so the ring is
     * whole from the first request), this node's own status (a join or leave resumes) and a join's ranges
     * already streamed.
     */
    public void restore(ClusterLog.Restored log, long nowMs) {
        clusterLogVersion = Math.max(clusterLogVersion, log.version());
        membership.restore(log.members(), nowMs);
        mover.restoreRangesDone(log.rangesDone());
        afterStep();
    }

    /** Members known from elsewhere (tests): merged as gossip would be. */
    public void restoreMembers(List<Member> known, long nowMs) {
        membership.merge(known, nowMs);
        afterStep();
    }

    /**
     * A HINT record of this node's op log, replayed at boot in log order after {@link #restoreMembers} and
     * before the first input: hinted handoff takes back the hints it still owes its peers.
     */
    public void restoreHint(Key key, Timestamp timestamp, byte[] payload) {
        handoff.restore(key, timestamp, payload);
    }

    public HandoffMetrics handoffMetrics() {
        return handoff.metrics();
    }

    /** Hints this node holds for its peers, right now. */
    public int pendingHints() {
        return handoff.pendingHints();
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

    /**
     * From now on, answers every gossip with FORBIDDEN and {@code reason} and learns nothing from it, so that no
     * cluster forms through this node (a node without persistence: a member that forgets its log when it
     * restarts could break CAS and counters).
     */
    public void refuseCluster(String reason) {
        clusterRefusal = reason;
    }

    /** max-key-bytes and max-memory: {@link WriteLimits#configure} at start, refusals for /metrics. */
    public WriteLimits limits() {
        return limits;
    }

    /** The node's counters (DESIGN §6), beside {@link #store()}. */
    public CounterStore counterStore() {
        return counterStore;
    }

    /** Anti-entropy: rounds, their reports and totals (core thread only). */
    public AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    public ReplicationMetrics metrics() {
        return coordinator.metrics();
    }

    public int pendingOperations() {
        return coordinator.pendingOperations() + counters.pendingOperations() + proposer.pendingOperations();
    }

    /**
     * Whether the records appended since the last call include Paxos promises or accepts: then the
     * replies must wait for an fsync whatever the policy ({@link OpLog#commitFsynced}, DESIGN §4).
     */
    public boolean takeFsyncRequired() {
        return acceptor.takeFsyncNeeded();
    }

    public Proposer.Metrics paxosMetrics() {
        return proposer.metrics();
    }

    /** Keys holding Paxos acceptor state on this node (bounded: dropped once committed). */
    public int paxosKeys() {
        return acceptor.keysWithState();
    }
}
