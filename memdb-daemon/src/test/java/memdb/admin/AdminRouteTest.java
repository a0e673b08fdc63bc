package memdb.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminRouteTest {
    private static AdminRoute get(String uri) {
        return AdminRoute.parse(HttpMethod.GET, uri);
    }

    private static AdminException.Kind failure(HttpMethod method, String uri) {
        return assertThrows(AdminException.class, () -> AdminRoute.parse(method, uri)).kind();
    }

    @Test
    void parsesEveryEndpoint() {
        assertEquals(new AdminRoute.Cluster(), get("/v1/cluster"));
        assertEquals(new AdminRoute.Health(), get("/v1/health"));
        assertEquals(new AdminRoute.Metrics(), get("/metrics"));
        assertEquals(new AdminRoute.Node(7), get("/v1/nodes/7"));
        assertEquals(new AdminRoute.KeyInfo("user:1", false), get("/v1/keys/user:1"));
        assertEquals(new AdminRoute.KeyInfo("user:1", true), get("/v1/keys/user:1?versions=true"));
        assertEquals(new AdminRoute.Kill(65535), AdminRoute.parse(HttpMethod.POST, "/v1/nodes/65535/kill"));
        assertEquals(new AdminRoute.Leave(4), AdminRoute.parse(HttpMethod.POST, "/v1/nodes/4/leave"));
        assertEquals(new AdminRoute.Repair(false), AdminRoute.parse(HttpMethod.POST, "/v1/repair"));
        assertEquals(new AdminRoute.Repair(true), AdminRoute.parse(HttpMethod.POST, "/v1/repair?all=true"));
        assertEquals(new AdminRoute.Repair(false), AdminRoute.parse(HttpMethod.POST, "/v1/repair?all=false"));
        assertEquals(AdminException.Kind.BAD_REQUEST, failure(HttpMethod.POST, "/v1/repair?all=yes"));
        assertEquals(AdminException.Kind.METHOD_NOT_ALLOWED, failure(HttpMethod.GET, "/v1/repair"));
    }

    @Test
    void parsesTheConfigEndpoints() {
        assertEquals(new AdminRoute.ConfigAll(), get("/v1/config"));
        assertEquals(new AdminRoute.ConfigGet("fsync"), get("/v1/config/fsync"));
        assertEquals(new AdminRoute.ConfigSet("fsync", "always"), AdminRoute.parse(HttpMethod.PUT, "/v1/config/fsync", "{\"value\": \"always\"}"));
        assertEquals(new AdminRoute.ConfigSet("slow-request-ms", "250"),
                AdminRoute.parse(HttpMethod.PUT, "/v1/config/slow-request-ms", "{\"value\": 250}"));
        for (String body : new String[] {"", "always", "[]", "{}", "{\"value\": null}", "{\"value\": [1]}", "{\"value\": \"" + "x".repeat(4097) + "\"}"}) {
            assertEquals(AdminException.Kind.BAD_REQUEST,
                    assertThrows(AdminException.class, () -> AdminRoute.parse(HttpMethod.PUT, "/v1/config/fsync", body)).kind(), body);
        }
        assertEquals(AdminException.Kind.METHOD_NOT_ALLOWED, failure(HttpMethod.PUT, "/v1/config"));
        assertEquals(AdminException.Kind.METHOD_NOT_ALLOWED, failure(HttpMethod.DELETE, "/v1/config/fsync"));
        assertEquals(AdminException.Kind.NOT_FOUND, failure(HttpMethod.GET, "/v1/config/fsync/more"));
    }

    @Test
    void keysArePercentDecodedUtf8AndMayHoldSlashesAndPlus() {
        assertEquals(new AdminRoute.KeyInfo("a/b é+c d", false), get("/v1/keys/a%2Fb%20%C3%A9+c%20d"));
        assertEquals(new AdminRoute.KeyInfo("a/b", false), get("/v1/keys/a/b"));
    }

    @Test
    void aKeyOfExactly1024BytesPassesAndOneMoreIsRefused() {
        assertEquals(1024, ((AdminRoute.KeyInfo) get("/v1/keys/" + "k".repeat(1024))).key().length());
        assertEquals(AdminException.Kind.BAD_REQUEST, failure(HttpMethod.GET, "/v1/keys/" + "k".repeat(1025)));
        // 342 two-byte characters: 684 bytes, under the limit; 513 of them: 1026 bytes, over it.
        assertEquals(AdminException.Kind.BAD_REQUEST, failure(HttpMethod.GET, "/v1/keys/" + "%C3%A9".repeat(513)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/nodes/abc", "/v1/nodes/0", "/v1/nodes/65536", "/v1/nodes/-1", "/v1/nodes/123456",
            "/v1/keys/%zz", "/v1/keys/%C3", "/v1/keys/a%", "/v1/keys/k?versions=maybe", "/v1/keys/k?versions=%zz"})
    void badInputIsABadRequest(String uri) {
        assertEquals(AdminException.Kind.BAD_REQUEST, failure(HttpMethod.GET, uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v1", "/v1/cluster/x", "/v1/keys/", "/v1/nodes/", "/v1/nodes/1/2", "/v2/cluster", "/metricsx"})
    void unknownPathsAreNotFound(String uri) {
        assertEquals(AdminException.Kind.NOT_FOUND, failure(HttpMethod.GET, uri));
    }

    @Test
    void wrongMethodsAreRefusedWithTheAllowedOne() {
        AdminException post = assertThrows(AdminException.class, () -> AdminRoute.parse(HttpMethod.POST, "/v1/cluster"));
        assertEquals(AdminException.Kind.METHOD_NOT_ALLOWED, post.kind());
        assertEquals("GET", post.allowedMethod());
        AdminException get = assertThrows(AdminException.class, () -> get("/v1/nodes/2/kill"));
        assertEquals("POST", get.allowedMethod());
        assertEquals(AdminException.Kind.METHOD_NOT_ALLOWED, failure(HttpMethod.DELETE, "/v1/keys/k"));
    }
}
