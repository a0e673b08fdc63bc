package memdb.node;

import java.util.List;

/**
 * Where the node listens and whom it contacts first. Port 0 asks the OS for a free port; {@code respPort}
 * is the Redis-protocol listener's, 0 (the default) for none.
 */
public record NetworkConfig(String bind, int port, int adminPort, List<HostPort> seeds, int respPort) {
    public static final String BIND_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 10000;
    public static final int ADMIN_PORT_DEFAULT = 10080;

    public NetworkConfig {
        seeds = List.copyOf(seeds);
    }

    /** Without a RESP listener. */
    public NetworkConfig(String bind, int port, int adminPort, List<HostPort> seeds) {
        this(bind, port, adminPort, seeds, 0);
    }
}
