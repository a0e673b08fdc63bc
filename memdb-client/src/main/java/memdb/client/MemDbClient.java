package memdb.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
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
    /**
     * Attempts refused before anything may have counted: free to retry (a new id, so likely another leader),
     * and with one replica of three down a third of the ids lead there, so three tries failed one increment
     * in 27 (CounterIT); eight fail one in 6,561.
     */
    static final int COUNTER_REFUSALS_MAX = 8;

    private final ConnectionPool pool;
    private final Router router;
    /** The last key validated (see validKey); written and read by any thread, unsynchronized on purpose. */
    private LastKey lastKey;

    MemDbClient(ConnectionPool pool, Router router) {
        this.pool = pool;
        this.router = router;
    }

    @Override
    public CompletableFuture<byte[]> getBytesAsync(String key, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        return execute(key, k -> new Requests.Get(k, consistency), Responses.Value.class, MemDbClient::bytesOf);
    }

    @Override
    public CompletableFuture<Void> setAsync(String key, byte[] value, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        byte[] snapshot = Objects.requireNonNull(value, "value").clone(); // the caller may reuse its array
        return execute(key, k -> new Requests.Set(k, snapshot, consistency), Responses.Written.class, MemDbClient::nothing);
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

    // The callback variants build their request directly (no lambda capturing it per request).

    @Override
    public void getBytesAsync(String key, Consistency consistency, BiConsumer<? super byte[], ? super Throwable> callback) {
        Objects.requireNonNull(consistency, "consistency");
        Key validKey = validKeyOrFail(key, callback);
        if (validKey != null) send(validKey, new Requests.Get(validKey, consistency), Responses.Value.class, MemDbClient::bytesOf, callback);
    }

    @Override
    public void setAsync(String key, byte[] value, Consistency consistency, BiConsumer<? super Void, ? super Throwable> callback) {
        Objects.requireNonNull(consistency, "consistency");
        byte[] snapshot = Objects.requireNonNull(value, "value").clone(); // the caller may reuse its array
        Key validKey = validKeyOrFail(key, callback);
        if (validKey != null) send(validKey, new Requests.Set(validKey, snapshot, consistency), Responses.Written.class, MemDbClient::nothing, callback);
    }

    @Override
    public void deleteAsync(String key, Consistency consistency, BiConsumer<? super Boolean, ? super Throwable> callback) {
        Objects.requireNonNull(consistency, "consistency");
        Key validKey = validKeyOrFail(key, callback);
        if (validKey != null) send(validKey, new Requests.Delete(validKey, consistency), Responses.Written.class, Responses.Written::existed, callback);
    }

    @Override
    public void containsAsync(String key, Consistency consistency, BiConsumer<? super Boolean, ? super Throwable> callback) {
        Objects.requireNonNull(consistency, "consistency");
        Key validKey = validKeyOrFail(key, callback);
        if (validKey != null) send(validKey, new Requests.Contains(validKey, consistency), Responses.Bool.class, Responses.Bool::value, callback);
    }

    private static byte[] bytesOf(Responses.Value value) {
        return value.isPresent() ? value.value() : null;
    }

    private static Void nothing(Responses.Written written) {
        return null;
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
        return withValidKey(key, validKey ->
                increment(validKey, delta, consistency, ThreadLocalRandom.current().nextLong(), false, COUNTER_ATTEMPTS_MAX,
                        COUNTER_REFUSALS_MAX)
                        .thenApply(response -> expect(CounterMessages.State.class, response).value()));
    }

    /**
     * One attempt of an increment, and its retries (docs/counters.md, "Idempotency"). The operation id picks
     * the increment's leader on the nodes; every attempt of one id meets that leader, which counts it once.
     * An attempt refused by a node (UNAVAILABLE: its leader down, too few replicas) or never sent counted
     * nothing: while no attempt may have counted, the next one takes a new id (so, likely, another leader).
     * Once one may have (TIMEOUT, UNKNOWN_OUTCOME, a connection lost after the write), the id is kept, and
     * if the attempts run out or its leader cannot be reached the outcome is unknown (MemDbTimeoutException):
     * a new id could count the increment twice. Refusals while nothing may have counted draw on their own,
     * larger budget ({@link #COUNTER_REFUSALS_MAX}); every other attempt on {@code attemptsLeft}.
     */
    private CompletableFuture<Response> increment(Key key, long delta, Consistency consistency, long operationId,
                                                  boolean mayHaveCounted, int attemptsLeft, int refusalsLeft) {
        Request request = new CounterMessages.Add(key, operationId, delta, consistency);
        Call[] last = new Call[1];
        return router.route(key)
                .thenCompose(route -> send(route.coordinators(), 0, request, last))
                .exceptionallyCompose(failure -> {
                    MemDbException cause = Futures.toMemDbException(failure);
                    Call call = last[0];
                    boolean countedNothing = call != null && cause instanceof UnavailableException
                            && (!call.written() || call.answered());
                    boolean unknown = cause instanceof MemDbTimeoutException
                            || (cause instanceof UnavailableException && !countedNothing);
                    if (!countedNothing && !unknown) return CompletableFuture.failedFuture(cause); // refused for good
                    boolean counted = mayHaveCounted || unknown;
                    int attempts = counted ? attemptsLeft - 1 : attemptsLeft;
                    int refusals = counted ? refusalsLeft : refusalsLeft - 1;
                    if (attempts < 1 || refusals < 1 || pool.isClosed()) {
                        if (counted && !(cause instanceof MemDbTimeoutException)) {
                            return CompletableFuture.failedFuture(ErrorCode.UNKNOWN_OUTCOME.exception("the increment may or "
                                    + "may not have been counted: " + cause.getMessage()));
                        }
                        return CompletableFuture.failedFuture(cause);
                    }
                    long nextId = counted ? operationId : ThreadLocalRandom.current().nextLong();
                    return increment(key, delta, consistency, nextId, counted, attempts, refusals);
                });
    }

    @Override
    public CompletableFuture<Long> getCounterAsync(String key, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        return execute(key, k -> new CounterMessages.Get(k, consistency), CounterMessages.State.class,
                CounterMessages.State::value);
    }

    @Override
    public CounterQuorumResponse getQuorumCounter(String key) {
        return new CounterQuorumResponse(askReplicas(key, validKey -> new CounterMessages.Get(validKey, Consistency.ONE),
                (replica, response) -> {
                    PnCounter counter = expect(CounterMessages.State.class, response).counter();
                    return new ReplicaResponse<>(replica, Responses.ValueState.PRESENT, counter.epoch(), counter);
                }));
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

    /**
     * The one path of every single-coordinator operation, with a future: {@link #send} with a callback that
     * completes it. Failures reach the future as a CompletionException around the cause, as a chain of stages
     * gives them (an invalid key and a closed client: a future failed with the exception itself).
     */
    private <R extends Response, T> CompletableFuture<T> execute(
            String key, Function<Key, Request> requestForKey, Class<R> answerType, Function<R, T> result) {
        return withValidKey(key, validKey -> {
            CompletableFuture<T> answer = new CompletableFuture<>();
            send(validKey, requestForKey.apply(validKey), answerType, result, (value, failure) -> {
                if (failure == null) answer.complete(value);
                else failWith(answer, failure);
            });
            return answer;
        });
    }

    /**
     * The key of a callback variant, validated, or null after the failure went to {@code callback} (at once, on
     * this thread: an invalid key, a closed client; the failure itself, never wrapped).
     */
    private Key validKeyOrFail(String key, BiConsumer<?, ? super Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        Key validKey;
        try {
            validKey = validKey(key);
        } catch (MemDbException e) {
            deliver(callback, null, e);
            return null;
        }
        if (pool.isClosed()) {
            deliver(callback, null, Failures.clientClosed());
            return null;
        }
        return validKey;
    }

    /**
     * Routes the key (without a future once the view is known) and sends the request as a call whose listener
     * ({@link Exchange}) decodes the answer or fails over; no future per request (a chain of thenCompose,
     * exceptionallyCompose and thenApply cost three futures and three completions per request).
     */
    private <R extends Response, T> void send(Key validKey, Request request, Class<R> answerType, Function<R, T> result,
                                              BiConsumer<? super T, ? super Throwable> outcome) {
        Exchange<R, T> exchange = new Exchange<>(request, answerType, result, outcome);
        Router.Route route = router.routeIfKnown(validKey);
        if (route != null) {
            exchange.start(route.coordinators());
            return;
        }
        router.route(validKey).whenComplete((known, failure) -> {
            if (failure != null) deliver(outcome, null, Futures.unwrapCompletion(failure));
            else exchange.start(known.coordinators());
        });
    }

    /**
     * Hands an outcome to a caller's callback. The callback runs on the I/O thread, so whatever it throws is
     * dropped here, as CompletableFuture drops what a whenComplete action throws: it must not end the
     * connection under the other requests.
     */
    private static <T> void deliver(BiConsumer<? super T, ? super Throwable> outcome, T value, Throwable failure) {
        try {
            outcome.accept(value, failure);
        } catch (RuntimeException | Error ignored) {
            // the caller's own failure; the client goes on
        }
    }

    /**
     * One single-coordinator request on its way: sent to the first coordinator that takes it (the next only
     * when it never reached the previous one), its answer decoded, the outcome delivered once.
     */
    private final class Exchange<R extends Response, T> implements Call.Listener {
        private final Request request;
        private final Class<R> answerType;
        private final Function<R, T> result;
        private final BiConsumer<? super T, ? super Throwable> outcome;
        private List<NodeAddress> coordinators;
        private int index;

        Exchange(Request request, Class<R> answerType, Function<R, T> result, BiConsumer<? super T, ? super Throwable> outcome) {
            this.request = request;
            this.answerType = answerType;
            this.result = result;
            this.outcome = outcome;
        }

        void start(List<NodeAddress> coordinators) {
            this.coordinators = coordinators;
            pool.send(coordinators.get(0), request, this);
        }

        @Override
        public void answered(Call call, Response response) {
            T value;
            try {
                value = result.apply(expect(answerType, response));
            } catch (RuntimeException | Error e) { // as thenApply would: the outcome is a failure, never lost
                deliver(outcome, null, e);
                return;
            }
            deliver(outcome, value, null);
        }

        @Override
        public void failed(Call call, MemDbException failure) {
            if (tryNextCoordinator(coordinators.get(index), call, index, coordinators.size(), failure)) {
                index++;
                pool.send(coordinators.get(index), request, this);
            } else {
                deliver(outcome, null, failure);
            }
        }
    }

    private static void failWith(CompletableFuture<?> answer, Throwable failure) {
        answer.completeExceptionally(failure instanceof CompletionException ? failure : new CompletionException(failure));
    }

    /** Runs {@code operation} on the validated key, or fails at once: an invalid key, a closed client. */
    private <T> CompletableFuture<T> withValidKey(String key, Function<Key, CompletableFuture<T>> operation) {
        Key validKey;
        try {
            validKey = validKey(key);
        } catch (MemDbException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (pool.isClosed()) return CompletableFuture.failedFuture(Failures.clientClosed());
        return operation.apply(validKey);
    }

    /** Sends to the first coordinator that takes the request; {@code last[0]} is the last call made. */
    private CompletableFuture<Response> send(List<NodeAddress> coordinators, int index, Request request, Call[] last) {
        NodeAddress node = coordinators.get(index);
        Call call = pool.send(node, request);
        last[0] = call;
        return call.result().exceptionallyCompose(failure -> tryNextCoordinator(node, call, index, coordinators.size(), failure)
                ? send(coordinators, index + 1, request, last) : CompletableFuture.failedFuture(failure));
    }

    /**
     * Whether a call that failed should go to the next coordinator: only when it never reached a node
     * (unavailable before it was written) and there is a next one. Tells the router of an unreachable node.
     */
    private boolean tryNextCoordinator(NodeAddress node, Call call, int index, int coordinators, Throwable failure) {
        if (!(failure instanceof UnavailableException unavailable) || pool.isClosed()) return false;
        if (unavailable.code() == ErrorCode.UNAVAILABLE) router.nodeFailed(node); // not OVERLOADED
        return !call.written() && index + 1 < coordinators;
    }

    /** Asks every replica of the key for its version (GET at ONE, which a replica answers from its own store). */
    private <T> QuorumResponse<T> quorumRead(String key, Function<byte[], T> decode) {
        return askReplicas(key, validKey -> new Requests.Get(validKey, Consistency.ONE), (replica, response) -> {
            Responses.Value value = expect(Responses.Value.class, response);
            T decoded = value.isPresent() ? decode.apply(value.value()) : null;
            return new ReplicaResponse<>(replica, value.state(), value.timestamp(), decoded);
        });
    }

    /**
     * Sends every replica of the key its own read ({@code requestForKey}, at ONE), each answer arriving on its
     * own as {@code answer} reads it. Waits for the route only before the first view is known.
     */
    private <T> QuorumResponse<T> askReplicas(String key, Function<Key, Request> requestForKey,
                                              BiFunction<NodeAddress, Response, ReplicaResponse<T>> answer) {
        Key validKey = validKey(key);
        Request request = requestForKey.apply(validKey);
        Router.Route route = Futures.join(router.route(validKey));
        Map<NodeAddress, CompletableFuture<ReplicaResponse<T>>> answers = new LinkedHashMap<>();
        for (NodeAddress replica : route.replicas()) {
            Call call = pool.send(replica, request);
            answers.put(replica, call.result().thenApply(response -> answer.apply(replica, response)));
        }
        return new QuorumResponse<>(answers);
    }

    /**
     * The key encoded and validated. The last one is kept with the string it came from, and used again when the
     * next request passes the same String object (a caller that sends one key over and over, as a load
     * generator does, then encodes it once); another string, even an equal one, is encoded anew.
     */
    private Key validKey(String key) {
        LastKey last = lastKey;
        if (last != null && last.text == Objects.requireNonNull(key, "key")) return last.key;
        Key valid = Key.of(Objects.requireNonNull(key, "key")).validate();
        lastKey = new LastKey(key, valid);
        return valid;
    }

    /** A key string and its encoded Key (immutable, so any thread may read it through a plain field). */
    private record LastKey(String text, Key key) {}

    /** The connection already checked the opcode, so a mismatch here means a decoder broke the protocol. */
    private static <R extends Response> R expect(Class<R> answerType, Response response) {
        if (answerType.isInstance(response)) return answerType.cast(response);
        throw ErrorCode.MALFORMED_FRAME.exception(
                "a MemDB node answered with " + response + " where " + answerType.getSimpleName() + " was expected");
    }
}
