package memdb.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;

/**
 * Turns the client's futures into plain results for its blocking methods: waits, and rethrows a failure
 * as the typed {@link MemDbException} it is (never an ExecutionException or CompletionException), as a
 * fresh instance carrying the caller's stack trace with the original as its cause. Programmer errors
 * (NullPointerException, IllegalArgumentException...) pass through unchanged. Public for one thing: the
 * {@link #unwrapCompletion} that callers of the async methods (and the node, the CLI) need as well.
 */
public final class Futures {
    private Futures() {}

    static <T> T join(CompletableFuture<T> future) {
        if (!future.isDone()) checkNotOnIoThread();
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = unwrapCompletion(e);
            if (cause instanceof MemDbException failure) throw withCallerStack(failure);
            if (cause instanceof RuntimeException programmerError) throw programmerError;
            if (cause instanceof Error error) throw error;
            throw toMemDbException(cause);
        }
    }

    /** The failure as a MemDbException: its own if it is one, else an INTERNAL one caused by it. */
    static MemDbException toMemDbException(Throwable failure) {
        Throwable cause = unwrapCompletion(failure);
        if (cause instanceof MemDbException e) return e;
        MemDbException wrapped = ErrorCode.INTERNAL.exception("unexpected client failure: " + cause);
        wrapped.initCause(cause);
        return wrapped;
    }

    /** Blocking on the client's only I/O thread would wait for itself; fail loudly instead. */
    static void checkNotOnIoThread() {
        if (NettyTransport.onIoThread()) {
            throw new IllegalStateException("blocking MemDB call on the client's I/O thread (inside a callback of an "
                    + "async method); use the async methods there, or move the callback to your own executor");
        }
    }

    /**
     * The cause inside CompletionExceptions and ExecutionExceptions (the failure itself when it is neither): what
     * an async method's future failed with, e.g. a {@link MemDbException}; null for null.
     */
    public static Throwable unwrapCompletion(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static MemDbException withCallerStack(MemDbException original) {
        MemDbException copy = original.code().exception(original.getMessage());
        copy.initCause(original);
        return copy;
    }
}
