package memdb.client;

import java.util.concurrent.CompletableFuture;
import memdb.protocol.MemDbException;
import memdb.protocol.Request;
import memdb.protocol.Response;

/**
 * One request on its way through a {@link NodeConnection}: the request, the future its answer
 * completes, and the bookkeeping the connection keeps for it.
 *
 * <p>Invariants: the result is completed at most once, always on the connection's event loop, and the
 * timeout is cancelled when it is. {@link #written()} turns true before the request reaches the
 * socket and never turns back; a caller that sees a failed result with {@code written() == false} knows
 * that the node never received the request, so sending it elsewhere cannot apply it twice.
 */
final class Call {
    private final Request request;
    private final CompletableFuture<Response> result = new CompletableFuture<>();
    private volatile boolean written;
    private volatile boolean answered;
    // Owned by the connection's event loop.
    private int requestId;
    /** The timeouts whose list holds this call while its timeout runs, and its place there ({@link CallTimeouts}). */
    CallTimeouts timeouts;
    long deadlineNanos;
    Call earlier;
    Call later;

    Call(Request request) {
        this.request = request;
    }

    Request request() {
        return request;
    }

    CompletableFuture<Response> result() {
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

    boolean isDone() {
        return result.isDone();
    }

    int requestId() {
        return requestId;
    }

    void markWritten(int requestId) {
        this.requestId = requestId;
        this.written = true;
    }

    void succeed(Response response) {
        cancelTimer();
        result.complete(response);
    }

    void fail(MemDbException failure) {
        cancelTimer();
        result.completeExceptionally(failure);
    }

    private void cancelTimer() {
        if (timeouts != null) timeouts.cancel(this);
    }
}
