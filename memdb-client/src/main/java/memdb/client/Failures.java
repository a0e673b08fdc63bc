package memdb.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import memdb.protocol.ErrorCode;
import memdb.protocol.MemDbException;
import memdb.protocol.ProtocolException;

/**
 * The client's own operating errors, each a typed {@link MemDbException} with one sentence a user can act
 * on ("no MemDB node reachable at 127.0.0.1:10000: connection refused"). Socket-level causes are
 * translated here and nowhere else, so no Netty or java.net exception reaches a caller.
 */
final class Failures {
    private Failures() {}

    static MemDbException unreachable(NodeAddress node, Throwable cause) {
        return ErrorCode.UNAVAILABLE.exception("no MemDB node reachable at " + node + ": " + reason(cause));
    }

    static MemDbException connectionLost(NodeAddress node) {
        return ErrorCode.UNAVAILABLE.exception("the connection to the MemDB node at " + node + " was closed");
    }

    static MemDbException connectionFailed(NodeAddress node, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException protocol) {
            // an absurd length is most often another protocol's text (HTTP, RESP) read as a length prefix
            String hint = protocol.code() == ErrorCode.FRAME_TOO_LARGE
                    ? "; is " + node + " a MemDB node's client port (not its admin or RESP port, nor another server)?" : "";
            return ErrorCode.MALFORMED_FRAME.exception(
                    "the MemDB node at " + node + " sent a bad frame: " + protocol.getMessage() + hint);
        }
        if (cause instanceof DecoderException && cause.getCause() instanceof NotSslRecordException
                || cause instanceof NotSslRecordException) {
            return ErrorCode.TLS_REQUIRED.exception("the MemDB node at " + node
                    + " does not speak TLS: connect without TLS, or configure tls-cert and tls-key on the node");
        }
        SSLException tls = sslCause(cause);
        if (tls != null) {
            return ErrorCode.UNAVAILABLE.exception("the TLS handshake with the MemDB node at " + node + " failed: "
                    + tls.getMessage() + " (is --tls-ca the CA that signed its certificate, and its address in the certificate?)");
        }
        return ErrorCode.UNAVAILABLE.exception("the connection to the MemDB node at " + node + " failed: " + reason(cause));
    }

    static MemDbException protocolViolation(NodeAddress node, String what) {
        return ErrorCode.MALFORMED_FRAME.exception("the MemDB node at " + node + " broke the protocol: " + what);
    }

    static MemDbException timedOut(NodeAddress node, Duration timeout) {
        return ErrorCode.TIMEOUT.exception(
                "no answer from the MemDB node at " + node + " within " + timeout.toMillis() + " ms");
    }

    static MemDbException overloaded(NodeAddress node, int queued) {
        return ErrorCode.OVERLOADED.exception(
                queued + " requests are already waiting for the MemDB node at " + node + "; slow down");
    }

    /** No seed answered CLUSTER_INFO, so the client cannot tell where any key lives. */
    static MemDbException noClusterView(List<MemDbException> failures) {
        String reasons = failures.stream().map(MemDbException::getMessage).collect(Collectors.joining("; "));
        return ErrorCode.UNAVAILABLE.exception("cannot learn the MemDB cluster: no seed answered (" + reasons + ")");
    }

    static MemDbException tooManyWaitingForClusterView(int waiting) {
        return ErrorCode.OVERLOADED.exception(
                waiting + " requests are already waiting for this client to learn the MemDB cluster; slow down");
    }

    static MemDbException unusableClusterView(NodeAddress node, String reason) {
        return ErrorCode.UNAVAILABLE.exception("the MemDB node at " + node + " cannot route this client: " + reason);
    }

    static MemDbException clientClosed() {
        return ErrorCode.SHUTTING_DOWN.exception("this MemDB client is closed");
    }

    private static SSLException sslCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) if (t instanceof SSLException e) return e;
        return null;
    }

    /** A short lower-case reason for a socket failure. */
    static String reason(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) return "connection timed out";
        if (cause instanceof UnknownHostException) return "unknown host";
        if (cause instanceof NoRouteToHostException) return "no route to host";
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException && lower.contains("refused")) return "connection refused";
        if (lower.contains("connection reset")) return "connection reset";
        int colon = lower.indexOf(": /");
        return colon > 0 ? lower.substring(0, colon) : lower;
    }
}
