package memdb.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import memdb.auth.AuthThrottle;
import memdb.clock.LamportClock;
import memdb.cluster.ClusterLog;
import memdb.admin.AdminServer;
import memdb.admin.RequestMetrics;
import memdb.net.ClientListener;
import memdb.net.ClientServer;
import memdb.net.HeldPort;
import io.netty.channel.EventLoopGroup;
import memdb.net.PeerTransport;
import memdb.net.Session;
import memdb.counter.CounterStore;
import memdb.oplog.DirectoryLock;
import memdb.oplog.FileOpLog;
import memdb.oplog.FsyncPolicy;
import memdb.oplog.OpLog;
import memdb.oplog.RepairHorizon;
import memdb.oplog.ReplayReport;
import memdb.oplog.StoreReplay;
import memdb.oplog.format.Frame;
import memdb.oplog.format.LogRecord;
import memdb.handoff.HandoffSettings;
import memdb.paxos.AcceptorStates;
import memdb.paxos.Proposer;
import memdb.repair.RepairReport;
import memdb.protocol.Member;
import memdb.replication.ReplicationSettings;
import memdb.resp.RespServer;
import memdb.resp.ServerFacts;
import memdb.store.Store;

/**
 * A running node: the assembly of core, core loop, op log and client server (STYLE §12, wiring by hand).
 * {@link #start} takes the data directory's lock, binds the ports (NodePorts), replays the op log, and only
 * then serves the ports and returns; {@link #close()} stops it in order: stop accepting
 * connections, answer the requests already accepted, close the op log, close the connections.
 */
public final class Node implements AutoCloseable {
    /** Requests waiting for the core loop before new ones are refused as OVERLOADED. */
    public static final int PENDING_REQUESTS_MAX = 16_384;
    /** The software version reported on AUTH: the jar's Implementation-Version, or "dev" outside a jar. */
    public static final String VERSION = versionOrDev();
    /** How long a connect to a peer may take before the peer counts as unreachable for that request. */
    private static final Duration PEER_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    private static final long LEAVE_POLL_MS = 200;

    private final ServerConfig config;
    private final RunningConfig runningConfig;
    private final CoreLoop loop;
    private final OpLog opLog;
    private final ClientListener server;
    private final PeerTransport peers;
    private final AdminServer admin;
    /** The Redis-protocol listener, or null when resp-port is 0. */
    private final ClientListener resp;
    /** The event loop the core runs on and the client channels are served on; stopped last. */
    private final EventLoopGroup coreGroup;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private Node(ServerConfig config, RunningConfig runningConfig, CoreLoop loop, OpLog opLog, ClientListener server,
                 PeerTransport peers, AdminServer admin, ClientListener resp, EventLoopGroup coreGroup) {
        this.coreGroup = coreGroup;
        this.runningConfig = runningConfig;
        this.resp = resp;
        this.peers = peers;
        this.admin = admin;
        this.config = config;
        this.loop = loop;
        this.opLog = opLog;
        this.server = server;
    }

    /**
     * Starts a node on its data directory: takes the directory's lock, replays the op log into the store
     * (reporting a torn tail or what force-recover dropped), restarts the Lamport clock above every
     * timestamp in the log, and serves.
     *
     * @throws UncheckedIOException when the directory is locked by another process, the log is damaged
     *     (with the file and offset), or the key file or the port cannot be set up
     */
    public static Node start(ServerConfig config) {
        return start(ResolvedConfig.embedded(config), null, Canaries.fromSystemProperty());
    }

    /**
     * Starts a node on the configuration {@code loader} resolves, and keeps the loader so that
     * {@link RunningConfig#reload} (SIGHUP) can resolve it again.
     */
    public static Node start(ConfigLoader loader) {
        return start(loader.get(), loader, Canaries.fromSystemProperty());
    }

    /**
     * With canaries, boot replay plants two of them: forget-promise (the Paxos acceptor state is not
     * replayed) and no-clock-restore (the clock starts at 0, not above the log's highest timestamp).
     */
    private static Node start(ResolvedConfig resolved, ConfigLoader reloader, Canaries canaries) {
        long startNanos = System.nanoTime();
        ServerConfig config = resolved.config();
        requireMemoryFits(config.limits().memoryMaxBytes(), LimitsConfig.directMemoryMax());
        if (canaries.any()) LOG.log(System.Logger.Level.WARNING, canaries.warning(config.nodeId()));
        boolean restorePaxos = !canaries.has(Canaries.Canary.FORGET_PROMISE);
        BootWarmup warmup = BootWarmup.start(config);
        if (!config.storage().persistence()) {
            LOG.log(System.Logger.Level.WARNING, "persistence off: no op log, nothing is written to disk, and the data is lost"
                    + " when the node stops");
            return start(resolved, reloader, NodePorts.bind(config.nodeId(), config.network()), OpLog.none(), new Store(),
                    new CounterStore(), new AcceptorStates(), 0, List.of(), new ClusterLog.Restored(), canaries, warmup::security);
        }
        // The lock, then the ports, then the replay: a second node on the same directory is told the directory is in
        // use, a port in use is reported at once, and nothing is served before the state is rebuilt (NodePorts).
        Path dataDir = config.storage().dataDir();
        createDataDir(dataDir);
        DirectoryLock lock = lock(dataDir);
        NodePorts ports = bindOrUnlock(config, lock);
        long boundNanos = System.nanoTime();
        Store store = new Store(estimatedEntries(dataDir));
        CounterStore counters = new CounterStore();
        StoreReplay storeReplay = new StoreReplay(store, counters);
        ClusterLog.Restored clusterLog = new ClusterLog.Restored();
        List<LogRecord> hints = new ArrayList<>();
        AcceptorStates acceptorStates = new AcceptorStates();
        FileOpLog log;
        try {
            log = FileOpLog.openFrames(dataDir, lock, config.storage().logOptions(), (Frame f) -> {
                if (f.op() == OpLog.Op.SET || f.op() == OpLog.Op.DELETE) { // the bulk: straight into the store
                    storeReplay.accept(f);
                    return;
                }
                LogRecord r = f.toRecord();
                if (r.op() == OpLog.Op.CLUSTER) clusterLog.add(r.key(), r.timestamp().lamport(), r.value());
                else storeReplay.accept(r);
                if (r.op() == OpLog.Op.HINT) hints.add(r);
                if (restorePaxos) acceptorStates.restore(r.op(), r.key(), r.timestamp(), r.value());
            });
        } catch (IOException e) {
            ports.close();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            ports.close();
            throw e;
        }
        long replayedNanos = System.nanoTime();
        ReplayReport report = log.replayReport();
        if (report.recordsReplayed() > 0 || report.tornTail() != null || !report.dropped().isEmpty()) {
            for (String line : report.lines()) LOG.log(System.Logger.Level.INFO, line);
        }
        store.trim();
        acceptorStates.prune(store);
        long lamportHigh = canaries.has(Canaries.Canary.NO_CLOCK_RESTORE) ? 0 : report.lamportHigh();
        Node node = start(resolved, reloader, ports, log, store, counters, acceptorStates, lamportHigh, hints, clusterLog, canaries,
                warmup::security);
        if (report.recordsReplayed() > 0) {
            LOG.log(System.Logger.Level.INFO, bootLine(startNanos, boundNanos, replayedNanos, System.nanoTime(), report));
        }
        return node;
    }

    /** Takes the data directory's lock, or says the directory is in use (LogLockedException's sentence). */
    private static DirectoryLock lock(Path dataDir) {
        try {
            return DirectoryLock.acquire(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Binds the node's ports; when one cannot be bound, releases the data directory's lock before saying so. */
    private static NodePorts bindOrUnlock(ServerConfig config, DirectoryLock lock) {
        try {
            return NodePorts.bind(config.nodeId(), config.network());
        } catch (RuntimeException failure) {
            try {
                lock.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
    }

    /**
     * The boot's one-line summary, logged when there was something to replay (a fresh node's first line
     * stays its startup line): how long the process ran before the node
     * started (JVM start-up and the command line; unknown when the OS does not say when the process
     * started), taking the data directory's lock and binding the ports, the replay with its rate, and the rest
     * (core, serving the ports) until the node serves.
     */
    static String bootLine(long startNanos, long boundNanos, long replayedNanos, long readyNanos, ReplayReport report) {
        long portsMs = (boundNanos - startNanos) / 1_000_000;
        long replayMs = (replayedNanos - boundNanos) / 1_000_000;
        long restMs = (readyNanos - replayedNanos) / 1_000_000;
        String beforeMain = ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis() - (readyNanos - startNanos) / 1_000_000
                        + " ms before the node started (JVM, command line), ")
                .orElse("");
        long rate = replayedNanos > boundNanos ? report.recordsReplayed() * 1_000_000_000L / (replayedNanos - boundNanos) : 0;
        return "boot: " + beforeMain + "lock and ports " + portsMs + " ms, replay " + replayMs + " ms (" + report.recordsReplayed()
                + " records, " + rate + " records/s, " + report.bytesRead() / 1_000_000 + " MB), core and listeners " + restMs + " ms";
    }

    private static int estimatedEntries(Path dataDir) {
        try {
            return FileOpLog.estimatedEntries(dataDir);
        } catch (IOException e) {
            return 0; // only a guess; open() reports what is wrong with the directory
        }
    }

    /** Starts a node on an op log of the caller's (tests; {@link OpLog#none()} for no persistence). */
    public static Node start(ServerConfig config, OpLog opLog) {
        createDataDir(config.storage().dataDir());
        NodePorts ports;
        try {
            ports = NodePorts.bind(config.nodeId(), config.network());
        } catch (RuntimeException e) {
            opLog.close();
            throw e;
        }
        return start(ResolvedConfig.embedded(config), null, ports, opLog, new Store(), new CounterStore(), new AcceptorStates(), 0,
                List.of(), new ClusterLog.Restored(), Canaries.NONE, () -> NodeSecurity.of(config));
    }

    private static Node start(ResolvedConfig resolved, ConfigLoader reloader, NodePorts ports, OpLog opLog, Store store,
                              CounterStore counters,
                              AcceptorStates acceptorStates, long lamportHigh, List<LogRecord> hints,
                              ClusterLog.Restored clusterLog, Canaries canaries, Supplier<NodeSecurity> securityOf) {
        ServerConfig config = resolved.config();
        NodeSecurity security;
        try {
            security = securityOf.get();
        } catch (RuntimeException e) {
            opLog.close();
            ports.close();
            throw e;
        }
        int nodeId = config.nodeId();
        LongSupplier clock = CoreLoop.monotonicMs();
        if (canaries.has(Canaries.Canary.ACK_BEFORE_FSYNC)) opLog = new AckBeforeFsyncLog(opLog, clock);
        NodeCore core = newCore(config, new LamportClock(nodeId, lamportHigh), store, counters, opLog, acceptorStates,
                clock.getAsLong(), canaries);
        Duration requestTimeout = Duration.ofMillis(config.cluster().requestTimeoutMs());
        PeerTransport peers = new PeerTransport(security.peerKey(), PEER_CONNECT_TIMEOUT, requestTimeout, security.peerTls(),
                config.network().outgoingHost());
        core.restore(clusterLog, clock.getAsLong());
        for (LogRecord hint : hints) core.restoreHint(hint.key(), hint.timestamp(), hint.value());
        Path dataDir = config.storage().dataDir();
        if (config.storage().persistence()) {
            core.antiEntropy().onRoundFinished(report -> recordRepair(dataDir, report, clock.getAsLong()));
        } else {
            core.refuseCluster("node " + nodeId + " runs with persistence off and takes no part in a cluster");
        }
        EventLoopGroup coreGroup = ports.coreGroup(); // runs the core and serves the client and RESP channels (NodePorts)
        CoreLoop loop = new CoreLoop(core, opLog, peers, clock, PENDING_REQUESTS_MAX, coreGroup.next());
        RequestMetrics requestMetrics = new RequestMetrics();
        loop.recordRequestsInto(requestMetrics);
        peers.deliverTo(loop);
        loop.start();
        RunningConfig running = new RunningConfig(resolved, reloader, settings -> {
            settings.logLevel().applyToProcess();
            return loop.reconfigure(settings);
        });
        running.applyCurrent();
        ClientListener server = null;
        ClientListener resp = null;
        try {
            AuthThrottle throttle = new AuthThrottle(); // one record of wrong keys per address for both client ports
            server = ClientServer.serve(ports.client(), config.limits(), security.serverTls(),
                    certified -> new Session(security.keys(), security.peerMutual(), certified, nodeId, VERSION), loop, Node::halt,
                    throttle);
            AdminServer admin = ports.admin().serve(security.adminKeys(), security.serverTls(),
                    new NodeAdminBackend(loop, peers, nodeId, clock, requestMetrics, Node::halt, running));
            resp = ports.resp() == null ? null : startResp(config, ports.resp(), security, loop, throttle);
            Node node = new Node(config, running, loop, opLog, server, peers, admin, resp, coreGroup);
            node.stopOnceLeft(clock);
            return node;
        } catch (RuntimeException e) {
            if (resp != null) resp.close();
            if (server != null) server.close();
            loop.close();
            peers.close();
            opLog.close();
            ports.close();
            throw e;
        }
    }

    /** Serves the RESP2 listener on the port bound for resp-port. */
    private static ClientListener startResp(ServerConfig config, HeldPort port, NodeSecurity security, CoreLoop loop,
                                            AuthThrottle throttle) {
        NetworkConfig network = config.network();
        ServerFacts facts = new ServerFacts(VERSION, config.nodeId(), network.respPort(), config.storage().fsync().configName(),
                config.limits().connectionsMax(), System.currentTimeMillis());
        return RespServer.serve(port, config.limits(), security.clientKey(), security.serverTls(), facts, loop, throttle);
    }

    /**
     * A decommissioned node stops by itself: once its core has handed its ranges over, gone LEFT and every
     * member knows, the node closes (and {@code memdb server} exits). Polled on a small daemon thread.
     */
    private void stopOnceLeft(LongSupplier clock) {
        Thread watcher = new Thread(() -> {
            while (!closed.get()) {
                try {
                    Thread.sleep(LEAVE_POLL_MS);
                    if (loop.query(core -> core.stopRequested(clock.getAsLong())).get()) {
                        LOG.log(System.Logger.Level.INFO, "node " + config.nodeId() + " left the cluster; stopping");
                        close();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    return; // the loop is stopping
                }
            }
        }, "memdb-leave-watch-" + config.nodeId());
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * A complete anti-entropy round moves the tombstone purge horizon (repair.state) to the wall-clock
     * time it began. Runs on the core thread; a failed write is logged and leaves the old, safer horizon.
     */
    private static void recordRepair(Path dataDir, RepairReport report, long nowMs) {
        if (!report.complete()) return;
        try {
            RepairHorizon.write(dataDir, System.currentTimeMillis() - (nowMs - report.startedMs()));
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record the repair: " + e.getMessage());
        }
    }

    /** The node's core: this node as a ring member, the cluster settings from the config, and the bug canaries (tests only). */
    static NodeCore newCore(ServerConfig config, LamportClock clock, Store store, CounterStore counters, OpLog opLog,
                            AcceptorStates acceptorStates, long nowMs, Canaries canaries) {
        NetworkConfig network = config.network();
        ClusterConfig cluster = config.cluster();
        Member self = new Member(config.nodeId(), network.advertisedHost(), network.advertisedPort(), System.currentTimeMillis(), 0,
                cluster.join() ? Member.Status.JOINING : Member.Status.NORMAL, true);
        ReplicationSettings replication = new ReplicationSettings(cluster.replicationFactor(), cluster.writeConsistency(),
                cluster.readConsistency(), cluster.requestTimeoutMs(), config.limits().valueBytesMax());
        List<String> seeds = network.seeds().stream().map(HostPort::toString).toList();
        HandoffSettings handoff = HandoffSettings.DEFAULTS.withMaxHintsPerPeer(cluster.maxHintsPerPeer())
                .withHintMaxAgeMs(Math.multiplyExact(config.storage().tombstoneGraceSeconds(), 1000))
                .withReplayTimeoutMs(cluster.requestTimeoutMs());
        NodeCore.Settings settings = new NodeCore.Settings(replication, cluster.gossipIntervalMs(), cluster.downAfterMs(),
                cluster.vnodesPerNode(), seeds, handoff, cluster.streamBytesPerSec(),
                config.repair().settings(cluster.requestTimeoutMs()));
        long casTimeoutMs = cluster.casTimeoutMs();
        Proposer.Settings paxos = new Proposer.Settings(cluster.replicationFactor(), casTimeoutMs,
                Math.max(1, Math.min(cluster.requestTimeoutMs(), casTimeoutMs / 4)), Math.max(4, casTimeoutMs / 20),
                config.limits().valueBytesMax());
        NodeCore core = new NodeCore(self, clock, store, counters, opLog, settings, paxos, acceptorStates, new SplittableRandom(),
                nowMs, canaries);
        core.limits().configure(config.limits().memoryMaxBytes(), config.limits().keyBytesMax());
        return core;
    }

    /** The configuration the node started with (see {@link #runningConfig()} for the one in force). */
    public ServerConfig config() {
        return config;
    }

    /** The configuration in force, and its live changes. */
    public RunningConfig runningConfig() {
        return runningConfig;
    }

    /** The address the client port is bound to (the real port when the config asked for port 0). */
    public InetSocketAddress address() {
        return server.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** The RESP listener's port, or 0 when it is off. */
    public int respPort() {
        return resp == null ? 0 : resp.localAddress().getPort();
    }

    /** Client connections open right now. */
    public int openConnections() {
        return server.openConnections();
    }

    /** Stops the node cleanly; idempotent, and safe to call from a shutdown hook. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            server.stopAccepting();
            if (resp != null) resp.stopAccepting();
            admin.close();
            loop.close();
            peers.close();
            opLog.close();
            server.close();
            if (resp != null) resp.close();
            HeldPort.shutdown(coreGroup);
        } finally {
            terminated.countDown();
        }
    }

    /** The op log's fsync policy in force (the live {@code fsync} setting, as the log applied it); for tests. */
    FsyncPolicy fsyncPolicy() {
        return opLog instanceof FileOpLog file ? file.fsyncPolicy() : null;
    }

    /** The admin API's port (the real one when the config asked for port 0). */
    public int adminPort() {
        return admin.port();
    }

    /** Stops the process at once, as a SIGKILL would: the admin API's kill ("stop now, ring unchanged"). */
    private static void halt() {
        Runtime.getRuntime().halt(137);
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        terminated.await();
    }

    /**
     * max-memory must fit where the data lives, the JVM's direct memory (memdb.store.Slabs), with room left
     * for the connections' buffers: a node that would run out of it under load is refused at start instead.
     */
    static void requireMemoryFits(long memoryMaxBytes, long directMemoryMax) {
        long allowed = LimitsConfig.memoryMaxBytesAllowed(directMemoryMax);
        if (memoryMaxBytes <= allowed) return;
        throw new ConfigException("max-memory " + memoryMaxBytes + " bytes does not fit in this JVM: the node keeps its data in"
                + " direct memory, " + directMemoryMax + " bytes here (-XX:MaxDirectMemorySize, by default -Xmx), of which"
                + " max-memory may take at most " + allowed + "; lower max-memory or give the JVM more (-Xmx or"
                + " -XX:MaxDirectMemorySize in MEMDB_JAVA_OPTS)");
    }

    private static void createDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static String versionOrDev() {
        String version = Node.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
