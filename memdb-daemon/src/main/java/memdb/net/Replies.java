package memdb.net;

import memdb.protocol.Envelope;
import memdb.protocol.ErrorCode;
import memdb.protocol.Opcode;
import memdb.protocol.ProtocolException;
import memdb.protocol.Responses;

/** Error frames sent by the connection layer itself (flagged ERROR by {@link Envelope#response}). */
final class Replies {
    private Replies() {}

    static Envelope error(Envelope about, long lamport, ErrorCode code, String message) {
        return Envelope.response(about.opcode(), about.requestId(), lamport, new Responses.Error(code, message));
    }

    /** For input that is not a request we can name: request id 0, opcode PING. */
    static Envelope connectionError(long lamport, ErrorCode code, String message) {
        return Envelope.response(Opcode.PING, 0, lamport, new Responses.Error(code, message));
    }

    /**
     * For bytes that were never read as frames (a plaintext client at a TLS port): request id 0xFFFFFFFF,
     * which no client request carries, so that the client fails the connection rather than its first request.
     */
    static Envelope unattributedError(long lamport, ErrorCode code, String message) {
        return Envelope.response(Opcode.PING, -1, lamport, new Responses.Error(code, message));
    }

    /**
     * For a frame that could not be decoded. It names the request id when the header was readable; the
     * opcode is not kept by ProtocolException, so the reply says PING. ProtocolException keeps the id as a
     * sign-extended int with -1 for "unknown", so id 0xFFFFFFFF is indistinguishable and reads as 0.
     */
    static Envelope protocolError(long lamport, ProtocolException e) {
        int requestId = e.requestId() == -1 ? 0 : (int) e.requestId();
        return Envelope.response(Opcode.PING, requestId, lamport, Responses.Error.of(e));
    }
}
