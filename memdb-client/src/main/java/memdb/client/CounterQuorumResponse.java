package memdb.client;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import memdb.crdt.PnCounter;
import memdb.protocol.MemDbException;

/**
 * A counter read sent to every replica of a key at once ({@link MemDb#getQuorumCounter}); waiting works as
 * for {@link QuorumResponse} (which it wraps), and the result merges the answers
 * ({@link CounterQuorumResult#mostUptoDateResponseAsLong()}).
 *
 * <pre>{@code
 * long hits = db.getQuorumCounter("hits").awaitQuorum(1, TimeUnit.SECONDS)
 *         .orElseThrow(() -> new IllegalStateException("no quorum")).mostUptoDateResponseAsLong();
 * }</pre>
 */
public final class CounterQuorumResponse {
    private final QuorumResponse<PnCounter> answers;

    CounterQuorumResponse(QuorumResponse<PnCounter> answers) {
        this.answers = answers;
    }

    public int replicaCount() {
        return answers.replicaCount();
    }

    /** Waits for a majority of the replicas; empty when too few answered in time. */
    public Optional<CounterQuorumResult> awaitQuorum(long timeout, TimeUnit unit) {
        return answers.awaitQuorum(timeout, unit).map(result -> new CounterQuorumResult(result.responses()));
    }

    /** Waits for every replica. */
    public Optional<CounterQuorumResult> awaitAll(long timeout, TimeUnit unit) {
        return answers.awaitAll(timeout, unit).map(result -> new CounterQuorumResult(result.responses()));
    }

    /** Waits for {@code required} replicas (see {@link QuorumResponse#await}). */
    public Optional<CounterQuorumResult> await(int required, long timeout, TimeUnit unit) {
        return answers.await(required, timeout, unit).map(result -> new CounterQuorumResult(result.responses()));
    }

    public Map<NodeAddress, MemDbException> failures() {
        return answers.failures();
    }
}
