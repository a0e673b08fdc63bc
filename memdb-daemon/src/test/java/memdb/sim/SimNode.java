package memdb.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import memdb.clock.LamportClock;
import memdb.cluster.ClusterLog;
import memdb.node.Canaries;
import memdb.node.NodeCore;
import memdb.counter.CounterStore;
import memdb.oplog.OpLog;
import memdb.oplog.StoreReplay;
import memdb.oplog.format.LogRecord;
import memdb.paxos.AcceptorStates;
import memdb.paxos.Proposer;
import memdb.protocol.Member;
import memdb.protocol.Request;
import memdb.protocol.Response;
import memdb.replication.Outbox;
import memdb.store.Store;

/**
 * One simulated node process: the real {@link NodeCore} driven by simulated time, fed by the
 * {@link SimNetwork}, with a {@link SimOpLog} as its disk. It plays the part of the production event
 * loop: every input is one step whose outbox is collected and released only after the step's log
 * records are durable (the core's ordering rule), and a tick every {@link SimConfig#TICK_MS}.
 *
 * <p>Crash drops the core and its store (memory) and the log's non-durable tail; restart is a new
 * incarnation: the store rebuilt by replaying the durable records, the Lamport clock started at the
 * highest timestamp in them, a Member generation one higher, a new core that knows its seeds and what
 * its durable cluster log (the CLUSTER records of its op log) says: the members it knew, its own join or
 * leave under way. Without that log (the {@code clusterLog} option off) a restarted node knows only itself
 * until gossip reaches it, and coordinates on that partial ring: see {@code SimulationTest}. Likewise the
 * clock starts at the highest timestamp in the log, or, when the run models a durable clock, at least
 * where it was at the crash (else it may reissue a timestamp: see {@code ScenarioTest}).
 *
 * <p>Invariants checked here: a client request gets exactly one reply, by the request timeout (plus a
 * tick and an fsync); a second reply is a violation; one left unanswered at a crash becomes a failed
 * connection.
 */
final class SimNode {
    /** CAS gives up at the request timeout, so the answer deadline below holds for it too. */
    private static final Proposer.Settings PAXOS = new Proposer.Settings(SimConfig.REPLICATION_FACTOR,
            SimConfig.REQUEST_TIMEOUT_MS, 120, 40, 1 << 20);
    private final int id;
    private final EventQueue events;
    private final Random random;
    private final SimNetwork network;
    private final Trace trace;
    private final NodeCore.Settings settings;
    private final SimOpLog opLog;
    private final Consumer<String> violations;
    /** Client requests this incarnation took and has not answered, with what they asked. */
    private final LinkedHashMap<SimNetwork.ClientHandle, Request> unansweredClients = new LinkedHashMap<>();
    private final Simulation.Options options;
    /** The coordinator answers by its request timeout; allow a tick and an fsync on top. */
    private final long answerDeadlineMs;
    /** Starts its first incarnation JOINING (a node added to a cluster that holds data) rather than NORMAL. */
    private boolean joining;
    private long clockAtCrash;
    private NodeCore core;
    private int incarnation;
    private boolean left;

    SimNode(int id, EventQueue events, Random random, SimNetwork network, Trace trace, NodeCore.Settings settings,
            long fsyncMsMax, Simulation.Options options, Consumer<String> violations) {
        this.id = id;
        this.events = events;
        this.random = random;
        this.network = network;
        this.trace = trace;
        this.settings = settings;
        this.opLog = new SimOpLog(events, random, fsyncMsMax);
        this.options = options;
        this.answerDeadlineMs = settings.replication().requestTimeoutMs() + 2 * SimConfig.TICK_MS + fsyncMsMax + 1;
        this.violations = violations;
    }

    /** Where node {@code id} listens: what seeds name and sendToAddress resolves. */
    static String address(int id) {
        return host(id) + ":" + port(id);
    }

    private static String host(int id) {
        return "node" + id;
    }

    private static int port(int id) {
        return 7000 + id;
    }

    int id() {
        return id;
    }

    String address() {
        return address(id);
    }

    int incarnation() {
        return incarnation;
    }

    boolean isUp() {
        return core != null;
    }

    NodeCore core() {
        return core;
    }

    /** Makes the node's first start a join (JOINING until it has streamed its ranges). */
    void joinOnFirstStart() {
        joining = true;
    }

    /** The admin API's leave (decommission) of this node; false when it is down and cannot take it now. */
    boolean adminLeave() {
        if (!isUp() || core.membership().self().status() != Member.Status.NORMAL) return false;
        trace.record(events.nowMs(), "leave n" + id);
        step(out -> core.leave(events.nowMs()));
        return true;
    }

    /** Whether the node left the cluster for good (its process stopped after a leave). */
    boolean hasLeft() {
        return left;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    void start() {
        if (isUp()) throw new IllegalStateException("n" + id + " is already up");
        if (left) return; // a node that left stays stopped
        incarnation++;
        Store store = new Store();
        CounterStore counters = new CounterStore();
        StoreReplay replay = new StoreReplay(store, counters); // the node's own replay rules, records as the file layer keeps them
        AcceptorStates acceptorStates = new AcceptorStates();
        long highestLamport = 0;
        long sequence = 0;
        ClusterLog.Restored clusterLog = new ClusterLog.Restored();
        for (SimOpLog.Entry entry : opLog.durableEntries()) {
            highestLamport = Math.max(highestLamport, entry.timestamp().lamport());
            if (entry.op() == OpLog.Op.CLUSTER) {
                if (options.clusterLog()) clusterLog.add(entry.key(), entry.timestamp().lamport(), entry.value());
                continue;
            }
            if (entry.op() == OpLog.Op.PAXOS_PROMISE || entry.op() == OpLog.Op.PAXOS_ACCEPT) {
                boolean restore = options.paxosState() && !options.canaries().has(Canaries.Canary.FORGET_PROMISE);
                if (restore) acceptorStates.restore(entry.op(), entry.key(), entry.timestamp(), entry.value());
                continue;
            }
            replay.accept(new LogRecord(++sequence, entry.op(), entry.timestamp(), 0, entry.key(), entry.value()));
        }
        highestLamport = Math.max(highestLamport, clockAtCrash);
        if (options.canaries().has(Canaries.Canary.NO_CLOCK_RESTORE)) highestLamport = 0;
        acceptorStates.prune(store);
        Member self = new Member(id, host(id), port(id), incarnation, 0, joining ? Member.Status.JOINING : Member.Status.NORMAL, true);
        core = new NodeCore(self, new LamportClock(id, highestLamport), store, counters, opLog, settings, PAXOS, acceptorStates,
                new SplittableRandom(random.nextLong()), events.nowMs(), options.canaries());
        core.restore(clusterLog, events.nowMs());
        core.mover().cleanupKeysPerTick(1); // the drop after a move takes a tick per segment holding keys, requests between them
        for (SimOpLog.Entry entry : opLog.durableEntries()) {
            if (entry.op() == OpLog.Op.HINT) core.restoreHint(entry.key(), entry.timestamp(), entry.value());
        }
        trace.record(events.nowMs(), "start n" + id + " incarnation " + incarnation + " lamport " + highestLamport
                + " keys " + store.entries() + " cluster log " + clusterLog.members().size() + " members, "
                + core.membership().self().status());
        int started = incarnation;
        events.after(random.nextInt((int) SimConfig.TICK_MS) + 1, () -> tick(started));
    }

    void crash() {
        if (!isUp()) return;
        trace.record(events.nowMs(), "crash n" + id);
        if (options.durableClock()) clockAtCrash = core.lamportTime();
        core = null;
        opLog.crash();
        for (SimNetwork.ClientHandle handle : unansweredClients.keySet()) network.failClientConnection(handle, id);
        unansweredClients.clear();
    }

    /** The node loses its disk: it crashes, and its op log (and with it the cluster log) is gone (restart with {@link #start}). */
    void wipe() {
        crash();
        trace.record(events.nowMs(), "wipe n" + id);
        opLog.wipe();
        clockAtCrash = 0;
    }

    /**
     * Online compaction with the node's tombstone rule: tombstones older than {@code graceMs} go only when
     * a complete anti-entropy round began after them; {@code safe} false forgets that condition (the bug
     * the rule prevents).
     */
    void compact(long graceMs, boolean safe) {
        long repairedSince = core.antiEntropy().totals().lastCompleteStartMs();
        trace.record(events.nowMs(), "compact n" + id + " grace " + graceMs + " repaired since " + repairedSince
                + (safe ? "" : " (unsafe)"));
        opLog.compact(graceMs, safe ? (repairedSince < 0 ? Long.MIN_VALUE : repairedSince) : Long.MAX_VALUE);
    }

    private void tick(int started) {
        if (!isUp() || incarnation != started) return;
        step(out -> core.tick(events.nowMs(), out));
        if (core.stopRequested(events.nowMs())) {
            trace.record(events.nowMs(), "n" + id + " left the cluster and stops");
            crash();
            left = true;
            return;
        }
        events.after(SimConfig.TICK_MS, () -> tick(started));
    }

    // ---- inputs from the network ----------------------------------------------------------------

    void onRequest(Object replyTo, Request request, long lamport) {
        if (replyTo instanceof SimNetwork.ClientHandle client) {
            trace.record(events.nowMs(), "c" + client.client() + "->n" + id + " op" + client.operation() + " "
                    + Describe.message(request));
            unansweredClients.put(client, request);
            int accepted = incarnation;
            events.after(answerDeadlineMs, () -> {
                if (incarnation == accepted && unansweredClients.containsKey(client)) {
                    violations.accept("n" + id + " did not answer c" + client.client() + " op" + client.operation() + " "
                            + Describe.message(request) + " within " + answerDeadlineMs + " ms");
                }
            });
        }
        step(out -> core.onRequest(replyTo, request, lamport, events.nowMs(), out));
    }

    void onPeerResponse(int from, long correlationId, long lamport, Response response) {
        step(out -> core.onPeerResponse(from, correlationId, lamport, response, events.nowMs(), out));
    }

    void onPeerFailure(int peer, long correlationId) {
        step(out -> core.onPeerFailure(peer, correlationId, events.nowMs(), out));
    }

    /** One step of the core; its effects leave once its records are durable, if this incarnation lives. */
    private void step(Consumer<Outbox> input) {
        Batch batch = new Batch();
        input.accept(batch);
        if (batch.effects.isEmpty()) return;
        int stepIncarnation = incarnation;
        if (options.canaries().has(Canaries.Canary.ACK_BEFORE_FSYNC)) {
            batch.release(); // the canary: effects leave before the step's records are durable
            opLog.commit(() -> {});
            return;
        }
        opLog.commit(() -> {
            if (isUp() && incarnation == stepIncarnation) batch.release();
        });
    }

    /** The effects of one step, held until they may leave. */
    private final class Batch implements Outbox {
        private final List<Runnable> effects = new ArrayList<>();

        @Override
        public void reply(Object replyTo, Response response) {
            effects.add(() -> {
                if (replyTo instanceof SimNetwork.PeerHandle peer) {
                    network.sendReply(id, peer, response, core.lamportTime());
                } else if (replyTo instanceof SimNetwork.ClientHandle client) {
                    replyToClient(client, response);
                } else {
                    violations.accept("n" + id + " replied to a handle it was never given: " + replyTo);
                }
            });
        }

        @Override
        public void send(int nodeId, long correlationId, Request request) {
            effects.add(() -> network.sendRequest(new SimNetwork.PeerHandle(id, incarnation, correlationId), nodeId,
                    request, core.lamportTime()));
        }

        @Override
        public void sendToAddress(String address, long correlationId, Request request) {
            effects.add(() -> network.sendRequestToAddress(new SimNetwork.PeerHandle(id, incarnation, correlationId),
                    address, request, core.lamportTime()));
        }

        void release() {
            effects.forEach(Runnable::run);
        }
    }

    private void replyToClient(SimNetwork.ClientHandle client, Response response) {
        Request request = unansweredClients.remove(client);
        trace.record(events.nowMs(), "n" + id + "->c" + client.client() + " op" + client.operation() + " "
                + (request == null ? "?" : Describe.message(request)) + " -> " + Describe.message(response));
        if (request == null) {
            violations.accept("n" + id + " answered client request op" + client.operation() + " of c"
                    + client.client() + " twice (or one it never received): " + Describe.message(response));
            return;
        }
        network.sendClientReply(client, response, core.lamportTime());
    }
}
