package memdb.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import memdb.oplog.FsyncPolicy;
import memdb.protocol.Consistency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET/PUT /v1/config} against a real node: every key listed, live changes applied, errors as documented. */
class ConfigAdminTest {
    static final String KEY = "config-test-key";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Node node;
    HttpClient http;

    @BeforeEach
    void start() throws Exception {
        Path file = Files.write(dir.resolve("memdb.conf"), List.of("fsync = no", "slow-request-ms = 500"));
        Map<String, String> flags = Map.of("port", "0", "admin-port", "0", "auth-key", KEY, "data-dir", dir.resolve("db").toString());
        node = Node.start(new ConfigLoader(flags, Map.of("MEMDB_LOG_LEVEL", "warn"), file, new ConfigResolver(null, dir.toString())));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        node.close();
        LogLevel.INFO.applyToProcess();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path));
    }

    private HttpResponse<String> put(String key, String body) throws Exception {
        return send(at("/v1/config/" + key).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void listsEveryKeyWithValueSourceLiveAndEnvironmentVariable() throws Exception {
        HttpResponse<String> response = send(at("/v1/config").GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode settings = json(response).path("settings");
        assertEquals(ConfigKey.values().length, settings.size());
        for (int i = 0; i < settings.size(); i++) {
            JsonNode entry = settings.get(i);
            ConfigKey key = ConfigKey.values()[i];
            assertEquals(key.key(), entry.path("key").asText());
            assertEquals(key.live(), entry.path("live").asBoolean());
            assertEquals(key.environmentVariable(), entry.path("env").asText());
        }
        JsonNode fsync = json(send(at("/v1/config/fsync").GET()));
        assertEquals("no", fsync.path("value").asText());
        assertEquals("file", fsync.path("source").asText());
        assertEquals("env", json(send(at("/v1/config/log-level").GET())).path("source").asText());
        assertEquals("flag", json(send(at("/v1/config/port").GET())).path("source").asText());
        assertEquals("default", json(send(at("/v1/config/vnodes").GET())).path("source").asText());
        JsonNode auth = json(send(at("/v1/config/auth-key").GET()));
        assertEquals("(hidden)", auth.path("value").asText());
        assertTrue(!response.body().contains(KEY), "the auth key never appears");
    }

    @Test
    void aLiveChangeTakesEffectOnTheRunningNode() throws Exception {
        HttpResponse<String> response = put("fsync", "{\"value\": \"always\"}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("always", json(response).path("value").asText());
        assertEquals("live", json(response).path("source").asText());
        assertEquals(FsyncPolicy.ALWAYS, node.runningConfig().current().storage().fsync());
        assertEquals(FsyncPolicy.ALWAYS, node.fsyncPolicy(), "the op log follows it");

        assertEquals(200, put("write-consistency", "{\"value\": \"all\"}").statusCode());
        assertEquals(Consistency.ALL, node.runningConfig().current().cluster().writeConsistency());
        assertEquals(200, put("slow-request-ms", "{\"value\": 0}").statusCode(), "a JSON number is taken as its text");
        assertEquals("0", json(send(at("/v1/config/slow-request-ms").GET())).path("value").asText());
    }

    @Test
    void errorsSayWhatIsWrongAndChangeNothing() throws Exception {
        HttpResponse<String> bad = put("fsync", "{\"value\": \"sometimes\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("invalid fsync 'sometimes' (from the admin API): expected always, everysec or no", json(bad).path("error").asText());

        HttpResponse<String> restart = put("port", "{\"value\": \"10001\"}");
        assertEquals(409, restart.statusCode());
        assertTrue(json(restart).path("error").asText().contains("needs a restart"), restart.body());

        assertEquals(404, put("no-such-key", "{\"value\": \"1\"}").statusCode());
        assertEquals(404, send(at("/v1/config/no-such-key").GET()).statusCode());
        assertEquals(400, put("fsync", "always").statusCode(), "the body must be JSON");
        assertEquals(400, put("fsync", "{\"value\": null}").statusCode());
        HttpResponse<String> post = send(at("/v1/config/fsync").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, post.statusCode());
        assertEquals("GET, PUT", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> anonymous = http.send(at("/v1/config").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());

        assertEquals(FsyncPolicy.NO, node.runningConfig().current().storage().fsync());
        assertEquals(200, send(at("/v1/health").GET()).statusCode(), "the node is still up");
    }
}
