package memdb.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.UnavailableException;

/**
 * The {@link MemDb} implementation: turns each operation into one protocol request, lets the
 * {@link Router} pick the node(s), and sends it over that node's {@link NodeConnection} (one per node,
 * created on first use). Every operation goes through {@link #execute}; quorum reads through
 * {@link #quorumRead}.
 *
 * <p>Failover: when a request could not even be handed to a coordinator (unreachable, connection lost
 * before the write, too many queued) the next coordinator the router offers is tried; a request that
 * reached a node is never resent, so a write is never applied twice by the client. Nodes whose last
 * connect failed within a second are tried last, so a dead node does not cost every request a connect.
 */
final class MemDbClient implements MemDb {
    private final ClientConfig config;
    private final Router router;
    private final NettyTransport transport = new NettyTransport();
    private final ClientClock clock = new ClientClock();
    private final Map<NodeAddress, NodeConnection> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    MemDbClient(ClientConfig config, Router router) {
        this.config = config;
        this.router = router;
    }

    @Override
    public CompletableFuture<byte[]> getBytesAsync(String key, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        return execute(key, k -> new Requests.Get(k, consistency), Responses.Value.class,
                value -> value.isPresent() ? value.value() : null);
    }

    @Override
    public CompletableFuture<Void> setAsync(String key, byte[] value, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        byte[] snapshot = Objects.requireNonNull(value, "value").clone(); // the caller may reuse its array
        return execute(key, k -> new Requests.Set(k, snapshot, consistency), Responses.Written.class, written -> null);
    }

    @Override
    public CompletableFuture<Boolean> deleteAsync(String key, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        return execute(key, k -> new Requests.Delete(k, consistency), Responses.Written.class, Responses.Written::existed);
    }

    @Override
    public CompletableFuture<Boolean> containsAsync(String key, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        return execute(key, k -> new Requests.Contains(k, consistency), Responses.Bool.class, Responses.Bool::value);
    }

    @Override
    public QuorumResponse<byte[]> quorumGetBytes(String key) {
        return quorumRead(key, Function.identity());
    }

    @Override
    public QuorumResponse<String> quorumGet(String key) {
        return quorumRead(key, bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public long lamportTime() {
        return clock.highestSeen();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        connections.values().forEach(NodeConnection::close);
        transport.close();
    }

    /** The one path of every single-coordinator operation. */
    private <R extends Response, T> CompletableFuture<T> execute(
            String key, Function<Key, Request> requestForKey, Class<R> answerType, Function<R, T> result) {
        Key validKey;
        try {
            validKey = validKey(key);
        } catch (MemDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closed.get()) return CompletableFuture.failedFuture(Failures.clientClosed());
        Request request = requestForKey.apply(validKey);
        return send(reachableFirst(router.coordinatorsFor(validKey)), 0, request)
                .thenApply(response -> result.apply(expect(answerType, response)));
    }

    private CompletableFuture<Response> send(List<NodeAddress> coordinators, int index, Request request) {
        Call call = new Call(request);
        connection(coordinators.get(index)).submit(call);
        if (index + 1 == coordinators.size()) return call.result();
        return call.result().exceptionallyCompose(failure -> {
            boolean neverSent = !call.written() && failure instanceof UnavailableException && !closed.get();
            return neverSent ? send(coordinators, index + 1, request) : CompletableFuture.failedFuture(failure);
        });
    }

    /** The router's order, except that nodes whose last connect failed moments ago go last. */
    private List<NodeAddress> reachableFirst(List<NodeAddress> coordinators) {
        if (coordinators.size() == 1) return coordinators;
        List<NodeAddress> order = new ArrayList<>(coordinators.size());
        List<NodeAddress> unreachable = new ArrayList<>();
        for (NodeAddress node : coordinators) (connection(node).recentlyUnreachable() ? unreachable : order).add(node);
        order.addAll(unreachable);
        return order;
    }

    /** Asks every replica of the key for its version, each answer arriving on its own. */
    private <T> QuorumResponse<T> quorumRead(String key, Function<byte[], T> decode) {
        Key validKey = validKey(key);
        Map<NodeAddress, CompletableFuture<ReplicaResponse<T>>> answers = new LinkedHashMap<>();
        for (NodeAddress replica : router.replicasFor(validKey)) {
            Call call = new Call(new Requests.Get(validKey, Consistency.ONE));
            if (closed.get()) call.fail(Failures.clientClosed());
            else connection(replica).submit(call);
            answers.put(replica, call.result().thenApply(response -> {
                Responses.Value value = expect(Responses.Value.class, response);
                T decoded = value.isPresent() ? decode.apply(value.value()) : null;
                return new ReplicaResponse<>(replica, value.state(), value.timestamp(), decoded);
            }));
        }
        return new QuorumResponse<>(answers);
    }

    private NodeConnection connection(NodeAddress node) {
        return connections.computeIfAbsent(node, address -> new NodeConnection(address, transport, config, clock));
    }

    private static Key validKey(String key) {
        return Key.of(Objects.requireNonNull(key, "key")).validate();
    }

    /** The connection already checked the opcode, so a mismatch here means a decoder broke the protocol. */
    private static <R extends Response> R expect(Class<R> answerType, Response response) {
        if (answerType.isInstance(response)) return answerType.cast(response);
        throw ErrorCode.MALFORMED_FRAME.exception(
                "a MemDB node answered with " + response + " where " + answerType.getSimpleName() + " was expected");
    }
}
