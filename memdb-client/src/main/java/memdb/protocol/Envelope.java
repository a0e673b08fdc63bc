package memdb.protocol;

/**
 * One frame: the header fields and the decoded message. A request's envelope carries the sender's
 * Lamport time; a response repeats the request's id and opcode, sets {@link #FLAG_RESPONSE} (and
 * {@link #FLAG_ERROR} for an {@link Responses.Error}) and carries the responder's Lamport time.
 */
public record Envelope(Opcode opcode, int flags, int requestId, long lamport, Message message) {
    public static final int FLAG_RESPONSE = 0x01;
    public static final int FLAG_ERROR = 0x02;
    /** Flags this version knows; a frame with any other bit set is malformed. */
    public static final int FLAGS_KNOWN = FLAG_RESPONSE | FLAG_ERROR;

    public static Envelope request(int requestId, long lamport, Request request) {
        return new Envelope(request.opcode(), 0, requestId, lamport, request);
    }

    public static Envelope response(Opcode opcode, int requestId, long lamport, Response response) {
        int flags = FLAG_RESPONSE | (response instanceof Responses.Error ? FLAG_ERROR : 0);
        return new Envelope(opcode, flags, requestId, lamport, response);
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    public boolean isError() {
        return (flags & FLAG_ERROR) != 0;
    }
}
