package memdb.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import memdb.tls.ClientTls;

/**
 * The client's settings, validated once when the client is built.
 *
 * @param authKey              the cluster's key, sent in the AUTH frame that opens every connection
 * @param seeds                the nodes the client starts from (at least one)
 * @param connectTimeout       how long a TCP connect may take before the node counts as unreachable
 * @param requestTimeout       how long a request may wait for its answer, counted from submission
 * @param inFlightRequestsMax  requests written to one connection and not yet answered; more wait in a queue
 * @param queuedRequestsMax    requests waiting per connection (for AUTH or an in-flight slot); more are
 *                             refused at once with OVERLOADED, so a runaway producer cannot exhaust memory
 * @param clusterRefreshInterval how often a cluster client re-asks CLUSTER_INFO (it also does at once
 *                             when it fails to reach a node)
 * @param tls                  TLS to every node, or null for plaintext
 * @param localHost            the local address connections start from (a node's peer connections leave from
 *                             its bind address); null for the system's choice
 * @param connectionsPerNode   connections opened to each node (all on the client's one event loop); requests
 *                             take them in turn
 */
record ClientConfig(byte[] authKey, List<NodeAddress> seeds, Duration connectTimeout, Duration requestTimeout,
                    int inFlightRequestsMax, int queuedRequestsMax, Duration clusterRefreshInterval, ClientTls tls,
                    String localHost, int connectionsPerNode) {
    static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(5);
    static final int IN_FLIGHT_REQUESTS_MAX_DEFAULT = 1024;
    static final int QUEUED_REQUESTS_MAX_DEFAULT = 65_536;
    static final Duration CLUSTER_REFRESH_INTERVAL_DEFAULT = Duration.ofSeconds(5);
    static final int CONNECTIONS_PER_NODE_MAX = 10_000;

    ClientConfig {
        Objects.requireNonNull(authKey, "authKey");
        seeds = List.copyOf(Objects.requireNonNull(seeds, "seeds"));
        if (seeds.isEmpty()) throw new IllegalArgumentException("at least one seed node is required");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(clusterRefreshInterval, "clusterRefreshInterval");
        if (inFlightRequestsMax < 1) throw new IllegalArgumentException("inFlightRequestsMax must be >= 1");
        if (queuedRequestsMax < 1) throw new IllegalArgumentException("queuedRequestsMax must be >= 1");
        if (connectionsPerNode < 1 || connectionsPerNode > CONNECTIONS_PER_NODE_MAX) {
            throw new IllegalArgumentException("connectionsPerNode must be between 1 and " + CONNECTIONS_PER_NODE_MAX);
        }
    }

    /** Plaintext, one connection per node, connecting from the system's choice of local address. */
    ClientConfig(byte[] authKey, List<NodeAddress> seeds, Duration connectTimeout, Duration requestTimeout,
                 int inFlightRequestsMax, int queuedRequestsMax, Duration clusterRefreshInterval) {
        this(authKey, seeds, connectTimeout, requestTimeout, inFlightRequestsMax, queuedRequestsMax, clusterRefreshInterval,
                null, null, 1);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
