package memdb.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import memdb.protocol.MemDbException;

/**
 * A read sent to every replica of a key at once, whose answers arrive one by one. The caller decides how
 * many to wait for ({@link #awaitQuorum}: a majority, {@link #awaitAll}: every replica, {@link #await}:
 * any number) and for how long; an empty Optional means that too few replicas answered in time (or too
 * many failed for the number ever to be reached; {@link #failures()} says why).
 *
 * <p>Thread-safe: answers are recorded on the client's I/O thread under this object's monitor and
 * waiters are woken as each arrives. Must not be awaited on the client's I/O thread (it would wait for
 * itself): that throws IllegalStateException.
 */
public final class QuorumResponse<T> {
    private final int replicaCount;
    private final List<ReplicaResponse<T>> answers = new ArrayList<>();
    private final Map<NodeAddress, MemDbException> failures = new LinkedHashMap<>();

    QuorumResponse(Map<NodeAddress, CompletableFuture<ReplicaResponse<T>>> answersByReplica) {
        this.replicaCount = answersByReplica.size();
        if (replicaCount == 0) throw new IllegalArgumentException("a quorum read needs at least one replica");
        answersByReplica.forEach((node, answer) -> answer.whenComplete((response, failure) -> {
            if (failure == null) record(response);
            else recordFailure(node, Futures.toMemDbException(failure));
        }));
    }

    /** How many replicas were asked. */
    public int replicaCount() {
        return replicaCount;
    }

    /** Waits for a majority of the replicas (replicaCount / 2 + 1). */
    public Optional<QuorumResult<T>> awaitQuorum(long timeout, TimeUnit unit) {
        return await(replicaCount / 2 + 1, timeout, unit);
    }

    /** Waits for every replica. */
    public Optional<QuorumResult<T>> awaitAll(long timeout, TimeUnit unit) {
        return await(replicaCount, timeout, unit);
    }

    /**
     * Waits until {@code required} replicas have answered, then returns every answer so far; empty when
     * the time runs out, when so many replicas failed that {@code required} cannot be reached, or when the
     * waiting thread is interrupted (its interrupt flag is then set again).
     */
    public synchronized Optional<QuorumResult<T>> await(int required, long timeout, TimeUnit unit) {
        if (required < 1 || required > replicaCount) {
            throw new IllegalArgumentException("can wait for 1.." + replicaCount + " replicas, not " + required);
        }
        Futures.checkNotOnIoThread();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (answers.size() < required && replicaCount - failures.size() >= required) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return Optional.empty();
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return answers.size() >= required ? Optional.of(new QuorumResult<>(answers)) : Optional.empty();
    }

    /** The replicas that failed so far and why (unreachable, timed out, refused...). */
    public synchronized Map<NodeAddress, MemDbException> failures() {
        return Map.copyOf(failures);
    }

    private synchronized void record(ReplicaResponse<T> response) {
        answers.add(response);
        notifyAll();
    }

    private synchronized void recordFailure(NodeAddress node, MemDbException failure) {
        failures.put(node, failure);
        notifyAll();
    }
}
