package memdb.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import memdb.protocol.Request;
import memdb.tls.ClientTls;
import memdb.protocol.Response;

/**
 * Raw requests to nodes by address, for nodes talking to nodes (replication, gossip) and admin tools:
 * the same pipelined, authenticated, reconnecting {@link NodeConnection}s the client uses, without
 * routing. One connection per address, created on first use.
 *
 * <p>The Lamport time a request carries is the highest of the caller's {@code lamport} and every time
 * seen in answers, so a node's requests always carry at least its own clock. Futures complete on this
 * client's I/O thread: callers hand the result over and return, they never block there.
 */
public final class PeerClient implements AutoCloseable {
    private static final int IN_FLIGHT_MAX = 4096;
    private static final int QUEUED_MAX = 65_536;
    /** ClientConfig wants a seed; a peer client never routes, so this one is never contacted. */
    private static final List<NodeAddress> NO_ROUTING = List.of(NodeAddress.parse("127.0.0.1:1"));

    private final ConnectionPool pool;
    /** Parsed addresses: a node forwards to the same few peers all the time, so each string is parsed once. */
    private final ConcurrentHashMap<String, NodeAddress> addresses = new ConcurrentHashMap<>();

    public PeerClient(String authKey, Duration connectTimeout, Duration requestTimeout) {
        this(authKey, connectTimeout, requestTimeout, null);
    }

    /** Over TLS ({@code tls}; null: plaintext). */
    public PeerClient(String authKey, Duration connectTimeout, Duration requestTimeout, ClientTls tls) {
        this(authKey, connectTimeout, requestTimeout, tls, null);
    }

    /**
     * Over TLS ({@code tls}; null: plaintext), connecting from {@code localHost} (a node's bind address), or
     * the system's choice when null.
     */
    public PeerClient(String authKey, Duration connectTimeout, Duration requestTimeout, ClientTls tls, String localHost) {
        this.pool = new ConnectionPool(new ClientConfig(authKey.getBytes(StandardCharsets.UTF_8), NO_ROUTING,
                connectTimeout, requestTimeout, IN_FLIGHT_MAX, QUEUED_MAX, Duration.ofSeconds(5), tls, localHost, 1));
    }

    /** Sends {@code request} to the node at {@code address} ("host:port"); fails with a MemDbException. */
    public CompletableFuture<Response> call(String address, Request request, long lamport) {
        pool.observe(lamport);
        return pool.send(addresses.computeIfAbsent(address, NodeAddress::parse), request).result();
    }

    /** The highest Lamport time seen in any answer. */
    public long lamportTime() {
        return pool.lamportTime();
    }

    @Override
    public void close() {
        pool.close();
    }
}
