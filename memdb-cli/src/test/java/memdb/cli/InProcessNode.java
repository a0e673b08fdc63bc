package memdb.cli;

import java.nio.file.Path;
import java.util.Map;
import memdb.node.ConfigResolver;
import memdb.node.Node;

/** A real node in the test's own JVM on a free loopback port, for fast in-process CLI and REPL tests. */
final class InProcessNode implements AutoCloseable {
    static final String AUTH_KEY = "in-process-test-key";

    private final Node node;

    private InProcessNode(Node node) {
        this.node = node;
    }

    static InProcessNode start(Path dataDir) {
        return start(dataDir, MemdbProcesses.freePort());
    }

    /** On a given port: a node that comes back where it was. */
    static InProcessNode start(Path dataDir, int port) {
        Map<String, String> flags = Map.of("port", Integer.toString(port),
                "admin-port", Integer.toString(MemdbProcesses.freePort()), "auth-key", AUTH_KEY,
                "data-dir", dataDir.toString(), "fsync", "no");
        return new InProcessNode(Node.start(new ConfigResolver(null, dataDir.toString()).resolve(flags, Map.of(), null)));
    }

    String address() {
        return "127.0.0.1:" + node.port();
    }

    String adminAddress() {
        return "127.0.0.1:" + node.adminPort();
    }

    int openConnections() {
        return node.openConnections();
    }

    @Override
    public void close() {
        node.close();
    }
}
