package memdb.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import memdb.cluster.Membership;
import memdb.node.NodeCore;
import memdb.protocol.Consistency;
import memdb.protocol.Key;
import memdb.repair.RepairReport;
import memdb.replication.ReplicationSettings;

/**
 * One deterministic run of a simulated cluster, everything drawn from one seed:
 *
 * <ol>
 *   <li>warm-up: start the nodes from their seeds until every node knows every other one and holds it up;
 *   <li>storm: the client {@link Workload} runs while the {@link Nemesis} crashes, restarts and
 *       partitions, and the network drops, duplicates, delays and reorders;
 *   <li>heal: reliable network, crashed nodes restarted, old traffic drained; then every node restarted
 *       from its log (so that what follows sees durable state only) and membership converged again;
 *   <li>repair: one ALL read per key through the core (read repair), or, with {@code Options.antiEntropy},
 *       anti-entropy rounds on every node and no read at all; then the replicas are compared (checker b);
 *   <li>read-back: one QUORUM read per key, judged with the whole history (checkers a and c).
 * </ol>
 * Same seed, same trace, same result: nothing here reads a clock, a hash order or a global random.
 */
final class Simulation {
    static final long PHASE_MS_MAX = 120_000;
    static final int REPAIR_PASSES_MAX = 4;

    /**
     * How to run. Two durable facts a restarted node needs and the node does not keep yet (both are core
     * bugs, see SimulationTest and ScenarioTest); the simulator models them unless told not to:
     * {@code clusterLog}, DESIGN §5's durable cluster log (a restarted node knows the members it knew);
     * {@code durableClock}, a Lamport clock that restarts above every timestamp it issued (DESIGN §3:
     * a timestamp names one write). {@code keepFullTrace} keeps every trace line, to explain a failure.
     */
    record Options(boolean clusterLog, boolean durableClock, boolean keepFullTrace, boolean antiEntropy) {
        static final Options DEFAULTS = new Options(true, false, false);

        /** The heal phase repairs by read repair (an ALL read of every key). */
        Options(boolean clusterLog, boolean durableClock, boolean keepFullTrace) {
            this(clusterLog, durableClock, keepFullTrace, false);
        }

        Options withFullTrace() {
            return new Options(clusterLog, durableClock, true, antiEntropy);
        }

        /** The heal phase repairs by anti-entropy rounds alone, no read repair. */
        Options withAntiEntropy() {
            return new Options(clusterLog, durableClock, keepFullTrace, true);
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

    /** A run whose shape is drawn from the seed. */
    static Simulation drawn(long seed, Options options) {
        Random random = new Random(seed);
        return new Simulation(seed, random, SimConfig.draw(random), options);
    }

    /** A run of a given shape, for scripted scenarios. */
    static Simulation shaped(long seed, SimConfig config, Options options) {
        return new Simulation(seed, new Random(seed), config, options);
    }

    private Simulation(long seed, Random random, SimConfig config, Options options) {
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
                SimConfig.GOSSIP_INTERVAL_MS, SimConfig.DOWN_AFTER_MS, SimConfig.VNODES_PER_NODE, seeds);
        for (int id = 1; id <= config.nodes(); id++) {
            SimNode node = new SimNode(id, events, random, network, trace, settings, config.fsyncMsMax(),
                    options, this::violation);
            nodes.add(node);
            network.attach(node);
        }
        this.workload = new Workload(config, events, random, network, history, this::violation);
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
        boolean finished = await(workload::finished, "storm: clients did not finish; " + workload.unfinished());
        nemesis.stop();
        if (!finished) return;

        network.healAll();
        network.setFaults(config.healed());
        for (SimNode node : nodes) if (!node.isUp()) node.start();
        trace.record(events.nowMs(), "heal: all links, all nodes");
        events.runFor(2 * SimConfig.REQUEST_TIMEOUT_MS + config.longDelayMsMax()); // old operations expire
        if (!await(() -> membershipConverged() && network.messagesInFlight() == 0, "heal: cluster did not settle")) return;
        if (!restartAll()) return; // what follows sees durable state only

        if (options.antiEntropy()) {
            if (!antiEntropyUntilQuiet()) return;
        } else {
            if (!readEveryKey(Consistency.ALL, "repair")) return;
            events.runFor(SimConfig.REQUEST_TIMEOUT_MS); // read repairs land and become durable
        }
        violations.addAll(Checkers.replicasConverged(nodes, config.keys(), SimConfig.REPLICATION_FACTOR));

        readEveryKey(Consistency.QUORUM, "read-back");
    }

    private List<String> historyViolations() {
        List<String> found = new ArrayList<>(Checkers.quorumReadsSeeAcknowledgedWrites(history));
        found.addAll(Checkers.noPhantomValues(history));
        return found;
    }

    // ---- for scripted scenarios -------------------------------------------------------------------

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

    /** A power cut: every node crashes at once and restarts from its log; waits for membership again. */
    boolean restartAll() {
        trace.record(events.nowMs(), "restart all");
        for (SimNode node : nodes) node.crash();
        for (SimNode node : nodes) node.start();
        return await(this::membershipConverged, "restart: membership did not converge");
    }

    /**
     * Anti-entropy instead of read repair: a round on every node in turn, pass after pass, until a pass
     * where every round is complete and finds nothing to fix (at most {@link #REPAIR_PASSES_MAX} passes).
     */
    private boolean antiEntropyUntilQuiet() {
        for (int pass = 1; pass <= REPAIR_PASSES_MAX; pass++) {
            boolean quiet = true;
            for (SimNode node : nodes) {
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

    /** Checker (b) now: the replicas of every key hold the same version. */
    List<String> replicasConverged() {
        return Checkers.replicasConverged(nodes, config.keys(), SimConfig.REPLICATION_FACTOR);
    }

    /** Lets simulated time pass. */
    void runFor(long ms) {
        events.runFor(ms);
    }

    SimNode node(int id) {
        return nodes.get(id - 1);
    }

    List<Integer> preferenceList(String key) {
        return nodes.get(0).core().membership().ring().preferenceList(Key.of(key), SimConfig.REPLICATION_FACTOR);
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
        List<History.Operation> reads = new ArrayList<>();
        for (int i = 0; i < config.keys(); i++) {
            reads.add(workload.request(Workload.CHECKER, History.Kind.GET, Workload.key(i), level,
                    1 + random.nextInt(config.nodes())));
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

    private boolean await(BooleanSupplier condition, String failure) {
        if (events.runUntil(condition, events.nowMs() + PHASE_MS_MAX)) return true;
        violation(failure + " within " + PHASE_MS_MAX + " ms" + membershipReport());
        return false;
    }

    /** Every node up, knowing every other node's current incarnation and holding it up. */
    private boolean membershipConverged() {
        for (SimNode node : nodes) {
            if (!node.isUp()) return false;
            Membership membership = node.core().membership();
            for (SimNode other : nodes) {
                var member = membership.member(other.id());
                if (member == null || member.generation() != other.incarnation()
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
