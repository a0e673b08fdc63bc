package memdb.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Opens {@link MemDb} clients. Opening connects nothing: each node is connected (and authenticated) on
 * the first request that needs it, so building a client never fails for network reasons.
 *
 * <pre>{@code
 * try (MemDb db = MemDbConnections.single("127.0.0.1", 10000, authKey)) {
 *     db.set("greeting", "hello");
 *     String greeting = db.get("greeting");
 * }
 * MemDb cluster = MemDbConnections.builder().authKey(authKey).seeds(List.of("10.0.0.1:10000", "10.0.0.2:10000"))
 *         .requestTimeout(Duration.ofSeconds(1)).build();
 * }</pre>
 */
public final class MemDbConnections {
    private MemDbConnections() {}

    /** A client of the one node at host:port. */
    public static MemDb single(String host, int port, String authKey) {
        return builder().authKey(authKey).nodes(List.of(new NodeAddress(host, port))).build();
    }

    /** A client of the cluster reached through {@code seeds} ("host:port" strings). */
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
        private Duration connectTimeout = ClientConfig.CONNECT_TIMEOUT_DEFAULT;
        private Duration requestTimeout = ClientConfig.REQUEST_TIMEOUT_DEFAULT;
        private int inFlightRequestsMax = ClientConfig.IN_FLIGHT_REQUESTS_MAX_DEFAULT;
        private int queuedRequestsMax = ClientConfig.QUEUED_REQUESTS_MAX_DEFAULT;

        private Builder() {}

        /** The cluster's auth key (sent as UTF-8). */
        public Builder authKey(String authKey) {
            Objects.requireNonNull(authKey, "authKey");
            this.authKey = authKey.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** "host:port" strings; the client learns the rest of the cluster from them. */
        public Builder seeds(List<String> seeds) {
            Objects.requireNonNull(seeds, "seeds");
            return nodes(seeds.stream().map(NodeAddress::parse).toList());
        }

        public Builder nodes(List<NodeAddress> nodes) {
            this.seeds = List.copyOf(nodes);
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

        /** Validates the settings (IllegalArgumentException with the reason) and opens the client. */
        public MemDb build() {
            if (authKey == null) throw new IllegalArgumentException("an auth key is required");
            if (seeds == null) throw new IllegalArgumentException("at least one seed node is required");
            List<NodeAddress> nodes = seeds.stream().distinct().toList();
            ClientConfig config = new ClientConfig(authKey, nodes, connectTimeout, requestTimeout,
                    inFlightRequestsMax, queuedRequestsMax);
            return new MemDbClient(config, new AllNodesRouter(config.seeds()));
        }
    }
}
