package memdb.node;

import java.util.List;

/**
 * Where the node listens and whom it contacts first. Port 0 asks the OS for a free port; {@code respPort}
 * is the Redis-protocol listener's, 0 (the default) for none. {@code advertiseAddress} is the address told
 * to peers (gossip, the cluster log) and clients (CLUSTER_INFO) instead of {@code bind:port}, for a node
 * reached through a NAT, a proxy or another name; null for {@code bind:port}. {@code busyPollMicros}: how long
 * the event loop serving clients polls for more work before it sleeps (memdb.net.BusyPoll), 0 to sleep at once.
 */
public record NetworkConfig(String bind, int port, int adminPort, List<HostPort> seeds, int respPort,
                            HostPort advertiseAddress, long busyPollMicros) {
    public static final String BIND_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 10000;
    public static final int ADMIN_PORT_DEFAULT = 10080;
    /** Linux's suggested net.core.busy_poll; a few request gaps of unpipelined clients under load. */
    public static final long BUSY_POLL_US_DEFAULT = 50;
    public static final long BUSY_POLL_US_MAX = 10_000;

    public NetworkConfig {
        seeds = List.copyOf(seeds);
        if (busyPollMicros < 0 || busyPollMicros > BUSY_POLL_US_MAX) {
            throw new IllegalArgumentException("busyPollMicros must be 0.." + BUSY_POLL_US_MAX + ": " + busyPollMicros);
        }
    }

    /** Advertising {@code bind:port}, polling for the default window. */
    public NetworkConfig(String bind, int port, int adminPort, List<HostPort> seeds, int respPort) {
        this(bind, port, adminPort, seeds, respPort, null, BUSY_POLL_US_DEFAULT);
    }

    /** Without a RESP listener. */
    public NetworkConfig(String bind, int port, int adminPort, List<HostPort> seeds) {
        this(bind, port, adminPort, seeds, 0);
    }

    /** The host peers and clients are told to reach this node at. */
    public String advertisedHost() {
        return advertiseAddress == null ? bind : advertiseAddress.host();
    }

    /** The port peers and clients are told to reach this node at. */
    public int advertisedPort() {
        return advertiseAddress == null ? port : advertiseAddress.port();
    }

    /**
     * The local address the node's outgoing peer connections start from: the bind address when it names
     * one interface (a multi-homed host talks to its peers from the address they know it by), null (the
     * system's choice) when the node listens on every interface.
     */
    public String outgoingHost() {
        return isWildcard(bind) ? null : bind;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }
}
