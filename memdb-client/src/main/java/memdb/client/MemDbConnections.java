package memdb.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import memdb.tls.ClientTls;

/**
 * Opens {@link MemDb} clients. Opening connects nothing: each node is connected (and authenticated) on
 * the first request that needs it, so building a client never fails for network reasons.
 *
 * <p>Two kinds of client. A <em>cluster</em> client ({@link #cluster}, {@link Builder#seeds}) learns the
 * ring from its seeds (CLUSTER_INFO) on its first request, sends each key to one of its replicas, routes
 * around nodes that are down and keeps its view fresh ({@link RingRouter}). A <em>single-node</em> client
 * ({@link #single}, {@link Builder#node}) talks to that one node only and never asks for the ring: the
 * node coordinates every request, and a quorum read asks that node alone. Use it for tools pointed at
 * one node, or when only that node is reachable (behind a proxy or a tunnel).
 *
 * <pre>{@code
 * try (MemDb db = MemDbConnections.single("127.0.0.1", 10000, authKey)) {
 *     db.set("greeting", "hello");
 *     String greeting = db.get("greeting");
 * }
 * MemDb cluster = MemDbConnections.builder().authKey(authKey).seeds(List.of("10.0.0.1:10000", "10.0.0.2:10000"))
 *         .requestTimeout(Duration.ofSeconds(1)).build();
 * MemDb overTls = MemDbConnections.builder().authKey(clientKey).seeds(seeds).tls(Path.of("certs/ca.pem")).build();
 * }</pre>
 */
public final class MemDbConnections {
    private MemDbConnections() {}

    /** A client of the one node at host:port, with no routing (see the class comment). */
    public static MemDb single(String host, int port, String authKey) {
        return builder().authKey(authKey).node(host, port).build();
    }

    /** A cluster client that learns the ring through {@code seeds} ("host:port" strings) and routes by key. */
    public static MemDb cluster(String authKey, List<String> seeds) {
        return builder().authKey(authKey).seeds(seeds).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a client; auth key and seeds are required, the rest have defaults. */
    public static final class Builder {
        private byte[] authKey;
        private List<NodeAddress> seeds;
        private NodeAddress singleNode;
        private Duration connectTimeout = ClientConfig.CONNECT_TIMEOUT_DEFAULT;
        private Duration requestTimeout = ClientConfig.REQUEST_TIMEOUT_DEFAULT;
        private int inFlightRequestsMax = ClientConfig.IN_FLIGHT_REQUESTS_MAX_DEFAULT;
        private int queuedRequestsMax = ClientConfig.QUEUED_REQUESTS_MAX_DEFAULT;
        private Duration clusterRefreshInterval = ClientConfig.CLUSTER_REFRESH_INTERVAL_DEFAULT;
        private ClientTls tls;
        private int connectionsPerNode = 1;

        private Builder() {}

        /** The cluster's auth key (sent as UTF-8). */
        public Builder authKey(String authKey) {
            Objects.requireNonNull(authKey, "authKey");
            this.authKey = authKey.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** "host:port" strings of a cluster's nodes; the client learns the rest of the cluster from them. */
        public Builder seeds(List<String> seeds) {
            Objects.requireNonNull(seeds, "seeds");
            return nodes(seeds.stream().map(NodeAddress::parse).toList());
        }

        /** {@link #seeds} as addresses. */
        public Builder nodes(List<NodeAddress> nodes) {
            this.seeds = List.copyOf(nodes);
            return this;
        }

        /** Talk to this one node only, with no routing (instead of seeds). */
        public Builder node(String host, int port) {
            this.singleNode = new NodeAddress(host, port);
            return this;
        }

        /** How long connecting to a node may take (default 2 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long a request may wait for its answer, queueing included (default 5 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Requests written to one connection and not yet answered (default 1024); the rest queue. */
        public Builder inFlightRequestsMax(int inFlightRequestsMax) {
            this.inFlightRequestsMax = inFlightRequestsMax;
            return this;
        }

        /** Requests that may queue per connection (default 65536); beyond it they fail with OVERLOADED. */
        public Builder queuedRequestsMax(int queuedRequestsMax) {
            this.queuedRequestsMax = queuedRequestsMax;
            return this;
        }

        /** How often a cluster client re-asks the cluster for its view (default 5 s). */
        public Builder clusterRefreshInterval(Duration clusterRefreshInterval) {
            this.clusterRefreshInterval = clusterRefreshInterval;
            return this;
        }

        /**
         * Connections to open to each node (default 1, at most 10,000), all served by the client's one event
         * loop; requests take them in turn. One pipelined connection carries a node's full load, so more are
         * for spreading load over a node's I/O threads or for load tests that need many connections
         * (`memdb bench --connections`). Requests a thread sends without waiting for the answers may then
         * reach the node in another order than they were sent.
         */
        public Builder connectionsPerNode(int connectionsPerNode) {
            this.connectionsPerNode = connectionsPerNode;
            return this;
        }

        /**
         * Connect over TLS, trusting the CA certificate(s) in the PEM file {@code caPem} (for a cluster whose
         * certificates {@code memdb cert} made). The node's address must be in its certificate.
         */
        public Builder tls(Path caPem) {
            return tls(ClientTls.trusting(Objects.requireNonNull(caPem, "caPem")));
        }

        /** Connect over TLS with these settings (e.g. {@link ClientTls#systemTrust()}); null: plaintext (the default). */
        public Builder tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        /** Validates the settings (IllegalArgumentException with the reason) and opens the client. */
        public MemDb build() {
            if (authKey == null) throw new IllegalArgumentException("an auth key is required");
            if (seeds != null && singleNode != null) {
                throw new IllegalArgumentException("give either seeds (a cluster client) or one node, not both");
            }
            if (seeds == null && singleNode == null) throw new IllegalArgumentException("at least one seed node is required");
            List<NodeAddress> nodes = singleNode != null ? List.of(singleNode) : seeds.stream().distinct().toList();
            ClientConfig config = new ClientConfig(authKey, nodes, connectTimeout, requestTimeout,
                    inFlightRequestsMax, queuedRequestsMax, clusterRefreshInterval, tls, null, connectionsPerNode);
            ConnectionPool pool = new ConnectionPool(config);
            Router router = singleNode != null ? new SingleNodeRouter(singleNode)
                    : new RingRouter(pool, config.seeds(), config.clusterRefreshInterval());
            return new MemDbClient(pool, router);
        }
    }
}
