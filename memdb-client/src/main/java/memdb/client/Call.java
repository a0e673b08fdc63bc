package memdb.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import memdb.protocol.MemDbException;
import memdb.protocol.Request;
import memdb.protocol.Response;

/**
 * One request on its way through a {@link NodeConnection}: the request, who receives its outcome (a future,
 * or a {@link Listener} when the caller wants no future: the data path of {@link MemDbClient}, one object
 * and one completion fewer per request), and the bookkeeping the connection keeps for it.
 *
 * <p>Invariants: the call completes at most once (later completions are ignored), on the connection's event
 * loop (or on the sender's thread when it fails before reaching the connection: client closed), and the
 * timeout is cancelled when it does. {@link #written()} turns true before the request reaches the
 * socket and never turns back; a caller that sees a failed result with {@code written() == false} knows
 * that the node never received the request, so sending it elsewhere cannot apply it twice.
 */
final class Call {
    /** Receives a call's outcome once, where the call completes (see the class comment); never blocks or throws. */
    interface Listener {
        void answered(Call call, Response response);

        void failed(Call call, MemDbException failure);
    }

    private final Request request;
    /** Exactly one of these two is set. */
    private final CompletableFuture<Response> result;
    private final Listener listener;
    private volatile boolean done;
    private volatile boolean written;
    private volatile boolean answered;
    // Owned by the connection's event loop.
    private int requestId;
    /** The timeouts whose list holds this call while its timeout runs, and its place there ({@link CallTimeouts}). */
    CallTimeouts timeouts;
    long deadlineNanos;
    Call earlier;
    Call later;

    /** A call whose outcome completes {@link #result()}. */
    Call(Request request) {
        this.request = request;
        this.result = new CompletableFuture<>();
        this.listener = null;
    }

    /** A call whose outcome goes to {@code listener}; it has no {@link #result()}. */
    Call(Request request, Listener listener) {
        this.request = request;
        this.result = null;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    Request request() {
        return request;
    }

    /** The future of the answer; IllegalStateException for a call made with a {@link Listener}. */
    CompletableFuture<Response> result() {
        if (result == null) throw new IllegalStateException("a call with a listener has no future");
        return result;
    }

    boolean written() {
        return written;
    }

    /** Whether the node answered (with an error: the result failed with the node's own error, not the connection's). */
    boolean answered() {
        return answered;
    }

    void markAnswered() {
        this.answered = true;
    }

    /** Completed (or its future was completed by whoever holds it: a caller's orTimeout, cancel). */
    boolean isDone() {
        return done || (result != null && result.isDone());
    }

    int requestId() {
        return requestId;
    }

    void markWritten(int requestId) {
        this.requestId = requestId;
        this.written = true;
    }

    void succeed(Response response) {
        if (done) return;
        done = true;
        cancelTimer();
        if (listener != null) listener.answered(this, response);
        else result.complete(response);
    }

    void fail(MemDbException failure) {
        if (done) return;
        done = true;
        cancelTimer();
        if (listener != null) listener.failed(this, failure);
        else result.completeExceptionally(failure);
    }

    private void cancelTimer() {
        if (timeouts != null) timeouts.cancel(this);
    }
}
