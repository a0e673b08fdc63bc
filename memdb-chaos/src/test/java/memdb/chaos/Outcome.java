package memdb.chaos;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;

/**
 * The outcome of one client operation, Jepsen's three: ok (with its result), fail (certainly not applied)
 * or unknown (it may have been applied). Only errors that say so are a fail: a refused argument, a
 * node that could not be reached at all, a CAS that answered "not applied"; a timeout, a lost connection
 * or UNKNOWN_OUTCOME is unknown. Waits are bounded.
 */
record Outcome<T>(Kind kind, T value, String error) {
    enum Kind { OK, FAIL, UNKNOWN }

    static final Duration WAIT = Duration.ofSeconds(20);

    boolean ok() {
        return kind == Kind.OK;
    }

    static <T> Outcome<T> of(CompletableFuture<T> operation) throws InterruptedException {
        try {
            return new Outcome<>(Kind.OK, operation.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            operation.cancel(false);
            return new Outcome<>(Kind.UNKNOWN, null, "no answer within " + WAIT);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Outcome<>(definitelyNotApplied(cause) ? Kind.FAIL : Kind.UNKNOWN, null, String.valueOf(cause));
        }
    }

    private static boolean definitelyNotApplied(Throwable cause) {
        if (!(cause instanceof MemDbException error)) return false;
        ErrorCode code = error.code();
        if (code.kind() == ErrorCode.Kind.INVALID_ARGUMENT || code == ErrorCode.OVERLOADED) return true;
        String message = String.valueOf(error.getMessage());
        return code == ErrorCode.UNAVAILABLE
                && (message.contains("not applied") || message.contains("no MemDB node reachable")
                || message.contains("cannot learn the MemDB cluster"));
    }
}
