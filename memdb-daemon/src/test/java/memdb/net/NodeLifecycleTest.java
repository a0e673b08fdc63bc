package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import memdb.node.Node;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping a node, and the limits on connections: idle timeout, max-connections, one log line. */
class NodeLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void startCreatesTheDataDirAndCloseStopsServing() throws IOException {
        Path dataDir = dir.resolve("nested").resolve("data");
        Node node = NodeServerTest.startNode(dataDir, Map.of());
        InetSocketAddress address = node.address();
        assertTrue(Files.isDirectory(dataDir));
        assertTrue(address.getPort() > 0);
        try (WireClient client = WireClient.authenticated(address, NodeServerTest.KEY)) {
            assertEquals(new Responses.Ok(), client.call(new Requests.Ping()));
            node.close();
            assertTrue(client.closedByServer());
        }
        assertThrows(ConnectException.class, () -> WireClient.connect(address).close());
        node.close(); // idempotent
    }

    @Test
    void requestsAcceptedBeforeCloseAreAnsweredBeforeTheConnectionCloses() throws IOException {
        Node node = NodeServerTest.startNode(dir, Map.of());
        try (WireClient client = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            int count = 200;
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 1; i <= count; i++) burst.write(WireClient.encode(Envelope.request(i, 0, new Requests.Ping())));
            client.sendRaw(burst.toByteArray()); // one write: the server reads the whole burst at once
            assertInstanceOf(Responses.Ok.class, client.receive().message());
            node.close();
            for (int answered = 1; answered < count; answered++) {
                Envelope reply = client.receive();
                assertTrue(reply.message() instanceof Responses.Ok
                        || ((Responses.Error) reply.message()).code() == ErrorCode.SHUTTING_DOWN, "reply " + reply);
            }
            assertTrue(client.closedByServer());
        } finally {
            node.close();
        }
    }

    @Test
    void aPortInUseIsRefusedWithAClearMessage() {
        try (Node first = NodeServerTest.startNode(dir, Map.of())) {
            String port = String.valueOf(first.port());
            java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class,
                    () -> NodeServerTest.startNode(dir.resolve("second"), Map.of("port", port)));
            assertTrue(refused.getMessage().startsWith("cannot listen on 127.0.0.1:" + port), refused.getMessage());
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException {
        try (Node node = NodeServerTest.startNode(dir, Map.of("idle-timeout-ms", "200"))) {
            long started = System.nanoTime(); // before the connect: the idle clock starts no earlier than this
            try (WireClient silent = WireClient.connect(node.address());
                 WireClient active = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
                assertTrue(silent.closedByServerWithin(3_000));
                assertTrue((System.nanoTime() - started) / 1_000_000 >= 150, "not closed before the timeout");
                assertTrue(active.closedByServerWithin(3_000), "an idle authenticated client is closed too");
            }
        }
    }

    @Test
    void connectionsOverTheLimitGetOverloadedAndAreClosed() throws IOException, InterruptedException {
        try (Node node = NodeServerTest.startNode(dir, Map.of("max-connections", "2"));
             WireClient second = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            WireClient first = WireClient.authenticated(node.address(), NodeServerTest.KEY);
            try (WireClient third = WireClient.connect(node.address())) {
                Envelope refusal = third.receive();
                assertTrue(refusal.isError());
                assertEquals(ErrorCode.OVERLOADED, ((Responses.Error) refusal.message()).code());
                assertTrue(third.closedByServer());
            }
            first.close();
            assertEquals(new Responses.Ok(), second.call(new Requests.Ping()));
            awaitOpenConnections(node, 1);
            try (WireClient fourth = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
                assertEquals(new Responses.Ok(), fourth.call(new Requests.Ping()));
            }
        }
    }

    private static void awaitOpenConnections(Node node, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (node.openConnections() != expected && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(expected, node.openConnections());
    }

    @Test
    void aBadFrameIsLoggedInOneLineWithoutAStackTrace() throws IOException, InterruptedException {
        Logger logger = Logger.getLogger(FlowControl.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override public synchronized void publish(LogRecord record) { records.add(record); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        logger.addHandler(capture);
        try (Node node = NodeServerTest.startNode(dir, Map.of());
             WireClient client = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            client.sendRaw(new byte[] {0, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
            assertEquals(ErrorCode.MALFORMED_FRAME, ((Responses.Error) client.receive().message()).code());
            assertTrue(client.closedByServer());
        } finally {
            logger.removeHandler(capture);
        }
        synchronized (capture) {
            assertEquals(1, records.size(), "one line per bad client");
            assertNull(records.get(0).getThrown());
            assertFalse(records.get(0).getMessage().contains("\n"));
        }
    }
}
