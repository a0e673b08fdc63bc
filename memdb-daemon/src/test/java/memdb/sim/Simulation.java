package memdb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import memdb.cluster.Membership;
import memdb.handoff.HandoffSettings;
import memdb.node.Canaries;
import memdb.node.NodeCore;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.repair.RepairReport;
import memdb.replication.ReplicationSettings;

/**
 * One deterministic run of a simulated cluster, everything drawn from one seed:
 *
 * <ol>
 *   <li>warm-up: start the nodes from their seeds until every node knows every other one and holds it up;
 *   <li>storm: the client {@link Workload} runs while the {@link Nemesis} crashes, restarts and
 *       partitions, and the network drops, duplicates, delays and reorders;
 *   <li>heal: reliable network, crashed nodes restarted, old traffic drained, every hint replayed (hinted
 *       handoff drains); then every node restarted from its log (so that what follows sees durable state
 *       only) and membership converged again;
 *   <li>repair: one ALL read per key through the core (read repair), or, with {@code Options.antiEntropy},
 *       anti-entropy rounds on every node and no read of the keys at all; in both, one ALL read per counter
 *       (counters are not in anti-entropy yet); then the replicas are compared (checkers b and d);
 *   <li>read-back: one QUORUM read per key, judged with the whole history (checkers a and c).
 * </ol>
 * Same seed, same trace, same result: nothing here reads a clock, a hash order or a global random.
 */
final class Simulation {
    static final long PHASE_MS_MAX = 120_000;
    static final int REPAIR_PASSES_MAX = 4;

    /**
     * How to run. {@code clusterLog}: a restarted node replays the CLUSTER records of its op log (the
     * node's durable cluster log, memdb.cluster.ClusterLog), as the real node does; false throws them away
     * at restart, to show what the checkers catch without it (SimulationTest's canary).
     * {@code durableClock}: a Lamport clock that restarts at least where it was at the crash (beyond the
     * node's CLOCK reservations). {@code keepFullTrace} keeps every trace line, to explain a failure.
     * {@code hintedHandoff} false: the nodes keep no hints. {@code antiEntropy}: the heal phase repairs the
     * keys by anti-entropy rounds instead of ALL reads. {@code canaries}: bug canaries planted in every node
     * (memdb.node.Canaries; {@code CanaryTest} shows the checkers catch each).
     */
    record Options(boolean clusterLog, boolean durableClock, boolean keepFullTrace, boolean hintedHandoff,
                   boolean antiEntropy, boolean paxosState, boolean casWorkload, Canaries canaries) {
        static final Options DEFAULTS = new Options(true, false, false);

        /**
         * With hinted handoff, read repair in the heal phase, Paxos state replayed at restart and the plain
         * workload. {@code paxosState}: a restarted node replays its Paxos acceptor state (false: it forgets
         * it, a bug).
         */
        Options(boolean clusterLog, boolean durableClock, boolean keepFullTrace) {
            this(clusterLog, durableClock, keepFullTrace, true, false, true, false, Canaries.NONE);
        }

        Options withFullTrace() {
            return new Options(clusterLog, durableClock, true, hintedHandoff, antiEntropy, paxosState, casWorkload, canaries);
        }

        /** The nodes without hinted handoff (no hint is kept), to show what it does. */
        Options withoutHintedHandoff() {
            return new Options(clusterLog, durableClock, keepFullTrace, false, antiEntropy, paxosState, casWorkload, canaries);
        }

        /** The heal phase repairs the keys by anti-entropy rounds alone, no read repair. */
        Options withAntiEntropy() {
            return new Options(clusterLog, durableClock, keepFullTrace, hintedHandoff, true, paxosState, casWorkload, canaries);
        }

        /** The CAS and serial-read workload on a few keys, judged by the linearizability checker (docs/cas.md). */
        Options withCasWorkload() {
            return new Options(clusterLog, durableClock, keepFullTrace, hintedHandoff, antiEntropy, paxosState, true, canaries);
        }

        Options withoutPaxosState() {
            return new Options(clusterLog, durableClock, keepFullTrace, hintedHandoff, antiEntropy, false, casWorkload, canaries);
        }

        /** Every node plants these bug canaries. */
        Options withCanaries(Canaries planted) {
            return new Options(clusterLog, durableClock, keepFullTrace, hintedHandoff, antiEntropy, paxosState, casWorkload,
                    planted);
        }

        NodeCore.Settings handoff(NodeCore.Settings settings) {
            if (hintedHandoff) return settings;
            return new NodeCore.Settings(settings.replication(), settings.gossipIntervalMs(), settings.downAfterMs(),
                    settings.vnodesPerNode(), settings.seeds(), settings.handoff().withMaxHintsPerPeer(0),
                    settings.streamBytesPerSec(), settings.repair());
        }
    }

    /** What a run found: its violations (empty: the run passed), the trace hash and tail, a few counts. */
    record Result(long seed, SimConfig config, List<String> violations, long traceHash, long traceLines,
                  String traceTail, List<String> fullTrace, long events, long simulatedMs, int operations) {
        boolean passed() {
            return violations.isEmpty();
        }
    }

    private final long seed;
    private final Random random;
    private final SimConfig config;
    private final EventQueue events = new EventQueue();
    private final Trace trace;
    private final List<String> violations = new ArrayList<>();
    private final History history = new History();
    private final SimNetwork network;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Workload workload;
    private final Nemesis nemesis;
    private final Options options;
    /** Membership changes during the storm (issue 5): a node that joins, a node that leaves, or neither. */
    private final SimNode joiner;
    private final long joinAtMs;
    private final int leaverId;
    private final long leaveAtMs;

    /** A run whose shape is drawn from the seed. */
    static Simulation drawn(long seed, Options options) {
        Random random = new Random(seed);
        SimConfig config = SimConfig.draw(random);
        // About half the runs add a node during the storm, a third of those with 4+ nodes decommission one.
        boolean join = random.nextBoolean();
        boolean leave = config.nodes() >= 4 && random.nextInt(3) == 0;
        long joinAtMs = join ? 1 + random.nextInt(1_500) : -1;
        int leaverId = leave ? 1 + random.nextInt(config.nodes()) : -1;
        long leaveAtMs = leave ? 1 + random.nextInt(1_500) : -1;
        if (options.casWorkload()) {
            // Drawn all the same (the run stays the one of its seed), but CAS runs have no join or leave: a
            // proposal accepted before a move began and not yet committed stays in the acceptor state of a
            // node that stops being a replica, which a move does not hand over (docs/cas.md, "Limits";
            // CAS seed 252 with a leave shows it).
            return new Simulation(seed, random, config, options, -1, -1, -1);
        }
        return new Simulation(seed, random, config, options, joinAtMs, leaverId, leaveAtMs);
    }

    /** A run of a given shape, for scripted scenarios. */
    static Simulation shaped(long seed, SimConfig config, Options options) {
        return new Simulation(seed, new Random(seed), config, options, -1, -1, -1);
    }

    /** A scripted run with one spare node (id nodes + 1) that {@link #join} starts as a joining node. */
    static Simulation shapedWithSpare(long seed, SimConfig config, Options options) {
        return new Simulation(seed, new Random(seed), config, options, Long.MAX_VALUE, -1, -1);
    }

    private Simulation(long seed, Random random, SimConfig config, Options options, long joinAtMs, int leaverId,
                       long leaveAtMs) {
        this.seed = seed;
        this.options = options;
        this.trace = new Trace(40, options.keepFullTrace());
        this.random = random;
        this.config = config;
        this.network = new SimNetwork(events, random, trace, config);
        List<String> seeds = new ArrayList<>();
        for (int id = 1; id <= (config.singleSeed() ? 1 : config.nodes()); id++) seeds.add(SimNode.address(id));
        NodeCore.Settings settings = new NodeCore.Settings(
                new ReplicationSettings(SimConfig.REPLICATION_FACTOR, Consistency.QUORUM, Consistency.ONE,
                        SimConfig.REQUEST_TIMEOUT_MS, 1 << 20),
                SimConfig.GOSSIP_INTERVAL_MS, SimConfig.DOWN_AFTER_MS, SimConfig.VNODES_PER_NODE, seeds,
                new HandoffSettings(HandoffSettings.MAX_HINTS_PER_PEER_DEFAULT, HandoffSettings.DEFAULTS.hintMaxAgeMs(),
                        SimConfig.HINTS_PER_BATCH, HandoffSettings.BATCH_BYTES_MAX_DEFAULT, SimConfig.REQUEST_TIMEOUT_MS));
        for (int id = 1; id <= config.nodes(); id++) {
            SimNode node = new SimNode(id, events, random, network, trace, options.handoff(settings), config.fsyncMsMax(),
                    options, this::violation);
            nodes.add(node);
            network.attach(node);
        }
        this.joinAtMs = joinAtMs;
        this.leaverId = leaverId;
        this.leaveAtMs = leaveAtMs;
        if (joinAtMs >= 0) {
            joiner = new SimNode(config.nodes() + 1, events, random, network, trace, settings, config.fsyncMsMax(),
                    options, this::violation);
            joiner.joinOnFirstStart();
        } else {
            joiner = null;
        }
        this.workload = new Workload(config, events, random, network, history, this::violation, options.casWorkload());
        this.nemesis = new Nemesis(config, events, random, network, nodes, trace);
        workload.onAcknowledgedWrite(nemesis::onAcknowledgedWrite);
    }

    static Result run(long seed, Options options) {
        return drawn(seed, options).run();
    }

    Result run() {
        trace.record(0, "seed " + seed + " " + config + " " + options);
        try {
            phases();
            violations.addAll(historyViolations()); // judged even when a phase gave up: the history stands
        } catch (RuntimeException e) {
            violation("the simulation threw " + e + stackTop(e));
        }
        return new Result(seed, config, List.copyOf(violations), trace.hash(), trace.lines(), trace.tail(), trace.all(),
                events.executed(), events.nowMs(), history.operations().size());
    }

    private void phases() {
        for (SimNode node : nodes) node.start();
        if (!await(this::membershipConverged, "warm-up: membership did not converge")) return;

        nemesis.start();
        workload.start();
        if (joinAtMs >= 0) events.after(joinAtMs, this::join);
        if (leaveAtMs >= 0) events.after(leaveAtMs, () -> leave(leaverId));
        boolean finished = await(workload::finished, "storm: clients did not finish; " + workload.unfinished());
        nemesis.stop();
        if (!finished) return;

        network.healAll();
        network.setFaults(config.healed());
        for (SimNode node : nodes) if (!node.isUp() && !node.hasLeft()) node.start();
        trace.record(events.nowMs(), "heal: all links, all nodes");
        events.runFor(2 * SimConfig.REQUEST_TIMEOUT_MS + config.longDelayMsMax()); // old operations expire
        if (!await(() -> membershipConverged() && network.messagesInFlight() == 0, "heal: cluster did not settle")) return;
        if (!await(this::hintsDrained, "heal: hinted handoff did not replay its hints")) return;
        if (!restartAll()) return; // what follows sees durable state only

        if (options.casWorkload()) {
            readEvery(History.Kind.SERIAL_GET, Workload::key, Consistency.QUORUM, "serial read-back");
            return;
        }
        if (options.antiEntropy()) {
            if (!antiEntropyUntilQuiet()) return;
        } else {
            if (!readEveryKey(Consistency.ALL, "repair")) return;
        }
        // Counters are not in anti-entropy yet (it covers the store's entries only): every run repairs them
        // by an ALL read of each counter, whichever way the keys heal.
        if (!readEveryCounter(Consistency.ALL, "counter repair")) return;
        events.runFor(SimConfig.REQUEST_TIMEOUT_MS); // read repairs land and become durable
        List<SimNode> live = liveNodes();
        violations.addAll(Checkers.replicasConverged(live, config.keys(), SimConfig.REPLICATION_FACTOR));
        violations.addAll(Checkers.countersConverged(live, history, config.keys(), SimConfig.REPLICATION_FACTOR));
        if (await(this::cleanedUp, "moves: former replicas did not drop the ranges they gave away")) {
            violations.addAll(Checkers.keysOnExactlyTheirReplicas(live, config.keys(), SimConfig.REPLICATION_FACTOR));
        }

        readEveryKey(Consistency.QUORUM, "read-back");
    }

    private List<String> historyViolations() {
        if (options.casWorkload()) return CasChecker.linearizable(history);
        List<String> found = new ArrayList<>(Checkers.quorumReadsSeeAcknowledgedWrites(history));
        found.addAll(Checkers.noPhantomValues(history));
        return found;
    }

    // ---- for scripted scenarios -------------------------------------------------------------------

    /** Starts the spare node as a joining node (it streams its ranges, then serves them). */
    void join() {
        if (joiner == null || nodes.contains(joiner)) return;
        trace.record(events.nowMs(), "join n" + joiner.id());
        nodes.add(joiner);
        network.attach(joiner);
        joiner.start();
    }

    /** Decommissions a node, as the admin API's leave; while it is down or busy, asks again a little later. */
    void leave(int id) {
        SimNode leaver = node(id);
        if (leaver.hasLeft()) return;
        if (!leaver.adminLeave()) events.after(100, () -> leave(id));
    }

    /** Waits (simulated time) for a condition of a scripted scenario; a violation when it does not come. */
    boolean awaitScenario(BooleanSupplier condition, String failure) {
        return await(condition, "scenario: " + failure);
    }

    /** Waits until membership converged and every former replica dropped what it gave away, then checks ownership. */
    List<String> settleAndCheckOwnership() {
        if (!await(this::membershipConverged, "scenario: membership did not converge")) return violations();
        if (!await(this::cleanedUp, "scenario: former replicas did not drop the ranges they gave away")) return violations();
        return Checkers.keysOnExactlyTheirReplicas(liveNodes(), config.keys(), SimConfig.REPLICATION_FACTOR);
    }

    /** Nodes that did not leave the cluster. */
    List<SimNode> liveNodes() {
        return nodes.stream().filter(n -> !n.hasLeft()).toList();
    }

    /** Every live node has dropped the keys of ranges it no longer replicates. */
    private boolean cleanedUp() {
        return liveNodes().stream().allMatch(n -> n.isUp() && n.core().mover().cleanedUp());
    }

    /** Starts every node and waits for membership to converge. */
    boolean startCluster() {
        trace.record(0, "scenario " + seed + " " + config + " " + options);
        for (SimNode node : nodes) node.start();
        return await(this::membershipConverged, "warm-up: membership did not converge");
    }

    /** One request of the checker's client through {@code node}, waited for. */
    History.Operation call(int node, History.Kind kind, String key, Consistency level) {
        History.Operation op = workload.request(Workload.CHECKER, kind, key, level, node);
        await(op::completed, "scenario: " + op + " unanswered");
        return op;
    }

    /** One increment of the checker's client through {@code node}, waited for. */
    History.Operation increment(int node, String key, long operationId, long delta, Consistency level) {
        History.Operation op = workload.increment(Workload.CHECKER, key, operationId, delta, level, node);
        await(op::completed, "scenario: " + op + " unanswered");
        return op;
    }

    /** Lets simulated time pass (failure detection, gossip, messages in flight). */
    void idle(long ms) {
        events.runFor(ms);
    }

    /** A power cut: every node crashes at once and restarts from its log; waits for membership again. */
    boolean restartAll() {
        trace.record(events.nowMs(), "restart all");
        for (SimNode node : nodes) node.crash();
        for (SimNode node : nodes) if (!node.hasLeft()) node.start();
        return await(this::membershipConverged, "restart: membership did not converge");
    }

    SimNetwork network() {
        return network;
    }

    /**
     * Anti-entropy instead of read repair: a round on every node in turn, pass after pass, until a pass
     * where every round is complete and finds nothing to fix (at most {@link #REPAIR_PASSES_MAX} passes).
     */
    private boolean antiEntropyUntilQuiet() {
        for (int pass = 1; pass <= REPAIR_PASSES_MAX; pass++) {
            boolean quiet = true;
            for (SimNode node : liveNodes()) {
                RepairReport report = repair(node.id());
                if (report == null) return false;
                quiet &= report.complete() && report.keysDiffering() == 0;
            }
            if (quiet) return true;
        }
        violation("repair: anti-entropy still finds differences after " + REPAIR_PASSES_MAX + " passes");
        return false;
    }

    /** One anti-entropy round on {@code id}, waited for (its writes durable); null if it did not end. */
    RepairReport repair(int id) {
        AtomicReference<RepairReport> report = new AtomicReference<>();
        SimNode node = node(id);
        node.core().antiEntropy().requestRound(report::set, events.nowMs());
        if (!await(() -> report.get() != null, "repair: the round on n" + id + " did not end")) return null;
        trace.record(events.nowMs(), "repair n" + id + " " + report.get());
        events.runFor(2 * SimConfig.TICK_MS + config.fsyncMsMax()); // what it applied becomes durable
        return report.get();
    }

    SimNode node(int id) {
        return nodes.get(id - 1);
    }

    /** Cuts every link to and from {@code node}, both ways; it stays up. */
    void isolate(int node) {
        for (SimNode other : nodes) {
            if (other.id() == node) continue;
            network.cut(node, other.id());
            network.cut(other.id(), node);
        }
        trace.record(events.nowMs(), "partition: n" + node + " isolated");
    }

    void healNetwork() {
        network.healAll();
        trace.record(events.nowMs(), "heal partition");
    }

    /** Waits until every node is up and holds every other one up in its current incarnation. */
    boolean awaitMembership() {
        return await(this::membershipConverged, "membership did not converge");
    }

    /** Waits until no node holds a hint any more (every missed write was replayed, or dropped). */
    boolean awaitHintsDrained() {
        return await(this::hintsDrained, "hinted handoff did not replay its hints");
    }

    void runFor(long ms) {
        events.runFor(ms);
    }

    /** Checker (b) now, on the replicas as they are: no read, so no read repair, has touched them. */
    List<String> replicasConverged() {
        return Checkers.replicasConverged(liveNodes(), config.keys(), SimConfig.REPLICATION_FACTOR);
    }

    private boolean hintsDrained() {
        for (SimNode node : nodes) if (node.isUp() && node.core().pendingHints() > 0) return false;
        return true;
    }

    List<Integer> preferenceList(String key) {
        return liveNodes().get(0).core().membership().ring().preferenceList(Key.of(key), SimConfig.REPLICATION_FACTOR);
    }

    /** Checkers (a) and (c) over the history so far, plus any violation seen on the way. */
    List<String> violations() {
        List<String> all = new ArrayList<>(violations);
        all.addAll(historyViolations());
        return all;
    }

    String traceTail() {
        return trace.tail();
    }

    /** The checker's client reads every key at {@code level} through random nodes; all must succeed. */
    private boolean readEveryKey(Consistency level, String phase) {
        return readEvery(History.Kind.GET, Workload::key, level, phase);
    }

    /** One read of every key of a kind through a random live node; a violation for every read that failed. */
    private boolean readEvery(History.Kind kind, java.util.function.IntFunction<String> keyOf, Consistency level,
                              String phase) {
        List<History.Operation> reads = new ArrayList<>();
        List<SimNode> live = liveNodes();
        for (int i = 0; i < workload.keys(); i++) {
            reads.add(workload.request(Workload.CHECKER, kind, keyOf.apply(i), level, live.get(random.nextInt(live.size())).id()));
        }
        if (!await(() -> reads.stream().allMatch(History.Operation::completed), phase + ": reads unanswered")) return false;
        boolean allSucceeded = true;
        for (History.Operation read : reads) {
            if (read.succeeded()) continue;
            violation(phase + ": a read failed on a healed cluster: " + read);
            allSucceeded = false;
        }
        return allSucceeded;
    }

    /** The checker's client reads every counter at {@code level} (ALL: its read repair makes the replicas equal). */
    private boolean readEveryCounter(Consistency level, String phase) {
        return readEvery(History.Kind.COUNTER_GET, Workload::counterKey, level, phase);
    }

    private boolean await(BooleanSupplier condition, String failure) {
        if (events.runUntil(condition, events.nowMs() + PHASE_MS_MAX)) return true;
        violation(failure + " within " + PHASE_MS_MAX + " ms" + membershipReport());
        return false;
    }

    /**
     * Every node that did not leave is up, NORMAL (no join or leave under way), knows every other such
     * node's current incarnation and holds it up, and knows that the nodes that left did (the durable
     * cluster log and gossip: a node that was down when it happened learns it on return).
     */
    private boolean membershipConverged() {
        for (SimNode node : nodes) {
            if (node.hasLeft()) continue;
            if (!node.isUp()) return false;
            Membership membership = node.core().membership();
            for (SimNode other : nodes) {
                var member = membership.member(other.id());
                if (other.hasLeft()) {
                    if (member == null || member.status() != Member.Status.LEFT) return false;
                    continue;
                }
                if (member == null || member.generation() != other.incarnation() || member.status() != Member.Status.NORMAL
                        || !membership.isUp(other.id(), events.nowMs())) return false;
            }
        }
        return true;
    }

    private String membershipReport() {
        StringBuilder s = new StringBuilder();
        for (SimNode node : nodes) {
            s.append("\n  n").append(node.id()).append(node.isUp()
                    ? " knows " + node.core().membership().digest(events.nowMs()) : " is down");
        }
        return s.toString();
    }

    private void violation(String description) {
        violations.add(description);
        trace.record(events.nowMs(), "VIOLATION " + description);
    }

    private static String stackTop(Throwable e) {
        StringBuilder s = new StringBuilder();
        StackTraceElement[] stack = e.getStackTrace();
        for (int i = 0; i < Math.min(8, stack.length); i++) s.append("\n    at ").append(stack[i]);
        return s.toString();
    }
}
