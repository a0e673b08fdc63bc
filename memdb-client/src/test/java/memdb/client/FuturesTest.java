package memdb.client;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;
import org.junit.jupiter.api.Test;

/** The one unwrap of a future's failure that the client, the node and the CLI share. */
class FuturesTest {
    @Test
    void theCauseIsFoundInsideAnyNestingOfCompletionAndExecutionExceptions() {
        MemDbException cause = ErrorCode.UNAVAILABLE.exception("no node answered");
        assertSame(cause, Futures.unwrapCompletion(cause));
        assertSame(cause, Futures.unwrapCompletion(new CompletionException(cause)));
        assertSame(cause, Futures.unwrapCompletion(new ExecutionException(new CompletionException(cause))));
        CompletionException empty = new CompletionException("no cause", null);
        assertSame(empty, Futures.unwrapCompletion(empty), "a wrapper without a cause is the failure itself");
        assertNull(Futures.unwrapCompletion(null), "no failure");
    }
}
