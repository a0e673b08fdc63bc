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
    /**
     * The request id of an error that belongs to no request (the offending frame's header was unreadable).
     * Clients number their requests from 1 so that it never names one of theirs.
     */
    public static final int CONNECTION_REQUEST_ID = 0;

    /**
     * Invariants (checked always: an envelope that breaks them would encode to a frame its peer cannot
     * decode, or decode to something else): flags are known; a request has no flags and the opcode of
     * its request; a success response has FLAG_RESPONSE and the opcode's response type; an error has
     * FLAG_RESPONSE | FLAG_ERROR; lamport fits the wire's signed-safe u64 (>= 0).
     */
    public Envelope {
        if (opcode == null || message == null) throw new IllegalArgumentException("opcode and message are required");
        if ((flags & ~FLAGS_KNOWN) != 0) throw new IllegalArgumentException("unknown flags " + flags);
        if (lamport < 0) throw new IllegalArgumentException("negative lamport time " + lamport);
        if (message instanceof Request request) {
            if (flags != 0) throw new IllegalArgumentException("a request carries no flags: " + flags);
            if (request.opcode() != opcode) {
                throw new IllegalArgumentException(request.getClass().getSimpleName() + " sent as " + opcode);
            }
        } else if (message instanceof Responses.Error) {
            if (flags != (FLAG_RESPONSE | FLAG_ERROR)) throw new IllegalArgumentException("an error needs RESPONSE|ERROR");
        } else {
            if (flags != FLAG_RESPONSE) throw new IllegalArgumentException("a response needs exactly RESPONSE");
            if (!opcode.responseType().isInstance(message)) {
                throw new IllegalArgumentException(opcode + " is not answered by " + message.getClass().getSimpleName());
            }
        }
    }

    public static Envelope request(int requestId, long lamport, Request request) {
        return new Envelope(request.opcode(), 0, requestId, lamport, request);
    }

    public static Envelope response(Opcode opcode, int requestId, long lamport, Response response) {
        int flags = FLAG_RESPONSE | (response instanceof Responses.Error ? FLAG_ERROR : 0);
        return new Envelope(opcode, flags, requestId, lamport, response);
    }

    /**
     * The error frame that answers a frame the decoder rejected, sent just before the connection is
     * closed. The rejected frame's opcode may be unknown (or untrustworthy), so it travels as PING, the
     * opcode every version understands; its request id is echoed when it was readable, else
     * {@link #CONNECTION_REQUEST_ID}.
     */
    public static Envelope protocolError(ProtocolException e, long lamport) {
        int requestId = e.hasRequestId() ? (int) e.requestId() : CONNECTION_REQUEST_ID;
        return new Envelope(Opcode.PING, FLAG_RESPONSE | FLAG_ERROR, requestId, lamport, Responses.Error.of(e));
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    public boolean isError() {
        return (flags & FLAG_ERROR) != 0;
    }
}
