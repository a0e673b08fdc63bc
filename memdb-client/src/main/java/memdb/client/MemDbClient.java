package memdb.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.concurrent.ThreadLocalRandom;
import memdb.crdt.PnCounter;
import memdb.protocol.Consistency;
import memdb.protocol.CounterMessages;
import memdb.protocol.MemDbTimeoutException;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.MemDbException;
import memdb.protocol.Request;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.UnavailableException;

/**
 * The {@link MemDb} implementation: turns each operation into one protocol request, asks the
 * {@link Router} where it goes, and sends it over the {@link ConnectionPool}. Every operation goes
 * through {@link #execute}; quorum reads through {@link #quorumRead}.
 *
 * <p>Failover: when a request could not even be handed to a coordinator (unreachable, connection lost
 * before the write, too many queued) the next coordinator of the route is tried; a request that reached a
 * node is never resent, so a write is never applied twice by the client. Every connection-level failure
 * is reported to the router ({@link Router#nodeFailed}), which may refresh its view of the cluster.
 */
final class MemDbClient implements MemDb {
    /** Attempts of one increment (the first and its retries with the same operation id). */
    static final int COUNTER_ATTEMPTS_MAX = 3;

    private final ConnectionPool pool;
    private final Router router;

    MemDbClient(ConnectionPool pool, Router router) {
        this.pool = pool;
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
    public CompletableFuture<Boolean> casBytesAsync(String key, byte[] expected, byte[] newValue) {
        byte[] expectedCopy = expected == null ? null : expected.clone();
        byte[] newCopy = Objects.requireNonNull(newValue, "newValue").clone();
        return execute(key, k -> new PaxosMessages.Cas(k, expectedCopy, newCopy), Responses.Bool.class, Responses.Bool::value);
    }

    @Override
    public CompletableFuture<byte[]> serialGetBytesAsync(String key) {
        return execute(key, PaxosMessages.SerialGet::new, Responses.Value.class, value -> value.isPresent() ? value.value() : null);
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
    public CompletableFuture<Long> incrementAsync(String key, long delta, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        long operationId = ThreadLocalRandom.current().nextLong(); // one per logical increment, kept by its retries
        Key validKey;
        try {
            validKey = validKey(key);
        } catch (MemDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (pool.isClosed()) return CompletableFuture.failedFuture(Failures.clientClosed());
        Request request = new CounterMessages.Add(validKey, operationId, delta, consistency);
        return retried(validKey, request, COUNTER_ATTEMPTS_MAX)
                .thenApply(response -> expect(CounterMessages.State.class, response).value());
    }

    @Override
    public CompletableFuture<Long> getCounterAsync(String key, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        return execute(key, k -> new CounterMessages.Get(k, consistency), CounterMessages.State.class,
                CounterMessages.State::value);
    }

    @Override
    public CounterQuorumResponse getQuorumCounter(String key) {
        Key validKey = validKey(key);
        Router.Route route = Futures.join(router.route(validKey));
        Map<NodeAddress, CompletableFuture<ReplicaResponse<PnCounter>>> answers = new LinkedHashMap<>();
        for (NodeAddress replica : route.replicas()) {
            Call call = pool.send(replica, new CounterMessages.Get(validKey, Consistency.ONE));
            answers.put(replica, call.result().thenApply(response -> {
                PnCounter counter = expect(CounterMessages.State.class, response).counter();
                return new ReplicaResponse<>(replica, Responses.ValueState.PRESENT, counter.epoch(), counter);
            }));
        }
        return new CounterQuorumResponse(new QuorumResponse<>(answers));
    }

    /**
     * An idempotent request (its operation id makes a second delivery harmless): on UNAVAILABLE or a
     * timeout it is sent again, to the route's next coordinator, up to {@code attemptsLeft} times in all.
     */
    private CompletableFuture<Response> retried(Key key, Request request, int attemptsLeft) {
        return router.route(key)
                .thenCompose(route -> send(route.coordinators(), 0, request))
                .exceptionallyCompose(failure -> {
                    MemDbException cause = Futures.toMemDbException(failure);
                    boolean retryable = cause instanceof UnavailableException || cause instanceof MemDbTimeoutException;
                    if (!retryable || attemptsLeft <= 1 || pool.isClosed()) return CompletableFuture.failedFuture(cause);
                    return retried(key, request, attemptsLeft - 1);
                });
    }

    @Override
    public long lamportTime() {
        return pool.lamportTime();
    }

    @Override
    public void close() {
        router.close();
        pool.close();
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
        if (pool.isClosed()) return CompletableFuture.failedFuture(Failures.clientClosed());
        Request request = requestForKey.apply(validKey);
        return router.route(validKey)
                .thenCompose(route -> send(route.coordinators(), 0, request))
                .thenApply(response -> result.apply(expect(answerType, response)));
    }

    private CompletableFuture<Response> send(List<NodeAddress> coordinators, int index, Request request) {
        NodeAddress node = coordinators.get(index);
        Call call = pool.send(node, request);
        return call.result().exceptionallyCompose(failure -> {
            if (!(failure instanceof UnavailableException unavailable) || pool.isClosed()) {
                return CompletableFuture.failedFuture(failure);
            }
            if (unavailable.code() == ErrorCode.UNAVAILABLE) router.nodeFailed(node); // not OVERLOADED
            boolean neverSent = !call.written() && index + 1 < coordinators.size();
            return neverSent ? send(coordinators, index + 1, request) : CompletableFuture.failedFuture(failure);
        });
    }

    /**
     * Asks every replica of the key for its version (GET at ONE, which a replica answers from its own
     * store), each answer arriving on its own. Waits for the route only before the first view is known.
     */
    private <T> QuorumResponse<T> quorumRead(String key, Function<byte[], T> decode) {
        Key validKey = validKey(key);
        Router.Route route = Futures.join(router.route(validKey));
        Map<NodeAddress, CompletableFuture<ReplicaResponse<T>>> answers = new LinkedHashMap<>();
        for (NodeAddress replica : route.replicas()) {
            Call call = pool.send(replica, new Requests.Get(validKey, Consistency.ONE));
            answers.put(replica, call.result().thenApply(response -> {
                Responses.Value value = expect(Responses.Value.class, response);
                T decoded = value.isPresent() ? decode.apply(value.value()) : null;
                return new ReplicaResponse<>(replica, value.state(), value.timestamp(), decoded);
            }));
        }
        return new QuorumResponse<>(answers);
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
