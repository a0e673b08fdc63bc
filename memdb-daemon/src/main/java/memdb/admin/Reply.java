package memdb.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import memdb.client.Futures;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;

/**
 * One HTTP answer before it becomes Netty objects: status, content type, body bytes, an optional
 * Allow header, and an action to run once it has been written (the kill hook). Pure data, so that it
 * can be built on any thread and turned into a {@code FullHttpResponse} on the channel's own thread.
 * The factories hold the API's conventions: JSON bodies, errors as {"error": "one sentence"}.
 */
record Reply(HttpResponseStatus status, String contentType, byte[] body, String allow, Runnable afterWrite) {
    static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final System.Logger LOG = System.getLogger(Reply.class.getName());
    private static final Runnable NOTHING = () -> {};

    static Reply json(HttpResponseStatus status, Object body) {
        try {
            return new Reply(status, JSON_TYPE, JSON.writeValueAsBytes(body), null, NOTHING);
        } catch (JsonProcessingException e) {
            LOG.log(Level.ERROR, "cannot write the admin reply as JSON", e);
            return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the reply could not be written as JSON");
        }
    }

    static Reply ok(Object body) {
        return json(HttpResponseStatus.OK, body);
    }

    static Reply text(String contentType, String body) {
        return new Reply(HttpResponseStatus.OK, contentType, body.getBytes(StandardCharsets.UTF_8), null, NOTHING);
    }

    static Reply error(HttpResponseStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    Reply then(Runnable action) {
        return new Reply(status, contentType, body, allow, action);
    }

    /** The answer for a failed request: the mapping of exceptions to statuses documented in docs/admin-api.md. */
    static Reply failure(Throwable thrown) {
        Throwable t = Futures.unwrapCompletion(thrown);
        if (t instanceof AdminException e) {
            Reply reply = error(status(e.kind()), e.getMessage());
            return e.allowedMethod() == null ? reply : new Reply(reply.status, reply.contentType, reply.body, e.allowedMethod(), NOTHING);
        }
        if (t instanceof TimeoutException) {
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the node did not answer in time");
        }
        if (t instanceof MemDbException e) {
            ErrorCode.Kind kind = e.code().kind();
            if (kind == ErrorCode.Kind.UNAVAILABLE || kind == ErrorCode.Kind.TIMEOUT) {
                return error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
            }
            if (kind == ErrorCode.Kind.INVALID_ARGUMENT) return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        LOG.log(Level.ERROR, "admin request failed", t);
        return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error on the node; see its log");
    }

    private static HttpResponseStatus status(AdminException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> HttpResponseStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpResponseStatus.METHOD_NOT_ALLOWED;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
        };
    }
}
