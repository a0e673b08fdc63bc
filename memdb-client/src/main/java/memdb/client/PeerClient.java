package memdb.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import memdb.protocol.Request;
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

    private final NettyTransport transport = new NettyTransport();
    private final ClientClock clock = new ClientClock();
    private final ClientConfig config;
    private final Map<String, NodeConnection> connections = new ConcurrentHashMap<>();

    public PeerClient(String authKey, Duration connectTimeout, Duration requestTimeout) {
        // The seed list is unused here (no routing); ClientConfig wants one, so the connections' own addresses serve.
        this.config = new ClientConfig(authKey.getBytes(StandardCharsets.UTF_8), List.of(NodeAddress.parse("127.0.0.1:1")),
                connectTimeout, requestTimeout, IN_FLIGHT_MAX, QUEUED_MAX, Duration.ofSeconds(5));
    }

    /** Sends {@code request} to the node at {@code address} ("host:port"); fails with a MemDbException. */
    public CompletableFuture<Response> call(String address, Request request, long lamport) {
        clock.observe(lamport);
        NodeConnection connection = connections.computeIfAbsent(address,
                a -> new NodeConnection(NodeAddress.parse(a), transport, config, clock));
        Call call = new Call(request);
        connection.submit(call);
        return call.result();
    }

    /** The highest Lamport time seen in any answer. */
    public long lamportTime() {
        return clock.highestSeen();
    }

    @Override
    public void close() {
        connections.values().forEach(NodeConnection::close);
        transport.close();
    }
}
