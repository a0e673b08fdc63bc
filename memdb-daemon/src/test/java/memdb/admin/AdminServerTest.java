package memdb.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import memdb.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP on loopback, against {@link FakeBackend}: auth, every endpoint, every error status. */
class AdminServerTest {
    static final String KEY = "s3cret-admin-key";
    static final ObjectMapper JSON = new ObjectMapper();

    FakeBackend backend;
    AdminServer server;
    HttpClient http;

    @BeforeEach
    void start() {
        backend = new FakeBackend();
        server = AdminServer.bind("127.0.0.1", 0, KEY, backend);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws Exception {
        return http.send(request(path).header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    static void assertError(int status, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.get("error").isTextual() && !body.get("error").asText().isEmpty(), response.body());
        assertFalse(response.body().contains(KEY), "the key is never echoed");
    }

    @Test
    void refusesRequestsWithoutTheKey() throws Exception {
        for (String path : new String[] {"/v1/cluster", "/v1/health", "/metrics", "/nowhere"}) {
            HttpResponse<String> none = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertError(401, none);
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        for (String header : new String[] {"Bearer wrong", "Bearer " + KEY + "x", "Basic " + KEY, "Bearer "}) {
            assertError(401, http.send(request("/v1/cluster").header("Authorization", header).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> kill = http.send(request("/v1/nodes/2/kill").header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertError(401, kill);
        assertTrue(backend.killed.isEmpty());
    }

    @Test
    void clusterHasTheFieldsTheCliReads() throws Exception {
        HttpResponse<String> response = get("/v1/cluster");
        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertEquals(1, body.get("nodeId").asInt());
        assertEquals(3, body.get("replicationFactor").asInt());
        assertEquals(4, body.get("ringVersion").asLong());
        JsonNode first = body.get("nodes").get(0);
        assertEquals(1, first.get("id").asInt());
        assertEquals("127.0.0.1:10000", first.get("address").asText());
        assertEquals("UP", first.get("state").asText());
        assertEquals("NORMAL", first.get("status").asText());
        assertEquals(1.0, first.get("ownership").asDouble());
        assertEquals(123, first.get("lamport").asLong());
        assertEquals(42, first.get("keys").asLong());
        assertEquals("this node", first.get("note").asText());
        JsonNode down = body.get("nodes").get(2);
        assertEquals("DOWN", down.get("state").asText());
        assertTrue(down.get("lamport").isNull() && down.get("keys").isNull());
    }

    static java.util.List<String> fields(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void jsonShapesAreExactlyTheDocumentedOnes() throws Exception {
        JsonNode cluster = json(get("/v1/cluster"));
        assertEquals(java.util.List.of("nodeId", "replicationFactor", "ringVersion", "nodes", "clusterLogVersion"), fields(cluster));
        assertEquals(java.util.List.of("id", "address", "state", "status", "ownership", "lamport", "keys", "note", "progress"),
                fields(cluster.get("nodes").get(0)));
        JsonNode key = json(get("/v1/keys/k?versions=true"));
        assertEquals(java.util.List.of("key", "position", "preferenceList", "replicas"), fields(key));
        assertEquals(java.util.List.of("nodeId", "state", "timestamp", "valueBytes"), fields(key.get("replicas").get(0)));
        assertEquals(java.util.List.of("lamport", "nodeId"), fields(key.get("replicas").get(0).get("timestamp")));
        assertEquals(java.util.List.of("status", "nodeId", "uptimeMs", "version"), fields(json(get("/v1/health"))));
    }

    @Test
    void nodeShowsOneMemberOr404() throws Exception {
        JsonNode node = json(get("/v1/nodes/2"));
        assertEquals(2, node.get("id").asInt());
        assertEquals("127.0.0.1:10001", node.get("address").asText());
        assertError(404, get("/v1/nodes/9"));
        assertError(400, get("/v1/nodes/two"));
    }

    @Test
    void keyShowsPreferenceListAndVersionsWhenAsked() throws Exception {
        JsonNode plain = json(get("/v1/keys/user%2F%C3%A9"));
        assertEquals("user/é", plain.get("key").asText());
        assertEquals("user/é", backend.keysAsked.get(0));
        assertEquals(-42, plain.get("position").asLong());
        assertEquals("[1,2,3]", plain.get("preferenceList").toString());
        assertEquals(0, plain.get("replicas").size());

        JsonNode replicas = json(get("/v1/keys/k?versions=true")).get("replicas");
        assertEquals(3, replicas.size());
        assertEquals("PRESENT", replicas.get(0).get("state").asText());
        assertEquals(17, replicas.get(0).get("timestamp").get("lamport").asLong());
        assertEquals(1, replicas.get(0).get("timestamp").get("nodeId").asInt());
        assertEquals(5, replicas.get(0).get("valueBytes").asInt());
        assertEquals("TOMBSTONE", replicas.get(1).get("state").asText());
        assertEquals("UNREACHABLE", replicas.get(2).get("state").asText());
        assertTrue(replicas.get(2).get("timestamp").isNull());

        assertError(400, get("/v1/keys/" + "k".repeat(1025)));
        assertError(400, get("/v1/keys/k?versions=maybe"));
    }

    @Test
    void killCallsTheBackendAndThenItsAfterReplyHook() throws Exception {
        HttpResponse<String> response = post("/v1/nodes/2/kill");
        assertEquals(202, response.statusCode());
        assertEquals(2, json(response).get("nodeId").asInt());
        assertEquals(java.util.List.of(2), backend.killed);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!backend.killReplied.contains(2) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(backend.killReplied.contains(2));

        assertError(404, post("/v1/nodes/9/kill"));
        assertFalse(backend.killReplied.contains(9));
        assertError(400, post("/v1/nodes/x/kill"));
    }

    @Test
    void leaveCallsTheBackendAndRefusalsAreClearErrors() throws Exception {
        HttpResponse<String> response = post("/v1/nodes/2/leave");
        assertEquals(202, response.statusCode());
        assertEquals(2, json(response).get("nodeId").asInt());
        assertTrue(json(response).get("leaving").asBoolean());
        assertEquals(java.util.List.of(2), backend.left);
        assertError(404, post("/v1/nodes/9/leave"));
        assertError(503, post("/v1/nodes/3/leave"));
        assertError(400, post("/v1/nodes/x/leave"));
        assertError(405, get("/v1/nodes/2/leave"));
    }

    @Test
    void repairAnswersEachNodesReportAndMetricsCountRepairs() throws Exception {
        JsonNode one = json(post("/v1/repair"));
        assertEquals(1, one.get("nodes").size());
        JsonNode report = one.get("nodes").get(0).get("report");
        for (String field : new String[] {"complete", "durationMs", "rangesCompared", "rangesDiffering", "rangesFailed",
                "keysDiffering", "entriesReceived", "entriesSent", "bytesSent", "bytesReceived"}) {
            assertTrue(report.has(field), field + " in " + one);
        }
        assertEquals(2, report.get("keysDiffering").asInt());
        JsonNode all = json(post("/v1/repair?all=true"));
        assertEquals(3, all.get("nodes").size());
        assertEquals("down", all.get("nodes").get(2).get("error").asText());
        assertTrue(all.get("nodes").get(2).get("report").isNull());
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("memdb_repair_rounds_total{outcome=\"incomplete\"} 1\n"), metrics);
        assertTrue(metrics.contains("memdb_repair_entries_total{direction=\"received\"} 5\n"), metrics);
        assertTrue(metrics.contains("memdb_repair_ranges_total{result=\"same\"} 26\n"), metrics);
    }

    @Test
    void healthAnswersUp() throws Exception {
        JsonNode body = json(get("/v1/health"));
        assertEquals("UP", body.get("status").asText());
        assertEquals(1, body.get("nodeId").asInt());
        assertEquals(61_000, body.get("uptimeMs").asLong());
    }

    @Test
    void unknownPathsWrongMethodsAndBackendFailures() throws Exception {
        assertError(404, get("/v1/nothing"));
        assertError(404, get("/"));
        HttpResponse<String> wrongMethod = post("/v1/cluster");
        assertError(405, wrongMethod);
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> getKill = get("/v1/nodes/2/kill");
        assertError(405, getKill);
        assertEquals("POST", getKill.headers().firstValue("Allow").orElse(""));

        backend.cluster = () -> CompletableFuture.failedFuture(ErrorCode.SHUTTING_DOWN.exception("the node is stopping"));
        assertError(503, get("/v1/cluster"));
        backend.cluster = () -> { throw new IllegalStateException("secret internals"); };
        HttpResponse<String> broken = get("/v1/nodes/1");
        assertError(500, broken);
        assertFalse(broken.body().contains("secret internals"));
        assertEquals(200, get("/v1/health").statusCode(), "the connection survives failures");
    }

    @Test
    void aBackendThatNeverAnswersGets503AfterTheTimeout() throws Exception {
        try (AdminServer impatient = AdminServer.bind("127.0.0.1", 0, KEY, backend, 200)) {
            backend.cluster = CompletableFuture::new;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + impatient.port() + "/v1/cluster"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertError(503, response);
        }
    }
}
