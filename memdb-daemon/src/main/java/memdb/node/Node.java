package memdb.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import memdb.client.AuthKeyFile;
import memdb.clock.LamportClock;
import memdb.net.ClientServer;
import memdb.net.Session;
import memdb.oplog.OpLog;
import memdb.protocol.Member;
import memdb.replication.ReplicationSettings;
import memdb.store.Store;

/**
 * A running node: the assembly of core, core loop, op log and client server (STYLE §12, wiring by hand).
 * {@link #start} binds and returns it serving; {@link #close()} stops it in order: stop accepting
 * connections, answer the requests already accepted, close the op log, close the connections.
 */
public final class Node implements AutoCloseable {
    /** Requests waiting for the core loop before new ones are refused as OVERLOADED. */
    public static final int PENDING_REQUESTS_MAX = 16_384;
    /** The software version reported on AUTH: the jar's Implementation-Version, or "dev" outside a jar. */
    public static final String VERSION = versionOrDev();

    private final ServerConfig config;
    private final CoreLoop loop;
    private final OpLog opLog;
    private final ClientServer server;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private Node(ServerConfig config, CoreLoop loop, OpLog opLog, ClientServer server) {
        this.config = config;
        this.loop = loop;
        this.opLog = opLog;
        this.server = server;
    }

    /** Starts a node without persistence (the file op log plugs in through {@link #start(ServerConfig, OpLog)}). */
    public static Node start(ServerConfig config) {
        return start(config, OpLog.none());
    }

    /**
     * Creates the data directory if missing, takes the auth key from the config or else from the user's
     * auth-key file (created on first start), and binds the client port. The node owns {@code opLog} from
     * here on and closes it on {@link #close()}, before closing the connections: a log that runs commit
     * callbacks on its own thread must run the pending ones in {@code close()} for their replies to go out.
     *
     * @throws UncheckedIOException when the data directory, the key file or the port cannot be set up
     */
    public static Node start(ServerConfig config, OpLog opLog) {
        createDataDir(config.storage().dataDir());
        String authKey = config.authKey().orElseGet(() -> AuthKeyFile.readOrCreate(AuthKeyFile.defaultPath()));
        int nodeId = config.nodeId();
        LongSupplier clock = CoreLoop.monotonicMs();
        NodeCore core = newCore(config, new LamportClock(nodeId, 0), new Store(), opLog, clock.getAsLong());
        CoreLoop loop = new CoreLoop(core, opLog, PeerSender.NONE, clock, PENDING_REQUESTS_MAX, "memdb-core-" + nodeId);
        loop.start();
        try {
            NetworkConfig network = config.network();
            ClientServer server = ClientServer.bind(network.bind(), network.port(), config.limits(),
                    () -> new Session(authKey, nodeId, VERSION), loop);
            return new Node(config, loop, opLog, server);
        } catch (RuntimeException e) {
            loop.close();
            opLog.close();
            throw e;
        }
    }

    /** The node's core: this node as a ring member, and the cluster settings from the config. */
    static NodeCore newCore(ServerConfig config, LamportClock clock, Store store, OpLog opLog, long nowMs) {
        NetworkConfig network = config.network();
        ClusterConfig cluster = config.cluster();
        Member self = new Member(config.nodeId(), network.bind(), network.port(), System.currentTimeMillis(), 0,
                Member.Status.NORMAL, true);
        ReplicationSettings replication = new ReplicationSettings(cluster.replicationFactor(), cluster.writeConsistency(),
                cluster.readConsistency(), cluster.requestTimeoutMs(), config.limits().valueBytesMax());
        List<String> seeds = network.seeds().stream().map(HostPort::toString).toList();
        NodeCore.Settings settings = new NodeCore.Settings(replication, cluster.gossipIntervalMs(), cluster.downAfterMs(),
                cluster.vnodesPerNode(), seeds);
        return new NodeCore(self, clock, store, opLog, settings, new SplittableRandom(), nowMs);
    }

    public ServerConfig config() {
        return config;
    }

    /** The address the client port is bound to (the real port when the config asked for port 0). */
    public InetSocketAddress address() {
        return server.localAddress();
    }

    public int port() {
        return address().getPort();
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
            loop.close();
            opLog.close();
            server.close();
        } finally {
            terminated.countDown();
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        terminated.await();
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
