package memdb.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import memdb.protocol.Consistency;

/**
 * A connection to a MemDB cluster (or a single node): plain keys, read and written as UTF-8 strings or
 * raw bytes, blocking or asynchronous, at the node's default consistency or a chosen one.
 *
 * <p>Every variant funnels into the few abstract methods ({@link #getBytesAsync(String, Consistency)},
 * {@link #setAsync(String, byte[], Consistency)}, {@link #deleteAsync(String, Consistency)},
 * {@link #containsAsync(String, Consistency)}, {@link #quorumGetBytes}); the blocking ones wait for the
 * async ones and throw the typed {@link memdb.protocol.MemDbException} (UnavailableException,
 * MemDbTimeoutException, AuthenticationException, InvalidArgumentException, ...), never an
 * ExecutionException. A blocking call waits at most about the request timeout (which counts from the
 * call, connecting and queueing included), so it is not interruptible. Keys are 1..1024 bytes of UTF-8;
 * values may be empty.
 *
 * <p>Thread-safe. Futures complete on the client's I/O thread: keep callbacks short and non-blocking,
 * or pass your own executor to {@code thenApplyAsync} and friends; a blocking MemDb call inside such a
 * callback throws IllegalStateException rather than deadlock.
 *
 * <p>Every request carries the highest Lamport time the client has seen ({@link #lamportTime()}), so a
 * write is ordered after everything this client read or wrote before it.
 */
public interface MemDb extends AutoCloseable {

    // ---- the primitives an implementation provides ----

    /** The value's bytes, or null when the key holds no live value. */
    CompletableFuture<byte[]> getBytesAsync(String key, Consistency consistency);

    CompletableFuture<Void> setAsync(String key, byte[] value, Consistency consistency);

    /** True when the key held a live value that this delete removed. */
    CompletableFuture<Boolean> deleteAsync(String key, Consistency consistency);

    CompletableFuture<Boolean> containsAsync(String key, Consistency consistency);

    /**
     * Compare-and-set, linearizable (Paxos over the key's replicas, docs/cas.md): sets the key to
     * {@code newValue} if it holds {@code expected} ({@code null}: if it holds no live value). True when
     * swapped, false when the key did not hold the expectation (and nothing was changed). When the outcome
     * cannot be known (contention or failures until the node's cas-timeout-ms) the future fails with a
     * {@link memdb.protocol.MemDbTimeoutException} of code UNKNOWN_OUTCOME: the CAS may or may not have
     * been applied; never a silent false.
     */
    CompletableFuture<Boolean> casBytesAsync(String key, byte[] expected, byte[] newValue);

    /** A read linearizable with CAS: the value's bytes, or null when the key holds no live value. */
    CompletableFuture<byte[]> serialGetBytesAsync(String key);

    /**
     * Asks every replica of the key directly (at consistency ONE each) and returns at once; see
     * {@link QuorumResponse} for waiting on the answers. Throws InvalidArgumentException for a bad key.
     */
    QuorumResponse<byte[]> quorumGetBytes(String key);

    /** {@link #quorumGetBytes} with the values decoded as UTF-8. */
    QuorumResponse<String> quorumGet(String key);

    /**
     * Adds {@code delta} (negative: subtracts) to the counter at {@code key} and completes with the counter's
     * value as its leader saw it afterwards. Each call picks one operation id, which picks the leader; up to
     * {@code 3} attempts, and an attempt that may have been counted is retried only with the same id (so at
     * the same leader), so that no retry is counted twice (docs/client.md, "Counters"). MemDbTimeoutException:
     * counted once or not at all; UnavailableException: not counted. WrongTypeException when the key holds a
     * value; InvalidArgumentException when the counter would leave the 64-bit range.
     */
    CompletableFuture<Long> incrementAsync(String key, long delta, Consistency consistency);

    /** The counter's value at a consistency level (ONE: one replica; QUORUM/ALL: the node merges that many). 0 when absent. */
    CompletableFuture<Long> getCounterAsync(String key, Consistency consistency);

    /**
     * Asks every replica of the counter directly and returns at once; {@link CounterQuorumResponse#awaitQuorum}
     * then merges the answers. Throws InvalidArgumentException for a bad key.
     */
    CounterQuorumResponse getQuorumCounter(String key);

    /** The highest Lamport time seen in any response. */
    long lamportTime();

    /** Closes every connection; pending requests fail with UnavailableException. Idempotent. */
    @Override
    void close();

    // ---- callbacks: the primitives without a future ----

    /**
     * {@link #getBytesAsync(String, Consistency)} with a callback instead of a future, for callers that keep
     * many requests in flight and want no future per request (a load generator, a pipeline). {@code callback}
     * gets the value's bytes (null when the key holds no live value) and null, or null and the failure: the
     * exception itself (a {@link memdb.protocol.MemDbException} as the blocking calls throw it, an
     * IllegalArgumentException-like programmer error), never a CompletionException. It runs exactly once: on
     * the client's I/O thread, or at once on the calling thread when the request fails before it is sent (an
     * invalid key, a closed client). Keep it short and non-blocking, as every callback on the I/O thread (it
     * may send the next request); what it throws is ignored, as CompletableFuture ignores what a
     * {@code whenComplete} action throws. Timeouts, failover and errors are those of the future variant.
     */
    default void getBytesAsync(String key, Consistency consistency, BiConsumer<? super byte[], ? super Throwable> callback) {
        whenComplete(getBytesAsync(key, consistency), callback);
    }

    /** {@link #setAsync(String, byte[], Consistency)} with a callback (null and null on success); see {@link #getBytesAsync(String, Consistency, BiConsumer)}. */
    default void setAsync(String key, byte[] value, Consistency consistency, BiConsumer<? super Void, ? super Throwable> callback) {
        whenComplete(setAsync(key, value, consistency), callback);
    }

    /** {@link #deleteAsync(String, Consistency)} with a callback; see {@link #getBytesAsync(String, Consistency, BiConsumer)}. */
    default void deleteAsync(String key, Consistency consistency, BiConsumer<? super Boolean, ? super Throwable> callback) {
        whenComplete(deleteAsync(key, consistency), callback);
    }

    /** {@link #containsAsync(String, Consistency)} with a callback; see {@link #getBytesAsync(String, Consistency, BiConsumer)}. */
    default void containsAsync(String key, Consistency consistency, BiConsumer<? super Boolean, ? super Throwable> callback) {
        whenComplete(containsAsync(key, consistency), callback);
    }

    // ---- asynchronous variants ----

    default CompletableFuture<String> getAsync(String key, Consistency consistency) {
        return getBytesAsync(key, consistency).thenApply(MemDb::utf8OrNull);
    }

    default CompletableFuture<String> getAsync(String key) {
        return getAsync(key, Consistency.DEFAULT);
    }

    default CompletableFuture<byte[]> getBytesAsync(String key) {
        return getBytesAsync(key, Consistency.DEFAULT);
    }

    default CompletableFuture<Void> setAsync(String key, String value, Consistency consistency) {
        return setAsync(key, value.getBytes(StandardCharsets.UTF_8), consistency);
    }

    default CompletableFuture<Void> setAsync(String key, String value) {
        return setAsync(key, value, Consistency.DEFAULT);
    }

    default CompletableFuture<Void> setAsync(String key, byte[] value) {
        return setAsync(key, value, Consistency.DEFAULT);
    }

    default CompletableFuture<Boolean> deleteAsync(String key) {
        return deleteAsync(key, Consistency.DEFAULT);
    }

    default CompletableFuture<Boolean> containsAsync(String key) {
        return containsAsync(key, Consistency.DEFAULT);
    }

    /** {@link #casBytesAsync} with UTF-8 strings; {@code expected} must not be null (see {@link #casIfAbsentAsync}). */
    default CompletableFuture<Boolean> casAsync(String key, String expected, String newValue) {
        java.util.Objects.requireNonNull(expected, "expected (use casIfAbsent for an absent key)");
        return casBytesAsync(key, expected.getBytes(StandardCharsets.UTF_8), newValue.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the key to {@code newValue} if it holds no live value; true when it did. */
    default CompletableFuture<Boolean> casIfAbsentAsync(String key, String newValue) {
        return casBytesAsync(key, null, newValue.getBytes(StandardCharsets.UTF_8));
    }

    default CompletableFuture<String> serialGetAsync(String key) {
        return serialGetBytesAsync(key).thenApply(MemDb::utf8OrNull);
    }

    // ---- blocking variants ----

    /** Compare-and-set (see {@link #casBytesAsync}): true when swapped, false when the key did not hold {@code expected}. */
    default boolean cas(String key, String expected, String newValue) {
        return Futures.join(casAsync(key, expected, newValue));
    }

    default boolean cas(String key, byte[] expected, byte[] newValue) {
        return Futures.join(casBytesAsync(key, expected, newValue));
    }

    default boolean casIfAbsent(String key, String newValue) {
        return Futures.join(casIfAbsentAsync(key, newValue));
    }

    /** A read linearizable with CAS: the value as UTF-8, or null when the key holds no live value. */
    default String serialGet(String key) {
        return Futures.join(serialGetAsync(key));
    }

    default byte[] serialGetBytes(String key) {
        return Futures.join(serialGetBytesAsync(key));
    }

    /** The value as UTF-8, or null when the key holds no live value. */
    default String get(String key, Consistency consistency) {
        return Futures.join(getAsync(key, consistency));
    }

    default String get(String key) {
        return get(key, Consistency.DEFAULT);
    }

    default byte[] getBytes(String key, Consistency consistency) {
        return Futures.join(getBytesAsync(key, consistency));
    }

    default byte[] getBytes(String key) {
        return getBytes(key, Consistency.DEFAULT);
    }

    default void set(String key, String value, Consistency consistency) {
        Futures.join(setAsync(key, value, consistency));
    }

    default void set(String key, String value) {
        set(key, value, Consistency.DEFAULT);
    }

    default void set(String key, byte[] value, Consistency consistency) {
        Futures.join(setAsync(key, value, consistency));
    }

    default void set(String key, byte[] value) {
        set(key, value, Consistency.DEFAULT);
    }

    default boolean delete(String key, Consistency consistency) {
        return Futures.join(deleteAsync(key, consistency));
    }

    default boolean delete(String key) {
        return delete(key, Consistency.DEFAULT);
    }

    default boolean contains(String key, Consistency consistency) {
        return Futures.join(containsAsync(key, consistency));
    }

    default boolean contains(String key) {
        return contains(key, Consistency.DEFAULT);
    }

    // ---- counters ----

    default CompletableFuture<Long> incrementAsync(String key, long delta) {
        return incrementAsync(key, delta, Consistency.DEFAULT);
    }

    default CompletableFuture<Long> incrementAsync(String key) {
        return incrementAsync(key, 1);
    }

    default CompletableFuture<Long> decrementAsync(String key, long delta) {
        if (delta == Long.MIN_VALUE) {
            return CompletableFuture.failedFuture(memdb.protocol.ErrorCode.INVALID_ARGUMENT.exception(
                    "cannot decrement by " + delta + ": its negation is not a 64-bit number"));
        }
        return incrementAsync(key, -delta);
    }

    default CompletableFuture<Long> decrementAsync(String key) {
        return decrementAsync(key, 1);
    }

    default CompletableFuture<Long> getCounterAsync(String key) {
        return getCounterAsync(key, Consistency.DEFAULT);
    }

    /** Adds 1; returns the value afterwards. */
    default long increment(String key) {
        return increment(key, 1);
    }

    default long increment(String key, long delta) {
        return Futures.join(incrementAsync(key, delta));
    }

    default long increment(String key, long delta, Consistency consistency) {
        return Futures.join(incrementAsync(key, delta, consistency));
    }

    /** Subtracts 1; returns the value afterwards. */
    default long decrement(String key) {
        return decrement(key, 1);
    }

    default long decrement(String key, long delta) {
        return Futures.join(decrementAsync(key, delta));
    }

    /** The counter's value as one replica holds it (the node's default read level); 0 when absent. */
    default long getCounter(String key) {
        return Futures.join(getCounterAsync(key));
    }

    default long getCounter(String key, Consistency consistency) {
        return Futures.join(getCounterAsync(key, consistency));
    }

    /** The callback variants on top of a future: the failure unwrapped, as the callback contract says. */
    private static <T> void whenComplete(CompletableFuture<T> future, BiConsumer<? super T, ? super Throwable> callback) {
        java.util.Objects.requireNonNull(callback, "callback");
        future.whenComplete((value, failure) -> callback.accept(value, failure == null ? null : Futures.unwrapCompletion(failure)));
    }

    private static String utf8OrNull(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
