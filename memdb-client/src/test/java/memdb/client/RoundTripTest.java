package memdb.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.InvalidArgumentException;
import memdb.protocol.Opcode;
import memdb.protocol.Requests;
import memdb.protocol.ServerException;
import memdb.protocol.WrongTypeException;
import org.junit.jupiter.api.Test;

/** Every operation against one fake node: values of every shape, absent keys, error frames, misuse. */
class RoundTripTest extends SingleFakeNodeTest {

    @Test
    void setThenGetReturnsTheValue() {
        db.set("greeting", "hello, wörld");
        assertEquals("hello, wörld", db.get("greeting"));
    }

    @Test
    void authIsTheFirstFrameOnTheConnection() {
        db.set("k", "v");
        assertEquals(Opcode.AUTH, node.received.peek().opcode());
        assertEquals(new Requests.Auth("secret".getBytes(StandardCharsets.UTF_8)), node.received.peek().message());
    }

    @Test
    void absentKeyReadsAsNull() {
        assertNull(db.get("missing"));
        assertNull(db.getBytes("missing"));
        assertFalse(db.contains("missing"));
    }

    @Test
    void emptyValueRoundTripsAndIsNotAbsent() {
        db.set("empty", "");
        assertEquals("", db.get("empty"));
        assertArrayEquals(new byte[0], db.getBytes("empty"));
        assertTrue(db.contains("empty"));
    }

    @Test
    void everyByteValueRoundTrips() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        db.set("binary", binary);
        assertArrayEquals(binary, db.getBytes("binary"));
    }

    @Test
    void theCallersArrayMayBeReusedAfterAnAsyncSet() {
        byte[] value = "first".getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> written = db.setAsync("k", value);
        value[0] = 'X';
        written.join();
        assertEquals("first", db.get("k"));
    }

    @Test
    void deleteTellsWhetherALiveValueExisted() {
        db.set("k", "v");
        assertTrue(db.delete("k"));
        assertFalse(db.delete("k"));
        assertNull(db.get("k"));
        assertFalse(db.contains("k"));
    }

    @Test
    void asyncVariantsAndConsistencyOverloadsReachTheNode() throws Exception {
        db.setAsync("k", "v", Consistency.ALL).get(5, TimeUnit.SECONDS);
        assertEquals("v", db.getAsync("k", Consistency.QUORUM).get(5, TimeUnit.SECONDS));
        assertTrue(db.containsAsync("k", Consistency.ONE).get(5, TimeUnit.SECONDS));
        assertTrue(db.deleteAsync("k").get(5, TimeUnit.SECONDS));
        Requests.Set set = (Requests.Set) node.dataRequests().get(0).message();
        assertEquals(Consistency.ALL, set.consistency());
        Requests.Get get = (Requests.Get) node.dataRequests().get(1).message();
        assertEquals(Consistency.QUORUM, get.consistency());
        Requests.Delete delete = (Requests.Delete) node.dataRequests().get(3).message();
        assertEquals(Consistency.DEFAULT, delete.consistency());
    }

    @Test
    void errorFramesBecomeTypedExceptionsAndTheConnectionStaysUsable() {
        node.failKey("counter", ErrorCode.WRONG_TYPE);
        node.failKey("broken", ErrorCode.STORAGE);
        assertThrows(WrongTypeException.class, () -> db.get("counter"));
        assertThrows(ServerException.class, () -> db.get("broken"));
        db.set("fine", "yes");
        assertEquals("yes", db.get("fine"));
        assertEquals(1, node.connectionsAccepted.get());
    }

    @Test
    void asyncFailuresCarryTheTypedExceptionAsTheirCause() {
        node.failKey("counter", ErrorCode.WRONG_TYPE);
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> db.getAsync("counter").get(5, TimeUnit.SECONDS));
        assertInstanceOf(WrongTypeException.class, failure.getCause());
    }

    @Test
    void badKeysAreRefusedBeforeAnythingIsSent() {
        InvalidArgumentException tooLong = assertThrows(InvalidArgumentException.class, () -> db.get("x".repeat(1025)));
        assertEquals(ErrorCode.KEY_TOO_LONG, tooLong.code());
        assertThrows(InvalidArgumentException.class, () -> db.set("", "v"));
        assertTrue(db.getAsync("").isCompletedExceptionally());
        assertThrows(NullPointerException.class, () -> db.get(null));
        assertEquals(0, node.requestsReceived.get());
    }

    @Test
    void aBlockingCallInsideACallbackFailsInsteadOfDeadlocking() throws Exception {
        db.set("k", "v");
        // A callback attached after the answer arrived runs on the caller's thread, where blocking is fine:
        // try until one runs on the I/O thread (almost always the first try).
        for (int attempt = 0; attempt < 100; attempt++) {
            CompletableFuture<Boolean> ranOnIoThread = db.getAsync("k").thenApply(v -> {
                if (!NettyTransport.onIoThread()) return false;
                assertThrows(IllegalStateException.class, () -> db.get("k"));
                return true;
            });
            if (ranOnIoThread.get(5, TimeUnit.SECONDS)) return;
        }
        throw new AssertionError("no callback ran on the I/O thread in 100 tries");
    }
}
