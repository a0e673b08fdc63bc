package memdb.node;

/**
 * Runs a node in the foreground for {@code memdb server}: starts it, prints one line to stderr, and waits
 * until the process is told to stop (SIGTERM or Ctrl-C run the shutdown hook, which closes the node
 * cleanly). The auth key is never printed. Started from a {@link ConfigLoader}, it also re-reads the
 * configuration on SIGHUP ({@link RunningConfig#reload}).
 */
public final class NodeRunner {
    /** One line per log record: time, level, logger, message (JUL's default takes two lines). */
    private static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";
    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    /** Netty's switch for its reference-count check on every buffer access, and the older name it still reads. */
    static final String CHECK_ACCESSIBLE_PROPERTY = "io.netty.buffer.checkAccessible";
    static final String CHECK_ACCESSIBLE_LEGACY_PROPERTY = "io.netty.buffer.bytebuf.checkAccessible";

    private NodeRunner() {}

    /** Blocks until the node has been shut down. */
    public static void runForeground(ServerConfig config) {
        applyProcessDefaults();
        runForeground(Node.start(config));
    }

    /** Resolves the configuration with {@code loader}, runs the node, and reloads on SIGHUP; blocks until shut down. */
    public static void runForeground(ConfigLoader loader) {
        applyProcessDefaults();
        Node node = Node.start(loader);
        ReloadSignal.install(node.runningConfig());
        runForeground(node);
    }

    /**
     * What a node process wants unless told otherwise by a system property: one-line log records, no Netty
     * leak tracking, and no reference-count check on every buffer access. Netty samples one buffer in 128 by
     * default, with a stack trace for it and a wrapper around every access to it: a test aid that cost a node
     * about 3% of its event loop under pipelined load. {@code -Dio.netty.leakDetection.level=paranoid} (e.g. in
     * MEMDB_JAVA_OPTS) turns it on. The access check reads a buffer's reference count on every get, set, read
     * and write, to turn a use after release (a bug) into an exception: ~10% of the event loop's samples under
     * pipelined RESP load (docs/performance.md, session 7). Bounds checks stay on.
     * {@code -Dio.netty.buffer.checkAccessible=true} turns it back on. Netty reads that property once, when its
     * buffer classes initialize, so this runs before anything touches a buffer.
     */
    static void applyProcessDefaults() {
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) System.setProperty(LOG_FORMAT_PROPERTY, LOG_FORMAT);
        if (System.getProperty(CHECK_ACCESSIBLE_PROPERTY) == null && System.getProperty(CHECK_ACCESSIBLE_LEGACY_PROPERTY) == null) {
            System.setProperty(CHECK_ACCESSIBLE_PROPERTY, "false");
        }
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    private static void runForeground(Node node) {
        ServerConfig config = node.config();
        Thread hook = new Thread(() -> {
            node.close();
            System.err.println("memdb node " + config.nodeId() + " stopped");
        }, "memdb-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println(startupLine(node));
        try {
            node.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().removeShutdownHook(hook);
            node.close();
        }
    }

    /**
     * E.g. {@code memdb node 1 listening on 127.0.0.1:10000, admin on 127.0.0.1:10080 (data dir
     * /home/ann/.local/share/memdb)}, with {@code , RESP on 127.0.0.1:6380} before the admin port when the
     * Redis-protocol listener is on, and {@code (persistence off)} instead of the data dir when there is none.
     */
    static String startupLine(Node node) {
        ServerConfig config = node.config();
        String bind = config.network().bind();
        String resp = node.respPort() == 0 ? "" : ", RESP on " + bind + ":" + node.respPort();
        return "memdb node " + config.nodeId() + " listening on " + bind + ":" + node.port() + resp
                + ", admin on " + bind + ":" + node.adminPort()
                + (config.storage().persistence() ? " (data dir " + config.storage().dataDir().toAbsolutePath() + ")"
                : " (persistence off)");
    }
}
