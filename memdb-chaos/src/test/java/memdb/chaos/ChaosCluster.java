package memdb.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import memdb.cli.MemdbProcesses;
import memdb.client.MemDb;
import memdb.client.MemDbConnections;
import memdb.client.PeerClient;
import memdb.node.Canaries;
import memdb.protocol.ClusterRequests;
import memdb.protocol.ClusterResponses;

/**
 * N real {@code memdb} processes on loopback, each on an address of its own (127.0.0.(10+i), all of 127/8
 * is loopback on Linux) and each fronted by a {@link Proxy}: a node advertises its proxy
 * ({@code advertise-address}), so peers and clients reach it only through the proxy, and it starts its
 * peer connections from its own address, so the proxy knows who is calling. The harness itself (probes,
 * admin API, convergence reads) talks to the nodes directly.
 *
 * <p>Nodes are started, killed (SIGKILL), paused (SIGSTOP/SIGCONT), restarted (with a skewed wall clock
 * through libfaketime, or with --force-recover) by PID; {@link #close()} stops every one of them.
 */
final class ChaosCluster implements AutoCloseable {
    static final String AUTH_KEY = "chaos-harness-key";
    /** A node under libfaketime takes about ten times as long to start (50 s here on a loaded machine). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** Where Debian's faketime package puts the preload library. */
    static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    /** One node: its fixed address, port, proxy and home, and the process now running it (null when down). */
    static final class Node {
        final int id;
        final String host;
        final int port;
        final Path home;
        Proxy proxy;
        volatile MemdbProcesses.Server server;
        volatile boolean paused;
        /** The bug canary (memdb.node.Canaries) this node's process is started with; null: none. */
        volatile String canary;

        Node(int id, String host, int port, Path home) {
            this.id = id;
            this.host = host;
            this.port = port;
            this.home = home;
        }

        String directAddress() {
            return host + ":" + port;
        }

        String proxyAddress() {
            return host + ":" + proxy.port();
        }

        Path dataDir() {
            return home.resolve("db");
        }
    }

    private final MemdbProcesses processes;
    private final List<Node> nodes = new ArrayList<>();
    private final NetworkFaults faults = new NetworkFaults();
    private final Map<String, String> environment;
    private final PeerClient probe = new PeerClient(AUTH_KEY, Duration.ofSeconds(1), Duration.ofSeconds(3));

    /**
     * Starts {@code size} nodes (replication factor 3) and waits until each sees all of them up.
     * {@code environment}: extra variables for every node (settings as MEMDB_*, JDK_JAVA_OPTIONS).
     */
    ChaosCluster(Path root, int size, long seed, Map<String, String> environment) throws Exception {
        this.processes = new MemdbProcesses(root, START_TIMEOUT);
        Map<String, String> env = new HashMap<>(Map.of(
                "MEMDB_GOSSIP_INTERVAL_MS", "200", "MEMDB_DOWN_AFTER_MS", "2000",
                "MEMDB_REQUEST_TIMEOUT_MS", "3000", "MEMDB_CAS_TIMEOUT_MS", "4000",
                "MEMDB_REPAIR_INTERVAL_MS", "10000", "MEMDB_FSYNC", "everysec"));
        env.putAll(environment);
        this.environment = Map.copyOf(env);
        Map<InetAddress, Integer> nodeByAddress = new HashMap<>();
        for (int id = 1; id <= size; id++) {
            String host = "127.0.0." + (10 + id);
            nodes.add(new Node(id, host, MemdbProcesses.freePort(), processes.newHome("node" + id)));
            nodeByAddress.put(InetAddress.getByName(host), id);
        }
        try {
            for (Node node : nodes) {
                node.proxy = new Proxy(node.id, new InetSocketAddress(node.host, 0), new InetSocketAddress(node.host, node.port),
                        nodeByAddress, faults, seed + node.id);
            }
            for (Node node : nodes) start(node, Map.of(), false);
            awaitAllUp(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    Node node(int id) {
        return nodes.get(id - 1);
    }

    NetworkFaults faults() {
        return faults;
    }

    /**
     * Restarts (kill -9, start) each node whose bug canary is not the one {@code canaryByNode} gives it (null
     * or absent: none), so that it runs with that one; then waits until every node sees every node up.
     */
    void plant(Map<Integer, String> canaryByNode) throws Exception {
        for (Node node : nodes) {
            String wanted = canaryByNode.get(node.id);
            if (java.util.Objects.equals(wanted, node.canary) && node.server != null) continue;
            kill(node);
            node.canary = wanted;
            start(node, Map.of(), false);
        }
        if (!awaitAllUp(Duration.ofSeconds(60))) throw new IllegalStateException("the cluster did not come up within 60 s");
        for (Node node : nodes) awaitServing(node);
    }

    /**
     * Waits (bounded) until {@code node} serves client data: a node just started answers UNAVAILABLE until a
     * peer's gossip has brought its membership up to date. Probes with a read of a key of its own.
     */
    void awaitServing(Node node) throws InterruptedException {
        try (MemDb client = clientOf(node)) {
            Outcome<String> probe = null;
            for (int attempt = 0; attempt < 60 && (probe == null || !probe.ok()); attempt++) {
                if (probe != null) Thread.sleep(500);
                probe = Outcome.of(client.getAsync("harness-probe", memdb.protocol.Consistency.ONE));
            }
            if (!probe.ok()) throw new IllegalStateException("node " + node.id + " does not serve: " + probe.error());
        }
    }

    /**
     * Starts {@code node} (down) with bug canary {@code canary} (null: none) and waits until the nodes of
     * {@code together} (it among them) see each other up and it serves client data.
     */
    void startWith(Node node, String canary, List<Node> together) throws Exception {
        node.canary = canary;
        start(node, Map.of(), false);
        if (!awaitUp(together, Duration.ofSeconds(60))) throw new IllegalStateException("nodes did not see each other up within 60 s");
        awaitServing(node);
    }

    /** A client of {@code node} alone (through its proxy): that node coordinates every request. */
    MemDb clientOf(Node node) {
        return MemDbConnections.builder().node(node.host, node.proxy.port()).authKey(AUTH_KEY)
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(30)).build();
    }

    /** A client that learns the cluster through the proxies (as an application would reach it). */
    MemDb client() {
        return MemDbConnections.builder().seeds(nodes.stream().map(Node::proxyAddress).toList()).authKey(AUTH_KEY)
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10))
                .clusterRefreshInterval(Duration.ofSeconds(2)).build();
    }

    private String seeds() {
        return String.join(",", nodes.stream().map(Node::proxyAddress).toList());
    }

    /** Starts {@code node}'s process; {@code extraEnv} on top of the cluster's (libfaketime, say). */
    void start(Node node, Map<String, String> extraEnv, boolean forceRecover) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(environment);
        env.put("MEMDB_ADVERTISE_ADDRESS", node.proxyAddress());
        if (node.canary != null) env.put("JDK_JAVA_OPTIONS", "-D" + Canaries.PROPERTY + "=" + node.canary);
        env.putAll(extraEnv);
        List<String> args = new ArrayList<>(List.of("--node-id", Integer.toString(node.id), "--auth-key", AUTH_KEY,
                "--data-dir", node.dataDir().toString(), "--seeds", seeds()));
        if (forceRecover) args.add("--force-recover");
        node.paused = false;
        node.server = processes.startServer(node.home, node.host, node.port, env, args.toArray(String[]::new));
    }

    /**
     * Starts {@code node} again; when it refuses to boot (a damaged log), starts it with --force-recover.
     * Returns true when force-recover was needed.
     */
    boolean restart(Node node, Map<String, String> extraEnv) throws IOException, InterruptedException {
        try {
            start(node, extraEnv, false);
            return false;
        } catch (IllegalStateException refused) {
            String why = String.valueOf(refused.getMessage());
            System.out.println("node " + node.id + " refused to boot; restarting it with --force-recover: "
                    + why.substring(0, Math.min(400, why.length())).replace('\n', ' '));
            node.server = null;
            start(node, extraEnv, true);
            return true;
        }
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill(Node node) throws InterruptedException {
        MemdbProcesses.Server server = node.server;
        if (server == null) return;
        server.process().destroyForcibly();
        if (!server.process().waitFor(20, TimeUnit.SECONDS)) throw new IllegalStateException("node " + node.id + " survived SIGKILL");
        node.server = null;
        node.paused = false;
    }

    /** SIGKILL to every node at once (no node outlives another by more than the signals' spread), then waits. */
    void killAll() throws InterruptedException {
        for (Node node : nodes) if (node.server != null) node.server.process().destroyForcibly();
        for (Node node : nodes) kill(node);
    }

    void pause(Node node) throws IOException, InterruptedException {
        if (node.server == null) return;
        signal(node.server.process(), "STOP");
        node.paused = true;
    }

    void resume(Node node) throws IOException, InterruptedException {
        if (node.server == null || !node.paused) return;
        signal(node.server.process(), "CONT");
        node.paused = false;
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** The node's newest op-log segment (the one being appended to). */
    Path newestLogSegment(Node node) throws IOException {
        try (Stream<Path> files = Files.list(node.dataDir())) {
            return files.filter(p -> p.getFileName().toString().matches("log-\\d{20}\\.seg")).sorted()
                    .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no log segment in " + node.dataDir()));
        }
    }

    /** Cuts {@code bytes} off the end of the newest segment: a torn tail (a write that did not finish). */
    void truncateLogTail(Node node, int bytes) throws IOException {
        Path segment = newestLogSegment(node);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(Math.max(0, file.length() - bytes));
        }
    }

    /** Flips one bit at {@code fraction} (0..1) of the newest segment: damage in the middle of the log. */
    void flipLogBit(Node node, double fraction, int bit) throws IOException {
        Path segment = newestLogSegment(node);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            if (file.length() < 64) return;
            long at = 32 + (long) ((file.length() - 64) * fraction);
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ (1 << bit));
        }
    }

    /** Every fault off: the proxies pass everything, paused nodes go on, down nodes start. */
    void heal() throws IOException, InterruptedException {
        faults.heal();
        for (Node node : nodes) resume(node);
        for (Node node : nodes) if (node.server == null || !node.server.process().isAlive()) restart(node, Map.of());
    }

    /** Waits until every node sees every node up (bounded); false when it did not happen in time. */
    boolean awaitAllUp(Duration timeout) throws InterruptedException {
        return awaitUp(nodes, timeout);
    }

    /** Waits until each of {@code some} sees each of them up (bounded); false when it did not happen in time. */
    boolean awaitUp(List<Node> some, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (up(some)) return true;
            Thread.sleep(200);
        }
        return false;
    }

    private boolean up(List<Node> some) {
        for (Node node : some) {
            try {
                var view = (ClusterResponses.ClusterView) probe.call(node.directAddress(), new ClusterRequests.ClusterInfo(), 0)
                        .get(2, TimeUnit.SECONDS);
                for (Node other : some) {
                    if (view.members().stream().noneMatch(m -> m.up() && m.nodeId() == other.id)) return false;
                }
            } catch (Exception notYet) {
                return false;
            }
        }
        return true;
    }

    PeerClient probe() {
        return probe;
    }

    /** The stderr of every node so far (for a failure message). */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            MemdbProcesses.Server server = node.server;
            if (server != null) out.append("--- node ").append(node.id).append(" ---\n").append(server.stderr());
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            try {
                resume(node); // a stopped process would not act on SIGTERM
            } catch (IOException | RuntimeException ignored) {
                // it is killed below anyway
            }
        }
        for (Node node : nodes) if (node.proxy != null) node.proxy.close();
        probe.close();
        processes.close();
    }
}
