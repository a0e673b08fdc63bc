package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletionException;
import memdb.admin.AdminException;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;
import org.junit.jupiter.api.Test;

/**
 * A kill forwarded to a node that is down: the admin API says the node is not running (503), not the peer
 * client's "no MemDB node reachable at ...: connection refused" (found by the session-8 walk).
 */
class KillNotReachedTest {
    @Test
    void aNodeThatCannotBeReachedIsNotRunningSoThereIsNothingToKill() {
        MemDbException refused = ErrorCode.UNAVAILABLE.exception("no MemDB node reachable at 127.0.0.1:10001: connection refused");
        AdminException said = (AdminException) NodeAdminBackend.notReached(2, "127.0.0.1:10001", new CompletionException(refused));
        assertEquals(AdminException.Kind.UNAVAILABLE, said.kind());
        assertEquals("node 2 is not running or cannot be reached at 127.0.0.1:10001 (connection refused), so there is nothing to kill",
                said.getMessage());
        MemDbException silent = ErrorCode.TIMEOUT.exception("no answer from 127.0.0.1:10001 within 1000 ms");
        assertEquals("node 2 is not running or cannot be reached at 127.0.0.1:10001 (no answer from 127.0.0.1:10001 within 1000 ms),"
                + " so there is nothing to kill", NodeAdminBackend.notReached(2, "127.0.0.1:10001", silent).getMessage());
    }

    @Test
    void aNodeThatAnsweredWithAnotherErrorIsReportedAsItSaid() {
        MemDbException wrongKey = ErrorCode.AUTH_FAILED.exception("wrong auth key");
        assertSame(wrongKey, NodeAdminBackend.notReached(2, "127.0.0.1:10001", new CompletionException(wrongKey)));
        MemDbException overloaded = ErrorCode.OVERLOADED.exception("too many requests");
        assertSame(overloaded, NodeAdminBackend.notReached(2, "127.0.0.1:10001", overloaded));
    }
}
