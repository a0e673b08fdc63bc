package memdb.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import memdb.protocol.ErrorCode;
import memdb.protocol.Message;
import memdb.protocol.Request;
import memdb.protocol.Requests;
import memdb.protocol.Response;
import memdb.protocol.Responses;

/**
 * One client connection's protocol state, without Netty: it decides whether a message is answered at once
 * by the connection or forwarded to the node's core (DESIGN §7, docs/protocol.md).
 *
 * <p>Invariants: nothing but AUTH is forwarded before an AUTH with the right key (AUTH_REQUIRED, the
 * connection stays open); a wrong key is AUTH_FAILED and the connection closes; keys are compared in
 * constant time ({@link MessageDigest#isEqual}); a response frame sent to the server is malformed and
 * closes the connection. Used by one I/O thread at a time.
 */
public final class Session {
    /** What to do with one incoming message. */
    public sealed interface Admission permits Answer, Forward {}

    /** Reply with {@code response} now, then close the connection if {@code thenClose}. */
    public record Answer(Response response, boolean thenClose) implements Admission {}

    /** Hand {@code request} to the core. */
    public record Forward(Request request) implements Admission {}

    private final byte[] authKey;
    private final int nodeId;
    private final String serverVersion;
    private boolean authenticated;

    public Session(String authKey, int nodeId, String serverVersion) {
        this.authKey = authKey.getBytes(StandardCharsets.UTF_8);
        this.nodeId = nodeId;
        this.serverVersion = serverVersion;
    }

    public Admission admit(Message message) {
        if (message instanceof Requests.Auth auth) return authenticate(auth);
        if (message instanceof Response) {
            return new Answer(new Responses.Error(ErrorCode.MALFORMED_FRAME, "a client may send requests only, not responses"), true);
        }
        if (!authenticated) {
            return new Answer(new Responses.Error(ErrorCode.AUTH_REQUIRED, "authenticate first: send AUTH with the cluster's key"), false);
        }
        return new Forward((Request) message);
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    private Answer authenticate(Requests.Auth auth) {
        authenticated = MessageDigest.isEqual(authKey, auth.authKey());
        if (!authenticated) return new Answer(new Responses.Error(ErrorCode.AUTH_FAILED, "wrong auth key"), true);
        return new Answer(new Responses.Authenticated(nodeId, serverVersion), false);
    }
}
