package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static memdb.net.NodeServerTest.errorCode;
import static memdb.net.NodeServerTest.get;
import static memdb.net.NodeServerTest.set;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import memdb.node.Node;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's limits over real sockets, on the native port and on the RESP port: max-memory, max-key-bytes,
 * max-value-bytes, max-frame-bytes, max-connections, idle-timeout-ms and back-pressure against a client that
 * pipelines without reading (docs/operations.md, "Limits and back-pressure").
 */
class LimitsTest {
    @TempDir
    Path dir;

    // ---- max-memory ------------------------------------------------------------------------------------

    @Test
    void pastMaxMemoryWritesGetOutOfMemoryWhileReadsAndDeletesGoOnOnBothPorts() throws IOException, InterruptedException {
        int respPort = freePort();
        try (Node node = NodeServerTest.startNode(dir, Map.of("max-memory", "256kb", "resp-port", String.valueOf(respPort)));
             WireClient client = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            byte[] value = new byte[4000];
            int written = 0;
            Response refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                Response r = client.call(set("k" + i, value));
                if (r instanceof Responses.Error) refused = r; else written++;
            }
            assertEquals(ErrorCode.OUT_OF_MEMORY, errorCode(refused), "refused before 1,000 writes of 4 KB: " + refused);
            assertTrue(written > 20 && written <= 64, "about 256 KB taken: " + written + " writes");
            assertTrue(((Responses.Error) refused).message().contains("max-memory"));
            assertInstanceOf(Responses.Value.class, client.call(get("k0")), "reads still work");
            assertEquals(ErrorCode.OUT_OF_MEMORY, errorCode(client.call(set("k0", value))), "overwrites too are refused");
            try (Resp resp = Resp.connect(respPort)) {
                assertEquals("+OK", resp.call("AUTH " + NodeServerTest.KEY));
                String refusal = resp.call("SET r " + "v".repeat(4000));
                assertTrue(refusal.startsWith("-OOM the node's memory is full"), "RESP says OOM as Redis does: " + refusal);
                assertEquals("$4000", resp.call("GET k1").lines().findFirst().orElseThrow());
            }
            for (int i = 0; i < written; i += 2) {
                assertInstanceOf(Responses.Written.class, client.call(new Requests.Delete(Key.of("k" + i), Consistency.DEFAULT)));
            }
            assertInstanceOf(Responses.Written.class, client.call(set("again", value)), "deletes made room");
            String metrics = adminGet(node, "/metrics");
            assertTrue(metric(metrics, "memdb_requests_refused_total{reason=\"out_of_memory\"}") >= 2, metrics);
            assertEquals(256 * 1024, metric(metrics, "memdb_memory_max_bytes"));
        }
    }

    // ---- max-key-bytes, max-value-bytes, max-frame-bytes -------------------------------------------------

    @Test
    void maxKeyBytesIsEnforcedOnBothPortsAndTheConnectionsStayUsable() throws IOException {
        int respPort = freePort();
        try (Node node = NodeServerTest.startNode(dir, Map.of("max-key-bytes", "16", "resp-port", String.valueOf(respPort)));
             WireClient client = WireClient.authenticated(node.address(), NodeServerTest.KEY);
             Resp resp = Resp.connect(respPort)) {
            String longKey = "k".repeat(17);
            assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(client.call(set(longKey, new byte[1]))));
            assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(client.call(get(longKey))));
            assertInstanceOf(Responses.Written.class, client.call(set("k".repeat(16), new byte[1])));
            assertEquals("+OK", resp.call("AUTH " + NodeServerTest.KEY));
            assertTrue(resp.call("SET " + longKey + " v").startsWith("-ERR key is 17 bytes; the limit is 16 (max-key-bytes)"));
            assertEquals("+PONG", resp.call("PING"));
        }
    }

    @Test
    void theRespPortRefusesValuesOverMaxValueBytesAndClosesOnCommandsOverMaxFrameBytes() throws IOException {
        int respPort = freePort();
        try (Node node = NodeServerTest.startNode(dir, Map.of("resp-port", String.valueOf(respPort)));
             Resp resp = Resp.connect(respPort)) {
            assertEquals("+OK", resp.call("AUTH " + NodeServerTest.KEY));
            String big = "x".repeat(NodeServerTest.VALUE_BYTES_MAX + 1);
            assertTrue(resp.call("SET k " + big).startsWith("-ERR value is 4097 bytes; the limit is 4096"));
            assertEquals("+PONG", resp.call("PING"), "the connection stays usable");
            resp.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (65536 + RespHeadroom.BYTES + 1) + "\r\n");
            assertTrue(resp.readToEnd().startsWith("-ERR Protocol error"), "a command over max-frame-bytes closes the connection");
        }
    }

    // ---- max-connections, idle-timeout-ms -----------------------------------------------------------------

    @Test
    void theRespPortEnforcesMaxConnectionsAndTheIdleTimeout() throws IOException {
        int respPort = freePort();
        try (Node node = NodeServerTest.startNode(dir, Map.of("max-connections", "1", "idle-timeout-ms", "300",
                "resp-port", String.valueOf(respPort)));
             Resp first = Resp.connect(respPort)) {
            long started = System.nanoTime(); // the idle time counts from the AUTH reply, the first's last traffic
            assertEquals("+OK", first.call("AUTH " + NodeServerTest.KEY));
            try (Resp second = Resp.connect(respPort)) {
                assertEquals("-ERR max number of clients reached\r\n", second.readToEnd());
            }
            assertEquals("", first.readToEnd(), "the idle connection is closed by the node");
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(waitedMs >= 300 && waitedMs < 5_000, "closed after about 300 ms idle: " + waitedMs);
        }
    }

    // ---- back-pressure ------------------------------------------------------------------------------------

    @Test
    void aClientThatPipelinesBigGetsAndNeverReadsIsNotReadFromAndOthersStayFast() throws Exception {
        int valueBytes = 512 * 1024;
        int pendingMax = 16;
        try (Node node = NodeServerTest.startNode(dir, Map.of("max-value-bytes", String.valueOf(valueBytes),
                "max-frame-bytes", String.valueOf(2 * valueBytes), "max-pending-per-connection", String.valueOf(pendingMax)));
             WireClient fast = WireClient.authenticated(node.address(), NodeServerTest.KEY);
             WireClient stalled = WireClient.authenticated(node.address(), NodeServerTest.KEY)) {
            assertInstanceOf(Responses.Written.class, fast.call(set("big", new byte[valueBytes])));
            long before = nettyBytes();
            int gets = 2_000; // 1 GB of replies if the node buffered them all
            byte[] burst = new byte[0];
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < gets; i++) {
                frames.write(WireClient.encode(memdb.protocol.Envelope.request(100 + i, 0, (Request) get("big"))));
            }
            burst = frames.toByteArray();
            stalled.sendRaw(burst); // ~60 KB: fits the socket buffers, so this does not block
            Thread.sleep(500);
            long worstMs = 0;
            for (int i = 0; i < 200; i++) {
                long t = System.nanoTime();
                assertInstanceOf(Responses.Written.class, fast.call(set("small" + i, new byte[8])));
                worstMs = Math.max(worstMs, (System.nanoTime() - t) / 1_000_000);
            }
            assertTrue(worstMs < 3_000, "the other client is not blocked: slowest answer " + worstMs + " ms");
            String metrics = adminGet(node, "/metrics");
            long getsServed = (long) metric(metrics, "memdb_requests_total{op=\"GET\",outcome=\"ok\"}");
            assertTrue(getsServed <= pendingMax + 8L, "the node stopped reading from the stalled client: "
                    + getsServed + " of " + gets + " GETs read");
            long held = nettyBytes() - before;
            assertTrue(held < 64L << 20, "the node's buffers stay bounded: " + held + " bytes held for the stalled client");

            stalled.close(); // hangs up with ~2,000 GETs sent: what the node had read of them is dropped, not served
            long servedAfterClose = getsServed;
            for (int i = 0; i < 30; i++) { // 3 s: enough for dozens of 512 KB answers if they were still worked on
                Thread.sleep(100);
                servedAfterClose = (long) metric(adminGet(node, "/metrics"), "memdb_requests_total{op=\"GET\",outcome=\"ok\"}");
            }
            assertTrue(servedAfterClose <= pendingMax + 8L, "no work for a client that hung up: " + servedAfterClose + " GETs served");
        }
    }

    /** Bytes Netty's pooled allocator has handed out (heap and direct): where the node buffers replies. */
    private static long nettyBytes() {
        PooledByteBufAllocatorMetric m = PooledByteBufAllocator.DEFAULT.metric();
        return m.usedHeapMemory() + m.usedDirectMemory();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** RespServer's framing slack beyond max-frame-bytes (a command of more is a protocol error). */
    private static final class RespHeadroom {
        static final int BYTES = 4096;
    }

    private static String adminGet(Node node, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.adminPort() + path))
                .header("Authorization", "Bearer " + NodeServerTest.KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static double metric(String page, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(page);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A raw RESP connection: inline commands out, one reply line (or a bulk string's header) back. */
    private static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        private Resp(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        static Resp connect(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            return new Resp(socket);
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        /** Sends an inline command; returns the reply's first line (for a bulk string, its body follows). */
        String call(String inline) throws IOException {
            send(inline + "\r\n");
            String line = readLine();
            if (line.startsWith("$") && !line.equals("$-1")) {
                int length = Integer.parseInt(line.substring(1));
                in.readNBytes(length + 2);
            }
            return line;
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') break;
                if (b != '\r') line.append((char) b);
            }
            return line.toString();
        }

        String readToEnd() throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
