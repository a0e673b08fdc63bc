package memdb.cli.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import memdb.client.Futures;
import memdb.client.MemDb;
import memdb.protocol.Consistency;

/**
 * One benchmarked request: starts it for a key and hands its outcome to {@code done} exactly once (the
 * failure, or null on success). set, get, contains and delete use the client's callback variants, which make
 * no future per request (the bench keeps c x P requests in flight, and on 2 shared cores the load generator's
 * CPU per request is what its throughput is bound by: docs/performance.md, "Session 6"). The other operations
 * (incr on the counter {@code counter:<key>}) are the client's async calls (no thread of ours waits).
 * {@code quorum-get} has only a blocking wait in the client ({@code QuorumResponse.awaitQuorum}), so it waits
 * on a thread of the given bounded executor (never the JDK common pool); its consistency is always a majority
 * of the key's replicas, whatever {@code --consistency} says. {@code cas} is a linearizable CAS that swaps the
 * -d value for itself (a full Paxos round: prepare with the read, propose, commit); the first one on a key
 * finds it absent and sets it with a second CAS.
 */
@FunctionalInterface
interface BenchOperation {
    void start(String key, BiConsumer<Object, Throwable> done);

    /** An operation whose request is a future: {@code done} runs when it completes, with the cause of a failure. */
    static BenchOperation ofFuture(Function<String, CompletableFuture<?>> request) {
        return (key, done) -> request.apply(key).whenComplete((value, failure) ->
                done.accept(value, Futures.unwrapCompletion(failure)));
    }

    static BenchOperation of(BenchTest test, MemDb db, int valueBytes, Consistency consistency,
                             Duration requestTimeout, Executor blockingExecutor) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        return switch (test) {
            case SET -> (key, done) -> db.setAsync(key, value, consistency, done);
            case GET -> (key, done) -> db.getBytesAsync(key, consistency, done);
            case CONTAINS -> (key, done) -> db.containsAsync(key, consistency, done);
            case DELETE -> (key, done) -> db.deleteAsync(key, consistency, done);
            case INCR -> ofFuture(key -> db.incrementAsync("counter:" + key, 1, consistency));
            case CAS -> ofFuture(key -> db.casBytesAsync(key, value, value)
                    .thenCompose(swapped -> swapped ? CompletableFuture.completedFuture(true) : db.casBytesAsync(key, null, value)));
            case QUORUM_GET -> ofFuture(key -> CompletableFuture.supplyAsync(() -> db.quorumGetBytes(key)
                    .awaitQuorum(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .orElseThrow(() -> new IllegalStateException("quorum not reached for " + key)), blockingExecutor));
        };
    }
}
