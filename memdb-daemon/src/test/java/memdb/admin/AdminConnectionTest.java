package memdb.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection handling: keep-alive, pipelining in order, Connection: close, malformed input, concurrency. */
class AdminConnectionTest {
    static final String KEY = "k3y";

    FakeBackend backend;
    AdminServer server;

    @BeforeEach
    void start() {
        backend = new FakeBackend();
        server = AdminServer.bind("127.0.0.1", 0, KEY, backend);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A minimal HTTP/1.1 response reader: status line, headers, Content-Length body. */
    record Raw(int status, String headers, String body) {}

    static Raw read(InputStream in) throws IOException {
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        byte[] body = in.readNBytes(length);
        return new Raw(status, head.toLowerCase(Locale.ROOT), new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed in the middle of a response");
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) return text;
        }
    }

    static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY + "\r\n" + extraHeaders + "\r\n";
    }

    Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (Socket socket = connect()) {
            for (int i = 0; i < 5; i++) {
                socket.getOutputStream().write(get("/v1/health", "").getBytes(StandardCharsets.US_ASCII));
                Raw reply = read(socket.getInputStream());
                assertEquals(200, reply.status());
                assertTrue(reply.body().contains("\"UP\""));
            }
            // A 404 keeps the connection too: only malformed requests close it.
            socket.getOutputStream().write(get("/v1/nowhere", "").getBytes(StandardCharsets.US_ASCII));
            assertEquals(404, read(socket.getInputStream()).status());
            socket.getOutputStream().write(get("/v1/cluster", "").getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, read(socket.getInputStream()).status());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws Exception {
        CompletableFuture<ClusterSnapshot> slow = new CompletableFuture<>();
        backend.cluster = () -> slow;
        try (Socket socket = connect()) {
            String requests = get("/v1/cluster", "") + get("/v1/health", "") + get("/v1/keys/x", "");
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> slow.complete(FakeBackend.CLUSTER));
            assertTrue(read(socket.getInputStream()).body().contains("replicationFactor"));
            assertTrue(read(socket.getInputStream()).body().contains("\"UP\""));
            assertTrue(read(socket.getInputStream()).body().contains("\"key\":\"x\""));
        }
    }

    @Test
    void aClientThatPipelinesWithoutLimitIsDisconnected() throws Exception {
        CompletableFuture<ClusterSnapshot> never = new CompletableFuture<>();
        backend.cluster = () -> never;
        try (Socket socket = connect()) {
            String flood = get("/v1/cluster", "").repeat(AdminHandler.WAITING_MAX + 5);
            socket.getOutputStream().write(flood.getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "closed without a reply");
        }
        backend.cluster = () -> CompletableFuture.completedFuture(FakeBackend.CLUSTER);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(get("/v1/cluster", "").getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, read(socket.getInputStream()).status());
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(get("/v1/health", "Connection: close\r\n").getBytes(StandardCharsets.US_ASCII));
            Raw reply = read(socket.getInputStream());
            assertEquals(200, reply.status());
            assertTrue(reply.headers().contains("connection: close"));
            assertEquals(-1, socket.getInputStream().read(), "the server closes after the reply");
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheReply() throws Exception {
        try (Socket socket = connect()) {
            String request = "GET /v1/health HTTP/1.0\r\nAuthorization: Bearer " + KEY + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, read(socket.getInputStream()).status());
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void malformedOrOversizedRequestsGetAnErrorAndTheServerLives() throws Exception {
        try (Socket socket = connect()) {
            String huge = get("/v1/keys/" + "k".repeat(20_000), "");
            socket.getOutputStream().write(huge.getBytes(StandardCharsets.US_ASCII));
            int status = read(socket.getInputStream()).status();
            assertTrue(status == 400 || status == 414, "status " + status);
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write("\u0001\u0002 nonsense\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(400, read(socket.getInputStream()).status());
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write(get("/v1/health", "").getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, read(socket.getInputStream()).status());
        }
    }

    @Test
    void concurrentClientsAllGetTheirAnswers() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String path = switch (i % 4) {
                case 0 -> "/v1/cluster";
                case 1 -> "/v1/keys/key" + i + "?versions=true";
                case 2 -> "/metrics";
                default -> "/v1/nodes/" + (1 + i % 3);
            };
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(20)).build();
            replies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < replies.size(); i++) {
            HttpResponse<String> reply = replies.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, reply.statusCode(), reply.body());
            if (i % 4 == 1) assertTrue(reply.body().contains("\"key\":\"key" + i + "\""));
        }
        assertEquals(50, backend.keysAsked.size());
    }
}
