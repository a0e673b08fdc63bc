package memdb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import memdb.auth.AuthThrottle;
import memdb.node.Node;
import memdb.protocol.ClusterRequests;
import memdb.protocol.Consistency;
import memdb.protocol.ErrorCode;
import memdb.protocol.Key;
import memdb.protocol.PaxosMessages;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node with a client key and a node key: what each may send, the admin API's key, the slow-down. */
class TwoKeysNodeTest {
    private static final String CLIENT_KEY = "the-client-key";
    private static final String NODE_KEY = "the-node-key";

    @TempDir
    Path dataDir;
    private Node node;

    @BeforeEach
    void start() {
        node = NodeServerTest.startNode(dataDir, Map.of("client-key", CLIENT_KEY, "node-key", NODE_KEY));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static ErrorCode errorCode(Response response) {
        return assertInstanceOf(Responses.Error.class, response).code();
    }

    @Test
    void theClientKeyServesDataButNotNodeToNodeMessages() throws IOException {
        try (WireClient client = WireClient.authenticated(node.address(), CLIENT_KEY)) {
            assertInstanceOf(Responses.Written.class,
                    client.call(new Requests.Set(Key.of("k"), new byte[] {7}, Consistency.DEFAULT)));
            assertInstanceOf(Responses.Value.class, client.call(new Requests.Get(Key.of("k"), Consistency.DEFAULT)));
            assertInstanceOf(memdb.protocol.ClusterResponses.ClusterView.class, client.call(new ClusterRequests.ClusterInfo()));
            Response write = client.call(new ClusterRequests.ReplicaWrite(Key.of("k"), false, new Timestamp(1L << 40, 9), new byte[] {1}));
            assertEquals(ErrorCode.FORBIDDEN, errorCode(write));
            assertTrue(((Responses.Error) write).message().contains("node key"));
            assertEquals(ErrorCode.FORBIDDEN, errorCode(client.call(new PaxosMessages.Prepare(Key.of("k"), new Timestamp(5, 9)))));
            assertEquals(ErrorCode.FORBIDDEN, errorCode(client.call(new ClusterRequests.Kill())));
            Response value = client.call(new Requests.Get(Key.of("k"), Consistency.DEFAULT));
            assertTrue(value instanceof Responses.Value, "the forbidden write changed nothing and the connection still serves");
        }
    }

    @Test
    void theNodeKeyMaySendNodeToNodeMessages() throws IOException {
        try (WireClient peer = WireClient.authenticated(node.address(), NODE_KEY)) {
            Response promise = peer.call(new PaxosMessages.Prepare(Key.of("k"), new Timestamp(5, 9)));
            assertFalse(promise instanceof Responses.Error, String.valueOf(promise));
        }
    }

    @Test
    void theAdminApiTakesTheNodeKeyByDefault() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + node.adminPort() + "/v1/health");
        assertEquals(200, http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + NODE_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + CLIENT_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        assertFalse(refused.body().contains(CLIENT_KEY) || refused.body().contains(NODE_KEY), refused.body());
    }

    @Test
    void repeatedWrongKeysAreAnsweredLaterAndLaterAndARightKeyResetsTheDelay() throws IOException {
        long first = wrongKeyAnswerMs();
        long second = wrongKeyAnswerMs();
        long third = wrongKeyAnswerMs();
        assertTrue(first >= AuthThrottle.DELAY_MS_FIRST - 5, "first: " + first);
        assertTrue(third >= 4 * AuthThrottle.DELAY_MS_FIRST - 5, "third: " + third + " (second " + second + ")");
        WireClient.authenticated(node.address(), CLIENT_KEY).close();
        long afterSuccess = wrongKeyAnswerMs();
        // Without the reset this fourth failure would wait 8x the first delay; the margin below it absorbs a loaded machine.
        assertTrue(afterSuccess < 8 * AuthThrottle.DELAY_MS_FIRST - 5, "after a success: " + afterSuccess);
    }

    /** The native and RESP ports keep one record of wrong keys per address: switching ports gains a guesser nothing. */
    @Test
    void theRespPortSharesTheSlowDown() throws IOException {
        node.close();
        int respPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            respPort = free.getLocalPort();
        }
        node = NodeServerTest.startNode(dataDir, Map.of("client-key", CLIENT_KEY, "node-key", NODE_KEY, "resp-port", Integer.toString(respPort)));
        wrongKeyAnswerMs();
        wrongKeyAnswerMs();
        try (java.net.Socket resp = new java.net.Socket("127.0.0.1", node.respPort())) {
            resp.setSoTimeout(10_000);
            long start = System.nanoTime();
            resp.getOutputStream().write("AUTH wrong\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(resp.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.startsWith("-WRONGPASS"), answer);
            assertTrue(ms >= 4 * AuthThrottle.DELAY_MS_FIRST - 5, "the address's third failure, on the other port: " + ms + " ms");
        }
    }

    /** How long a wrong key takes to be answered AUTH_FAILED (then the connection closes). */
    private long wrongKeyAnswerMs() throws IOException {
        try (WireClient client = WireClient.connect(node.address())) {
            long start = System.nanoTime();
            Response answer = client.call(new Requests.Auth("wrong".getBytes(StandardCharsets.UTF_8)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ErrorCode.AUTH_FAILED, errorCode(answer));
            assertNotEquals("", ((Responses.Error) answer).message());
            assertTrue(client.closedByServer());
            return ms;
        }
    }
}
