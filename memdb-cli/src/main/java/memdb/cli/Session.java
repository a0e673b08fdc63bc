package memdb.cli;

import java.util.List;
import java.util.Objects;
import memdb.client.MemDb;

/**
 * What lives longer than one command: in the REPL, the one client connection that every command reuses
 * (the client reconnects by itself when a node comes back) and the warnings already given; in a one-shot
 * run, nothing: each command opens and closes its own client.
 *
 * <p>Invariant: at most one cached client; a command asking for other seeds, another key or another time
 * limit replaces it (the old one is closed).
 */
final class Session implements AutoCloseable {
    /** A client for one command; closing it closes the client only when the session does not keep it. */
    interface Lease extends AutoCloseable {
        MemDb db();

        @Override
        void close();
    }

    private record Target(List<String> seeds, String authKey, long timeoutMs, String tls) {}

    private final boolean keepsConnections;
    private Target cachedTarget;
    private MemDb cached;
    private boolean authKeyWarned;
    private volatile Boolean reachable;

    private Session(boolean keepsConnections) {
        this.keepsConnections = keepsConnections;
    }

    static Session oneShot() {
        return new Session(false);
    }

    static Session interactive() {
        return new Session(true);
    }

    /** True in the REPL (one connection for every line), false for one command from the shell. */
    boolean keepsConnections() {
        return keepsConnections;
    }

    synchronized Lease connect(ClientOptions options, Io io) {
        Target target = new Target(options.seedList(io), options.resolveAuthKey(io), options.timeoutMs(), options.tlsIdentity(io));
        if (!keepsConnections) {
            MemDb db = options.connect(io);
            return lease(db, db::close);
        }
        if (!Objects.equals(target, cachedTarget)) {
            if (cached != null) cached.close();
            cached = options.connect(io);
            cachedTarget = target;
        }
        return lease(cached, () -> { });
    }

    /** What the last data command found: the node answered (true) or could not be reached (false). */
    void observed(boolean nodeAnswered) {
        reachable = nodeAnswered;
    }

    /** True when the last data command could not reach a node (the REPL's prompt says so). */
    boolean disconnected() {
        return Boolean.FALSE.equals(reachable);
    }

    /** True the first time only: the --auth-key warning is given once per process or REPL. */
    synchronized boolean firstAuthKeyWarning() {
        boolean first = !authKeyWarned;
        authKeyWarned = true;
        return first;
    }

    private static Lease lease(MemDb db, Runnable onClose) {
        return new Lease() {
            @Override
            public MemDb db() {
                return db;
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    @Override
    public synchronized void close() {
        if (cached != null) cached.close();
        cached = null;
        cachedTarget = null;
    }
}
