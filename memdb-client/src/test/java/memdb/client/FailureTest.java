package memdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import memdb.protocol.AuthenticationException;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;
import memdb.protocol.MemDbTimeoutException;
import memdb.protocol.ProtocolException;
import memdb.protocol.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts, refused connections and keys, dropped connections, limits and close. */
class FailureTest {
    private final FakeNode node = new FakeNode("secret", 1);
    private final List<MemDb> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(MemDb::close);
        node.close();
    }

    private MemDb client(MemDbConnections.Builder builder) {
        MemDb db = builder.build();
        clients.add(db);
        return db;
    }

    /** A cluster client: learns the ring from these seeds (a lone fake node is a cluster of one). */
    private MemDbConnections.Builder to(String... seeds) {
        return MemDbConnections.builder().authKey("secret").seeds(List.of(seeds));
    }

    /** A single-node client: no CLUSTER_INFO, so the node sees only the requests under test. */
    private static MemDbConnections.Builder direct(int port) {
        return MemDbConnections.builder().authKey("secret").node("127.0.0.1", port);
    }

    private static MemDbException failureOf(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(MemDbException.class, e.getCause());
    }

    @Test
    void aRequestWithoutAnAnswerTimesOut() {
        MemDb db = client(direct(node.port()).requestTimeout(Duration.ofMillis(200)));
        node.silent = true;
        long start = System.nanoTime();
        MemDbTimeoutException timeout = assertThrows(MemDbTimeoutException.class, () -> db.get("k"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
        assertEquals("no answer from the MemDB node at " + node.seed() + " within 200 ms", timeout.getMessage());
    }

    @Test
    void aLateAnswerIsDroppedAndLaterRequestsGetTheirOwn() {
        MemDb db = client(direct(node.port()).requestTimeout(Duration.ofMillis(200)));
        db.set("old", "stale");
        node.delayMillis = 500;
        assertThrows(MemDbTimeoutException.class, () -> db.get("old"));
        node.delayMillis = 0;
        db.set("new", "fresh");
        assertEquals("fresh", db.get("new"));
        assertEquals(1, node.connectionsAccepted.get());
    }

    @Test
    void aLateErrorAnswerDoesNotDisturbTheConnection() throws InterruptedException {
        MemDb db = client(direct(node.port()).requestTimeout(Duration.ofMillis(200)));
        db.set("k", "connected and authenticated");
        node.failKey("failing", ErrorCode.INTERNAL);
        node.delayMillis = 400;
        assertThrows(MemDbTimeoutException.class, () -> db.get("failing"));
        node.delayMillis = 0;
        CompletableFuture<String> survivor = db.getAsync("other");
        assertEquals(null, survivor.join());
        Thread.sleep(300); // the late error frame arrives meanwhile
        db.set("k", "v");
        assertEquals("v", db.get("k"));
        assertEquals(1, node.connectionsAccepted.get());
    }

    @Test
    void anErrorNamingNoRequestEndsTheConnectionForEveryCaller() {
        MemDb db = client(direct(node.port()));
        db.set("k", "v");
        node.unattributedErrors = true;
        ProtocolException failure = assertThrows(ProtocolException.class, () -> db.get("k"));
        assertEquals("could not read your frame", failure.getMessage());
        node.unattributedErrors = false;
        assertEquals("v", db.get("k"));
        assertEquals(2, node.connectionsAccepted.get());
    }

    @Test
    void requestsMadeWhileAuthIsPendingWaitForIt() {
        MemDb db = client(direct(node.port()));
        node.delayMillis = 300;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 5; i++) writes.add(db.setAsync("k" + i, "v" + i));
        writes.forEach(CompletableFuture::join);
        node.delayMillis = 0;
        assertEquals("v4", db.get("k4"));
        assertEquals(6, node.requestsReceived.get());
    }

    @Test
    void closingWhileRequestsAreInFlightCompletesEveryFuture() throws Exception {
        MemDb db = client(direct(node.port()));
        node.delayMillis = 50;
        List<CompletableFuture<String>> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) requests.add(db.getAsync("k" + i));
        Thread.sleep(20);
        db.close();
        for (int i = 0; i < 200; i++) requests.add(db.getAsync("after" + i));
        for (CompletableFuture<String> request : requests) {
            try {
                request.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertInstanceOf(UnavailableException.class, e.getCause());
            }
        }
    }

    @Test
    void aWrongAuthKeyFailsEveryWaiterAndSendsNothingElse() {
        MemDb db = client(MemDbConnections.builder().authKey("wrong").node("127.0.0.1", node.port()));
        List<CompletableFuture<String>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) waiters.add(db.getAsync("k" + i));
        for (CompletableFuture<String> waiter : waiters) {
            MemDbException failure = failureOf(waiter);
            assertInstanceOf(AuthenticationException.class, failure);
            assertEquals(ErrorCode.AUTH_FAILED, failure.code());
        }
        assertThrows(AuthenticationException.class, () -> db.set("k", "v"));
        assertEquals(0, node.requestsReceived.get(), "nothing but AUTH may reach the node");
    }

    @Test
    void nobodyListeningIsUnavailableInOneSentence() {
        int port = Eventually.unusedPort();
        MemDb db = client(direct(port));
        UnavailableException failure = assertThrows(UnavailableException.class, () -> db.get("k"));
        assertEquals("no MemDB node reachable at 127.0.0.1:" + port + ": connection refused", failure.getMessage());
    }

    @Test
    void aDroppedConnectionFailsItsRequestsAndTheNextRequestReconnects() {
        MemDb db = client(direct(node.port()));
        db.set("k", "v");
        node.silent = true;
        CompletableFuture<String> pending = db.getAsync("k");
        Eventually.holds("the node received the GET", () -> node.requestsReceived.get() == 2);
        node.dropConnections();
        MemDbException failure = failureOf(pending);
        assertInstanceOf(UnavailableException.class, failure);
        assertEquals("the connection to the MemDB node at " + node.seed() + " was closed", failure.getMessage());
        node.silent = false;
        assertEquals("v", db.get("k"));
        assertEquals(2, node.connectionsAccepted.get());
    }

    @Test
    void aBadFrameFailsTheConnectionWithAProtocolErrorAndTheNextRequestReconnects() {
        MemDb db = client(direct(node.port()));
        db.set("k", "v");
        node.garbage = true;
        ProtocolException bad = assertThrows(ProtocolException.class, () -> db.get("k"));
        assertEquals("the MemDB node at " + node.seed() + " sent a bad frame: bad magic 0xAA (expected 0xDB)",
                bad.getMessage());
        node.garbage = false;
        assertEquals("v", db.get("k"));
        assertEquals(2, node.connectionsAccepted.get());
    }

    @Test
    void aServerOfAnotherProtocolIsNamedAsSuchNotJustAsABadFrame() throws Exception {
        try (java.net.ServerSocket http = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket socket = http.accept()) {
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    socket.getInputStream().read();
                } catch (java.io.IOException closed) {
                    // the client hung up: done
                }
            });
            server.start();
            MemDb db = client(direct(http.getLocalPort()));
            MemDbException failure = assertThrows(MemDbException.class, () -> db.get("k"));
            assertTrue(failure.getMessage().contains("frame of 1213486160 bytes exceeds the limit")
                    && failure.getMessage().endsWith("a MemDB node's client port (not its admin or RESP port, nor another server)?"),
                    failure.getMessage());
            db.close();
            server.join(10_000);
        }
    }

    @Test
    void noMoreThanTheInFlightLimitIsWrittenBeforeAnswersCome() throws Exception {
        MemDb db = client(direct(node.port()).inFlightRequestsMax(2).requestTimeout(Duration.ofMillis(500)));
        node.silent = true;
        List<CompletableFuture<String>> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) requests.add(db.getAsync("k" + i));
        Eventually.holds("two requests in flight", () -> node.requestsReceived.get() == 2);
        Thread.sleep(100);
        assertEquals(2, node.requestsReceived.get());
        for (CompletableFuture<String> request : requests) assertInstanceOf(MemDbTimeoutException.class, failureOf(request));
    }

    @Test
    void aFullQueueRefusesAtOnceWithOverloaded() {
        MemDb db = client(direct(node.port()).inFlightRequestsMax(1).queuedRequestsMax(1));
        node.silent = true;
        db.getAsync("in-flight");
        Eventually.holds("one request in flight", () -> node.requestsReceived.get() == 1);
        db.getAsync("queued");
        MemDbException refused = failureOf(db.getAsync("refused"));
        assertInstanceOf(UnavailableException.class, refused);
        assertEquals(ErrorCode.OVERLOADED, refused.code());
    }

    @Test
    void closeFailsPendingRequestsAndRefusesNewOnes() {
        MemDb db = client(direct(node.port()));
        node.silent = true;
        CompletableFuture<String> pending = db.getAsync("k");
        Eventually.holds("the node received the GET", () -> node.requestsReceived.get() == 1);
        db.close();
        assertEquals(ErrorCode.SHUTTING_DOWN, failureOf(pending).code());
        UnavailableException closed = assertThrows(UnavailableException.class, () -> db.get("k"));
        assertEquals("this MemDB client is closed", closed.getMessage());
        db.close();
    }

    @Test
    void aClusterClientFailsOverFromANodeThatIsDown() {
        MemDb db = client(to("127.0.0.1:" + Eventually.unusedPort(), node.seed()));
        for (int i = 0; i < 6; i++) db.set("k" + i, "v" + i);
        for (int i = 0; i < 6; i++) assertEquals("v" + i, db.get("k" + i));
    }

    @Test
    void aClusterClientWithEveryNodeDownIsUnavailable() {
        MemDb db = client(to("127.0.0.1:" + Eventually.unusedPort(), "127.0.0.1:" + Eventually.unusedPort()));
        assertThrows(UnavailableException.class, () -> db.get("k"));
    }
}
