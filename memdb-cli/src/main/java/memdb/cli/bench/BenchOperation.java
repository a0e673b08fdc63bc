package memdb.cli.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import memdb.client.MemDb;
import memdb.protocol.Consistency;

/**
 * One benchmarked request: starts it for a key and returns a future of its answer. The native
 * operations (incr on the counter {@code counter:<key>}) are the client's async calls (no thread of ours waits). {@code quorum-get} has only a
 * blocking wait in the client ({@code QuorumResponse.awaitQuorum}), so it waits on a thread of the
 * given bounded executor (never the JDK common pool); its consistency is always a majority of the
 * key's replicas, whatever {@code --consistency} says. {@code cas} is a linearizable CAS that swaps the
 * -d value for itself (a full Paxos round: prepare with the read, propose, commit); the first one on a
 * key finds it absent and sets it with a second CAS.
 */
@FunctionalInterface
interface BenchOperation {
    CompletableFuture<?> start(String key);

    static BenchOperation of(BenchTest test, MemDb db, int valueBytes, Consistency consistency,
                             Duration requestTimeout, Executor blockingExecutor) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        return switch (test) {
            case SET -> key -> db.setAsync(key, value, consistency);
            case GET -> key -> db.getBytesAsync(key, consistency);
            case CONTAINS -> key -> db.containsAsync(key, consistency);
            case DELETE -> key -> db.deleteAsync(key, consistency);
            case INCR -> key -> db.incrementAsync("counter:" + key, 1, consistency);
            case CAS -> key -> db.casBytesAsync(key, value, value)
                    .thenCompose(swapped -> swapped ? CompletableFuture.completedFuture(true) : db.casBytesAsync(key, null, value));
            case QUORUM_GET -> key -> CompletableFuture.supplyAsync(() -> db.quorumGetBytes(key)
                    .awaitQuorum(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .orElseThrow(() -> new IllegalStateException("quorum not reached for " + key)), blockingExecutor);
        };
    }
}
