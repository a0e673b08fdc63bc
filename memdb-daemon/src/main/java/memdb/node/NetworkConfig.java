package memdb.node;

import java.util.List;

/** Where the node listens and whom it contacts first. Port 0 asks the OS for a free port. */
public record NetworkConfig(String bind, int port, int adminPort, List<HostPort> seeds) {
    public static final String BIND_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 10000;
    public static final int ADMIN_PORT_DEFAULT = 10080;

    public NetworkConfig {
        seeds = List.copyOf(seeds);
    }
}
