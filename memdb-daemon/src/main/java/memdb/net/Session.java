package memdb.net;

import java.util.function.BooleanSupplier;
import memdb.auth.KeyPolicy;
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
 * constant time ({@link KeyPolicy}); a connection that authenticated with the client key gets FORBIDDEN for
 * a node-only opcode (the connection stays open); when the node role requires a verified certificate
 * (tls-peer-mutual), the node key without one is AUTH_FAILED (with one key for both: the connection is a
 * client); a response frame sent to the server is
 * malformed and closes the connection. Error messages never contain a key. Used by one I/O thread at a time.
 */
public final class Session {
    /** What to do with one incoming message. */
    public sealed interface Admission permits Answer, Forward {}

    /** Reply with {@code response} now, then close the connection if {@code thenClose}. */
    public record Answer(Response response, boolean thenClose) implements Admission {}

    /** Hand the request to the core: one constant, not an object per request. */
    public enum Forward implements Admission { REQUEST }

    /** Says no peer certificate was verified (plaintext, or TLS without mutual authentication). */
    public static final BooleanSupplier NO_CERTIFICATE = () -> false;

    private final KeyPolicy keys;
    private final boolean nodeKeyNeedsCertificate;
    private final BooleanSupplier peerCertified;
    private final int nodeId;
    private final String serverVersion;
    private KeyPolicy.Role role;

    /** One key for clients and nodes. */
    public Session(String authKey, int nodeId, String serverVersion) {
        this(KeyPolicy.single(authKey), false, NO_CERTIFICATE, nodeId, serverVersion);
    }

    /**
     * @param nodeKeyNeedsCertificate the node key is accepted only from a connection whose TLS peer presented
     *                                a certificate the node's CA signed ({@code peerCertified})
     */
    public Session(KeyPolicy keys, boolean nodeKeyNeedsCertificate, BooleanSupplier peerCertified, int nodeId,
                   String serverVersion) {
        this.keys = keys;
        this.nodeKeyNeedsCertificate = nodeKeyNeedsCertificate;
        this.peerCertified = peerCertified;
        this.nodeId = nodeId;
        this.serverVersion = serverVersion;
    }

    public Admission admit(Message message) {
        if (message instanceof Requests.Auth auth) return authenticate(auth);
        if (message instanceof Response) {
            return new Answer(new Responses.Error(ErrorCode.MALFORMED_FRAME, "a client may send requests only, not responses"), true);
        }
        if (role == null) {
            return new Answer(new Responses.Error(ErrorCode.AUTH_REQUIRED, "authenticate first: send AUTH with the cluster's key"), false);
        }
        Request request = (Request) message;
        if (!KeyPolicy.allows(role, request.opcode())) {
            return new Answer(new Responses.Error(ErrorCode.FORBIDDEN, request.opcode()
                    + " is a node-to-node message: it needs the node key, and this connection authenticated with the client key"),
                    false);
        }
        return Forward.REQUEST;
    }

    public boolean isAuthenticated() {
        return role != null;
    }

    /** The role the connection authenticated as, or null before a successful AUTH. */
    public KeyPolicy.Role role() {
        return role;
    }

    private Answer authenticate(Requests.Auth auth) {
        role = keys.roleOf(auth.authKey());
        if (role == KeyPolicy.Role.NODE && nodeKeyNeedsCertificate && !peerCertified.getAsBoolean()) {
            if (!keys.separateKeys()) {
                role = KeyPolicy.Role.CLIENT; // one key: without a node certificate, a connection is a client
            } else {
                role = null;
                return new Answer(new Responses.Error(ErrorCode.AUTH_FAILED,
                        "the node key is accepted only over TLS with a node certificate (tls-peer-mutual)"), true);
            }
        }
        if (role == null) return new Answer(new Responses.Error(ErrorCode.AUTH_FAILED, "wrong auth key"), true);
        return new Answer(new Responses.Authenticated(nodeId, serverVersion), false);
    }
}
