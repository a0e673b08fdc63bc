package memdb.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import memdb.auth.AuthThrottle;

/**
 * Coverage-guided fuzzing of the admin HTTP API's request handling with Jazzer: any byte stream goes, in
 * process, through the admin pipeline (HttpServerCodec with AdminServer's limits, HttpObjectAggregator,
 * {@link AdminHandler} with {@link BearerAuth} and {@link AdminEndpoints} over {@link FakeBackend}) in an
 * EmbeddedChannel: request lines, routes, percent-encoding, query strings, headers, JSON bodies, pipelining.
 *
 * <p>The contract: nothing escapes the pipeline; every request the handler gets is answered exactly once,
 * in order, unless the connection closes for a reason the API documents (a reply with keep-alive off, a
 * 413 for a body over the limit, a flood past {@link AdminHandler#WAITING_MAX} waiting requests); no answer
 * is a 500; every error is JSON {"error": "..."} with a 401's WWW-Authenticate and a 405's Allow; a request
 * without the key never gets a 2xx; and the node's key never appears in a reply unless the request itself held it.
 *
 * <p>Plain {@code mvn test} replays {@code src/test/resources/memdb/admin/AdminFuzzTestInputs/requests/}.
 * To fuzz: {@code tools/fuzz.sh} or
 * <pre>JAZZER_FUZZ=1 mvn -o -pl memdb-daemon -am test -Dtest=AdminFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class AdminFuzzTest {
    static {
        // As in EnvelopeDecoderFuzzTest: replaying needs no instrumentation hooks; fuzzing keeps them.
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    static final String KEY = "fuzz-admin-key-7Q";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> STATUSES = Set.of(100, 200, 202, 400, 401, 404, 405, 409, 413, 417, 503);

    /** What the handler was asked and what left the pipeline, seen from between the codec and the handler. */
    private static final class Probe extends ChannelDuplexHandler {
        final List<Boolean> authorized = new ArrayList<>();
        final List<String> asked = new ArrayList<>();
        final List<HttpResponse> answers = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
                authorized.add(auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.substring(7).trim().equals(KEY));
                // All the text the client sent that a reply may echo back (a 405 names the method, a key report the key).
                asked.add(request.method() + " " + request.uri() + " " + request.content().toString(StandardCharsets.UTF_8));
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                answers.add(response);
                bodies.add(msg instanceof FullHttpResponse full ? full.content().toString(StandardCharsets.UTF_8) : "");
            }
            ctx.write(msg, promise);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void requests(byte[] stream) throws IOException {
        Probe requests = new Probe();
        Probe responses = new Probe();
        EmbeddedChannel channel = new EmbeddedChannel(
                new HttpServerCodec(AdminServer.LINE_BYTES_MAX, AdminServer.HEADER_BYTES_MAX, AdminServer.CONTENT_BYTES_MAX),
                responses,
                new HttpObjectAggregator(AdminServer.CONTENT_BYTES_MAX),
                requests,
                // A wrong key is answered at once here (the slow-down is AuthThrottleTest's and TwoKeysNodeTest's):
                // the embedded channel's clock does not move, so a delayed 401 would never be written.
                new AdminHandler(new BearerAuth(KEY), new AuthThrottle(0, 0, 60_000, 16), new AdminEndpoints(new FakeBackend(), 1_000)));
        try {
            // Two reads, split where the input says, so that a finding replays exactly.
            int split = stream.length == 0 ? 0 : Math.floorMod(Arrays.hashCode(stream), stream.length + 1);
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, 0, split)));
            channel.runPendingTasks();
            if (channel.isOpen()) channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, split, stream.length)));
            channel.runPendingTasks();
            channel.checkException();
            check(requests, responses, channel.isOpen());
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static void check(Probe requests, Probe responses, boolean open) throws IOException {
        List<HttpResponse> answers = responses.answers;
        boolean closeAnnounced = false;
        int handlerAnswers = 0;
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse response = answers.get(i);
            int status = response.status().code();
            String body = responses.bodies.get(i);
            assertTrue(STATUSES.contains(status), () -> "status " + response.status() + " " + body);
            if (!HttpUtil.isKeepAlive(response) || status == 413) closeAnnounced = true;
            if (status == 100 || status == 413 || status == 417) continue; // the aggregator's own answers
            int index = handlerAnswers++;
            assertTrue(index < requests.asked.size(), "an answer without a request");
            String asked = requests.asked.get(index);
            if (status == 200 || status == 202) {
                assertTrue(requests.authorized.get(index), () -> "a request without the key got " + status + ": " + asked);
            } else {
                JsonNode error = JSON.readTree(body);
                assertNotNull(error.get("error"), () -> "an error is {\"error\": ...}: " + body);
                assertTrue(error.get("error").isTextual() && !error.get("error").asText().isBlank(), body);
            }
            if (status == 401) assertEquals("Bearer", response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE));
            if (status == 405) assertNotNull(response.headers().get(HttpHeaderNames.ALLOW), "405 names the allowed methods");
            if (!asked.contains(KEY)) assertFalse(body.contains(KEY), () -> "the key is echoed: " + body);
        }
        boolean flooded = requests.asked.size() > AdminHandler.WAITING_MAX;
        if (open) {
            assertEquals(requests.asked.size(), handlerAnswers, () -> "every request is answered once: " + requests.asked);
        } else {
            assertTrue(closeAnnounced || flooded, () -> "the connection closed with no documented reason after "
                    + requests.asked + ", answers " + answers);
        }
    }

    /**
     * Regenerates the seed inputs (a tool, not a test): run this class's main with the inputs directory,
     * {@code <abs path>/AdminFuzzTestInputs}, as its argument, on the test class path.
     */
    public static void main(String[] args) throws IOException {
        Path seeds = Files.createDirectories(Path.of(args[0], "requests"));
        String auth = "Authorization: Bearer " + KEY + "\r\n";
        String[] gets = {"/v1/cluster", "/v1/health", "/metrics", "/v1/config", "/v1/config/fsync", "/v1/nodes/2",
                "/v1/keys/user%3A42?versions=true", "/v1/keys/a/b%2Fc?versions", "/v1/nodes/0", "/v1/keys/%zz", "/v1/nope"};
        StringBuilder pipelined = new StringBuilder();
        for (String path : gets) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: n1\r\n" + auth + "\r\n";
            write(seeds, "get" + path.replaceAll("[^a-z0-9]+", "-"), request);
            pipelined.append(request);
        }
        write(seeds, "pipelined-gets", pipelined.toString());
        write(seeds, "put-config", put("/v1/config/fsync", "{\"value\": \"always\"}", auth));
        write(seeds, "put-config-number", put("/v1/config/fsync", "{\"value\": 250}", auth));
        write(seeds, "put-config-not-json", put("/v1/config/fsync", "{value", auth));
        write(seeds, "put-restart-only", put("/v1/config/port", "{\"value\": \"1\"}", auth));
        write(seeds, "post-kill", "POST /v1/nodes/2/kill HTTP/1.1\r\nHost: n1\r\n" + auth + "Content-Length: 0\r\n\r\n");
        write(seeds, "post-leave", "POST /v1/nodes/3/leave HTTP/1.1\r\nHost: n1\r\n" + auth + "Content-Length: 0\r\n\r\n");
        write(seeds, "post-repair-all", "POST /v1/repair?all=true HTTP/1.1\r\nHost: n1\r\n" + auth + "Content-Length: 0\r\n\r\n");
        write(seeds, "delete-not-allowed", "DELETE /v1/cluster HTTP/1.1\r\nHost: n1\r\n" + auth + "\r\n");
        write(seeds, "no-key", "GET /v1/cluster HTTP/1.1\r\nHost: n1\r\n\r\n");
        write(seeds, "wrong-key", "GET /v1/cluster HTTP/1.1\r\nHost: n1\r\nAuthorization: Bearer nope\r\n\r\n");
        write(seeds, "close-then-more", "GET /v1/health HTTP/1.1\r\nHost: n1\r\nConnection: close\r\n" + auth + "\r\n"
                + "GET /v1/cluster HTTP/1.1\r\nHost: n1\r\n" + auth + "\r\n");
        write(seeds, "http10", "GET /v1/health HTTP/1.0\r\n" + auth + "\r\n");
        write(seeds, "expect-continue", "PUT /v1/config/fsync HTTP/1.1\r\nHost: n1\r\nExpect: 100-continue\r\n" + auth
                + "Content-Length: 19\r\n\r\n{\"value\": \"always\"}");
        write(seeds, "chunked-body", "PUT /v1/config/fsync HTTP/1.1\r\nHost: n1\r\nTransfer-Encoding: chunked\r\n" + auth
                + "\r\n5\r\n{\"val\r\ne\r\nue\": \"always\"}\r\n0\r\n\r\n");
        write(seeds, "garbage-line", "HELLO\r\n\r\n");
    }

    private static String put(String path, String body, String auth) {
        return "PUT " + path + " HTTP/1.1\r\nHost: n1\r\n" + auth + "Content-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }
}
