package memdb.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import memdb.protocol.Key;
import memdb.protocol.Utf8;

/**
 * The endpoints of the admin API, and the parsing of a request line into one of them. Pure: no I/O,
 * so every path, method and bad-input case is a unit test.
 *
 * <p>Rules: the path is matched on its raw form, then each variable part is percent-decoded as UTF-8
 * ({@code +} stays a plus: this is a path, not a form); a key may contain {@code /}. Failures are
 * {@link AdminException}s: unknown path NOT_FOUND, known path with another method METHOD_NOT_ALLOWED,
 * malformed node id, key or query BAD_REQUEST.
 */
sealed interface AdminRoute {
    record Cluster() implements AdminRoute {}

    record Node(int nodeId) implements AdminRoute {}

    record KeyInfo(String key, boolean versions) implements AdminRoute {}

    record Kill(int nodeId) implements AdminRoute {}

    /** POST /v1/nodes/{id}/leave: decommission the node (stream its ranges away, then stop). */
    record Leave(int nodeId) implements AdminRoute {}

    record Health() implements AdminRoute {}

    record Metrics() implements AdminRoute {}

    record ConfigAll() implements AdminRoute {}

    record ConfigGet(String key) implements AdminRoute {}

    /** {@code PUT /v1/config/KEY} with the body {@code {"value": "..."}}. */
    record ConfigSet(String key, String value) implements AdminRoute {}

    /** POST /v1/repair[?all=true]: an anti-entropy round now on this node, or on every up node. */
    record Repair(boolean all) implements AdminRoute {}

    String KEYS = "/v1/keys/";
    String NODES = "/v1/nodes/";
    String CONFIG = "/v1/config";

    static AdminRoute parse(HttpMethod method, String uri) {
        return parse(method, uri, "");
    }

    /** As {@link #parse(HttpMethod, String)}, with the request's body (only a PUT reads it). */
    static AdminRoute parse(HttpMethod method, String uri, String body) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        QueryStringDecoder params = new QueryStringDecoder(uri);
        if (path.equals("/v1/cluster")) return get(method, new Cluster());
        if (path.equals("/v1/health")) return get(method, new Health());
        if (path.equals("/metrics")) return get(method, new Metrics());
        if (path.equals(CONFIG)) return get(method, new ConfigAll());
        if (path.startsWith(CONFIG + "/") && path.length() > CONFIG.length() + 1 && path.indexOf('/', CONFIG.length() + 1) < 0) {
            String key = decode(path.substring(CONFIG.length() + 1));
            if (HttpMethod.PUT.equals(method)) return new ConfigSet(key, AdminConfig.valueOf(body));
            return require(HttpMethod.GET, method, new ConfigGet(key), "GET, PUT");
        }
        if (path.equals("/v1/repair")) return post(method, new Repair(flag(params, "all")));
        if (path.startsWith(KEYS) && path.length() > KEYS.length()) {
            return get(method, new KeyInfo(key(path.substring(KEYS.length())), versions(params)));
        }
        if (path.startsWith(NODES)) {
            String rest = path.substring(NODES.length());
            if (rest.endsWith("/kill") && rest.indexOf('/') == rest.length() - "/kill".length()) {
                return post(method, new Kill(nodeId(rest.substring(0, rest.length() - "/kill".length()))));
            }
            if (rest.endsWith("/leave") && rest.indexOf('/') == rest.length() - "/leave".length()) {
                return post(method, new Leave(nodeId(rest.substring(0, rest.length() - "/leave".length()))));
            }
            if (!rest.isEmpty() && rest.indexOf('/') < 0) return get(method, new Node(nodeId(rest)));
        }
        throw new AdminException(AdminException.Kind.NOT_FOUND, "no such endpoint: " + shorten(path));
    }

    private static AdminRoute get(HttpMethod method, AdminRoute route) {
        return require(HttpMethod.GET, method, route);
    }

    private static AdminRoute post(HttpMethod method, AdminRoute route) {
        return require(HttpMethod.POST, method, route);
    }

    private static AdminRoute require(HttpMethod wanted, HttpMethod method, AdminRoute route) {
        return require(wanted, method, route, wanted.name());
    }

    private static AdminRoute require(HttpMethod wanted, HttpMethod method, AdminRoute route, String allowed) {
        if (!wanted.equals(method)) throw AdminException.methodNotAllowed(allowed, method + " is not allowed here");
        return route;
    }

    private static int nodeId(String raw) {
        String text = decode(raw);
        if (!text.matches("[0-9]{1,5}")) throw AdminException.badRequest("node id must be a number 1..65535: " + shorten(text));
        int id = Integer.parseInt(text);
        if (id < 1 || id > 65535) throw AdminException.badRequest("node id must be a number 1..65535: " + id);
        return id;
    }

    private static String key(String raw) {
        String key = decode(raw);
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Key.BYTES_MAX) {
            throw AdminException.badRequest("key is " + bytes + " bytes; the limit is " + Key.BYTES_MAX);
        }
        return key;
    }

    private static boolean versions(QueryStringDecoder params) {
        return flag(params, "versions");
    }

    /** A true/false query parameter; absent is false, present without a value is true. */
    private static boolean flag(QueryStringDecoder params, String name) {
        List<String> values;
        try {
            values = params.parameters().get(name);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest("malformed query string");
        }
        if (values == null || values.isEmpty()) return false;
        String value = values.get(values.size() - 1);
        if (value.equals("true") || value.isEmpty()) return true;
        if (value.equals("false")) return false;
        throw AdminException.badRequest(name + " must be true or false");
    }

    /** Percent-decodes a path segment as strict UTF-8. */
    private static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                continue;
            }
            if (i + 2 >= raw.length()) throw AdminException.badRequest("malformed percent-encoding in the path");
            int high = Character.digit(raw.charAt(i + 1), 16);
            int low = Character.digit(raw.charAt(i + 2), 16);
            if (high < 0 || low < 0) throw AdminException.badRequest("malformed percent-encoding in the path");
            bytes.write(high * 16 + low);
            i += 2;
        }
        return Utf8.decode(bytes.toByteArray()).orElseThrow(() -> AdminException.badRequest("the path is not valid UTF-8"));
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
