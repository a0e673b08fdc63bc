package memdb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import memdb.protocol.ErrorCode;

/**
 * The CLI's side of the HTTP admin API (docs/admin-api.md): one request, JSON back, HTTP errors turned
 * into the same exceptions (and so exit codes) as the binary protocol's.
 */
final class AdminClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final String authKey;
    private final Duration timeout;
    private final HttpClient http;

    AdminClient(String hostPort, String authKey, Duration timeout) {
        this(hostPort, authKey, timeout, null);
    }

    /** Over HTTPS when {@code tls} is not null (trusting what it trusts; the host must be in the node's certificate). */
    AdminClient(String hostPort, String authKey, Duration timeout, SSLContext tls) {
        this.baseUrl = (tls != null ? "https://" : "http://") + hostPort;
        this.authKey = authKey;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) builder.sslContext(tls);
        this.http = builder.build();
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    JsonNode post(String path) {
        return post(path, null);
    }

    /**
     * POST; when nothing listens at the address, the error says {@code whenRefused} (what that means for the
     * command, e.g. that a node to kill is not running) after "connection refused".
     */
    JsonNode post(String path, String whenRefused) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()), whenRefused);
    }

    /** PUT with a JSON body. */
    JsonNode put(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** The address this client talks to, as given ({@code host:port}). */
    String address() {
        return baseUrl.substring(baseUrl.indexOf("://") + 3);
    }

    private JsonNode send(HttpRequest.Builder request) {
        return send(request, null);
    }

    private JsonNode send(HttpRequest.Builder request, String whenRefused) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(timeout).header("Authorization", "Bearer " + authKey).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw ErrorCode.TIMEOUT.exception("the admin API at " + baseUrl + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw ErrorCode.UNAVAILABLE.exception("no MemDB admin API reachable at " + baseUrl + ": connection refused"
                    + (whenRefused == null ? "" : "; " + whenRefused));
        } catch (SSLException e) {
            if (e.getMessage() != null && e.getMessage().contains("plaintext connection")) {
                throw ErrorCode.TLS_REQUIRED.exception("the admin API at " + baseUrl
                        + " does not speak TLS: connect without TLS, or configure tls-cert and tls-key on the node");
            }
            throw ErrorCode.UNAVAILABLE.exception("the TLS handshake with the admin API at " + baseUrl + " failed: " + e.getMessage()
                    + " (is --tls-ca the CA that signed its certificate, and the node's address in the certificate?)");
        } catch (IOException e) {
            if (baseUrl.startsWith("http://") && e.getMessage() != null && e.getMessage().contains("HTTP/1.1 header parser")) {
                throw ErrorCode.TLS_REQUIRED.exception("the admin API at " + baseUrl + " did not answer plain HTTP; does it need --tls-ca?");
            }
            if (e.getMessage() != null && e.getMessage().contains("status line")) {
                throw new UserError(ExitCode.USAGE, address() + " answered, but not in HTTP: is it a node's data port? "
                        + "The admin API is on its --admin-port (default 10080)");
            }
            throw ErrorCode.UNAVAILABLE.exception("the admin API at " + baseUrl + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ErrorCode.UNAVAILABLE.exception("interrupted");
        }
        JsonNode body = parse(response.body());
        String message = body.path("error").asText("HTTP " + response.statusCode());
        if (response.statusCode() / 100 == 2) return body;
        throw switch (response.statusCode()) {
            case 401, 403 -> ErrorCode.AUTH_FAILED.exception(message);
            case 400, 404, 409 -> ErrorCode.INVALID_ARGUMENT.exception(message);
            case 503 -> ErrorCode.UNAVAILABLE.exception(message);
            default -> ErrorCode.INTERNAL.exception(message);
        };
    }

    private static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return MAPPER.createObjectNode().put("error", "the admin API answered something that is not JSON");
        }
    }
}
