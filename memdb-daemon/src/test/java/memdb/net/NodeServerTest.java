package memdb.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import memdb.node.ConfigResolver;
import memdb.node.Node;
import memdb.protocol.Consistency;
import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.FrameCodec;
import memdb.protocol.Key;
import memdb.protocol.Response;
import memdb.protocol.Requests;
import memdb.protocol.Responses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over real TCP on 127.0.0.1: authentication, data requests, limits and bad input. */
class NodeServerTest {
    static final String KEY = "test-auth-key";
    static final int VALUE_BYTES_MAX = 4096;

    @TempDir
    Path dataDir;
    private Node node;

    static Node startNode(Path dataDir, Map<String, String> extraFlags) {
        Map<String, String> flags = new HashMap<>(Map.of(
                "port", "0", "admin-port", "0", "auth-key", KEY, "data-dir", dataDir.toString(),
                "max-value-bytes", String.valueOf(VALUE_BYTES_MAX), "max-frame-bytes", "65536"));
        flags.putAll(extraFlags);
        return Node.start(new ConfigResolver(null, dataDir.toString()).resolve(flags, Map.of(), null));
    }

    @BeforeEach
    void start() {
        node = startNode(dataDir, Map.of());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private WireClient client() throws IOException {
        return WireClient.authenticated(node.address(), KEY);
    }

    static ErrorCode errorCode(Response response) {
        return assertInstanceOf(Responses.Error.class, response).code();
    }

    static Requests.Set set(String key, byte[] value) {
        return new Requests.Set(Key.of(key), value, Consistency.DEFAULT);
    }

    static Requests.Get get(String key) {
        return new Requests.Get(Key.of(key), Consistency.DEFAULT);
    }

    /**
     * The Redis model: the node's client channels are served on the core's own event loop (one thread,
     * "memdb-core-N"), so no I/O thread of the client listener exists to hand requests over from.
     */
    @Test
    void clientConnectionsAreServedOnTheCoresEventLoopWithoutIoThreadsOfTheirOwn() throws IOException {
        try (WireClient client = client()) {
            assertInstanceOf(Responses.Written.class, client.call(set("k", new byte[] {1})));
            java.util.List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("memdb-core-1")), names.toString());
            assertTrue(names.stream().noneMatch(n -> n.startsWith("memdb-client-io") || n.startsWith("memdb-client-accept")),
                    names.toString());
        }
    }

    @Test
    void authSucceedsWithTheNodeIdAndVersion() throws IOException {
        try (WireClient client = WireClient.connect(node.address())) {
            Response response = client.call(new Requests.Auth(KEY.getBytes(StandardCharsets.UTF_8)));
            assertEquals(new Responses.Authenticated(1, Node.VERSION), response);
            assertEquals(new Responses.Ok(), client.call(new Requests.Ping()));
        }
    }

    @Test
    void requestsBeforeAuthGetAuthRequiredFlaggedAsErrorsAndTheConnectionStaysOpen() throws IOException {
        try (WireClient client = WireClient.connect(node.address())) {
            int requestId = client.send(get("k"));
            Envelope reply = client.receive();
            assertEquals(requestId, reply.requestId());
            assertEquals(Envelope.FLAG_RESPONSE | Envelope.FLAG_ERROR, reply.flags());
            assertEquals(ErrorCode.AUTH_REQUIRED, errorCode((Response) reply.message()));
            assertEquals(ErrorCode.AUTH_REQUIRED, errorCode(client.call(new Requests.Ping())));
            assertInstanceOf(Responses.Authenticated.class, client.call(new Requests.Auth(KEY.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void aWrongKeyGetsAuthFailedAndTheConnectionCloses() throws IOException {
        try (WireClient client = WireClient.connect(node.address())) {
            assertEquals(ErrorCode.AUTH_FAILED, errorCode(client.call(new Requests.Auth("wrong".getBytes(StandardCharsets.UTF_8)))));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void setGetDeleteContainsRoundTrip() throws IOException {
        try (WireClient client = client()) {
            Responses.Written written = (Responses.Written) client.call(set("k", "v".getBytes(StandardCharsets.UTF_8)));
            assertFalse(written.existed());
            assertEquals(1, written.timestamp().nodeId());
            Responses.Value value = (Responses.Value) client.call(get("k"));
            assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), value.value());
            assertEquals(new Responses.Bool(true), client.call(new Requests.Contains(Key.of("k"), Consistency.ONE)));
            Responses.Written deleted = (Responses.Written) client.call(new Requests.Delete(Key.of("k"), Consistency.ALL));
            assertTrue(deleted.existed());
            assertFalse(((Responses.Value) client.call(get("k"))).isPresent());
            assertEquals(new Responses.Bool(false), client.call(new Requests.Contains(Key.of("k"), Consistency.QUORUM)));
        }
    }

    @Test
    void emptyAndBinaryValuesRoundTrip() throws IOException {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        try (WireClient client = client()) {
            client.call(set("empty", new byte[0]));
            client.call(set("binary", binary));
            Responses.Value empty = (Responses.Value) client.call(get("empty"));
            assertTrue(empty.isPresent());
            assertEquals(0, empty.value().length);
            assertArrayEquals(binary, ((Responses.Value) client.call(get("binary"))).value());
        }
    }

    @Test
    void responsesCarryTheNodesLamportTimeAndWritesAreOrderedAfterTheClients() throws IOException {
        try (WireClient client = client()) {
            client.setLamport(10_000);
            Responses.Written written = (Responses.Written) client.call(set("k", new byte[] {1}));
            assertEquals(10_001, written.timestamp().lamport());
            int requestId = client.send(new Requests.Ping());
            Envelope reply = client.receive();
            assertEquals(requestId, reply.requestId());
            assertTrue(reply.lamport() >= 10_001);
        }
    }

    @Test
    void aKeyOver1024BytesIsRefusedAndTheConnectionStaysUsable() throws IOException {
        try (WireClient client = client()) {
            Key tooLong = Key.wrap(new byte[Key.BYTES_MAX + 1]);
            assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(client.call(new Requests.Set(tooLong, new byte[1], Consistency.DEFAULT))));
            assertEquals(ErrorCode.KEY_TOO_LONG, errorCode(client.call(new Requests.Get(tooLong, Consistency.DEFAULT))));
            assertEquals(new Responses.Ok(), client.call(new Requests.Ping()));
        }
    }

    @Test
    void aValueOverTheLimitIsRefusedAndTheConnectionStaysUsable() throws IOException {
        try (WireClient client = client()) {
            assertEquals(ErrorCode.VALUE_TOO_LARGE, errorCode(client.call(set("k", new byte[VALUE_BYTES_MAX + 1]))));
            assertInstanceOf(Responses.Written.class, client.call(set("k", new byte[VALUE_BYTES_MAX])));
            assertFalse(client.closedByServerWithin(200));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredWithMatchingRequestIds() throws IOException {
        int count = 500;
        try (WireClient client = client()) {
            Map<Integer, Integer> keyOfRequest = new HashMap<>();
            for (int i = 0; i < count; i++) {
                keyOfRequest.put(client.send(set("key-" + i, ByteBuffer.allocate(4).putInt(i).array())), -1);
                keyOfRequest.put(client.send(get("key-" + i)), i);
            }
            for (int i = 0; i < 2 * count; i++) {
                Envelope reply = client.receive();
                Integer expected = keyOfRequest.remove(reply.requestId());
                if (expected == -1) {
                    assertInstanceOf(Responses.Written.class, reply.message());
                } else {
                    byte[] value = ((Responses.Value) reply.message()).value();
                    assertEquals(expected, ByteBuffer.wrap(value).getInt());
                }
            }
            assertTrue(keyOfRequest.isEmpty());
        }
    }

    @Test
    void anOversizedLengthPrefixGetsFrameTooLargeAndTheConnectionCloses() throws IOException {
        try (WireClient client = client()) {
            client.sendRaw(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            Envelope reply = client.receive();
            assertTrue(reply.isError());
            assertEquals(ErrorCode.FRAME_TOO_LARGE, errorCode((Response) reply.message()));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void anUnknownOpcodeIsAnsweredWithItsRequestIdThenTheConnectionCloses() throws IOException {
        try (WireClient client = client()) {
            byte[] frame = ByteBuffer.allocate(4 + FrameCodec.HEADER_BYTES)
                    .putInt(FrameCodec.HEADER_BYTES).put((byte) FrameCodec.MAGIC).put((byte) FrameCodec.VERSION)
                    .put((byte) 0x7E).put((byte) 0).putInt(42).putLong(0).array();
            client.sendRaw(frame);
            Envelope reply = client.receive();
            assertEquals(42, reply.requestId());
            assertEquals(ErrorCode.UNKNOWN_OPCODE, errorCode((Response) reply.message()));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void randomBytesAndMutatedFramesGetAnErrorOrACloseAndOtherClientsAreUnaffected() throws IOException {
        Random random = new Random(20261126L);
        try (WireClient bystander = client()) {
            for (int round = 0; round < 30; round++) {
                try (WireClient attacker = client()) {
                    attacker.sendRaw(round % 2 == 0 ? randomBytes(random) : mutatedFrame(random));
                    attacker.send(new Requests.Ping());
                    assertRepliesAreErrorsOrTheConnectionCloses(attacker);
                }
                assertEquals(new Responses.Ok(), bystander.call(new Requests.Ping()));
            }
        }
        try (WireClient newcomer = client()) {
            assertEquals(new Responses.Ok(), newcomer.call(new Requests.Ping()));
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] garbage = new byte[1 + random.nextInt(200)];
        random.nextBytes(garbage);
        return garbage;
    }

    /** A valid SET frame with a few bytes after the length prefix changed, so the frame is always complete. */
    private static byte[] mutatedFrame(Random random) throws IOException {
        byte[] value = new byte[random.nextInt(50)];
        random.nextBytes(value);
        byte[] frame = WireClient.encode(Envelope.request(7, 0, set("key", value)));
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            frame[FrameCodec.LENGTH_FIELD_BYTES + random.nextInt(frame.length - FrameCodec.LENGTH_FIELD_BYTES)] = (byte) random.nextInt(256);
        }
        return frame;
    }

    /** Until the PING is answered, every reply must be a response (usually an error) or the connection closes. */
    private static void assertRepliesAreErrorsOrTheConnectionCloses(WireClient client) throws IOException {
        for (int i = 0; i < 3; i++) {
            Envelope reply;
            try {
                reply = client.receive();
            } catch (java.io.EOFException | java.net.SocketException e) {
                return;
            } catch (java.net.SocketTimeoutException e) {
                return; // the garbage announced a frame longer than what followed: the server still waits for it
            }
            if (reply.message() instanceof Responses.Ok) return; // the bytes happened to be valid frames: answered
            assertTrue(reply.isResponse(), "unexpected reply " + reply); // an error, or the answer to a still-valid SET
        }
    }
}
