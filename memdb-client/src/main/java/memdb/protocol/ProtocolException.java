package memdb.protocol;

/**
 * A frame that breaks the protocol; the connection is closed after it. Carries the request id of the
 * offending frame when its header could be read (so the error response can name it), else
 * {@link #NO_REQUEST_ID}. The id is the wire's u32 read as an unsigned number (0..2^32-1), so that no
 * real id (not even 0xFFFFFFFF) can be mistaken for "none".
 */
public final class ProtocolException extends MemDbException {
    /** {@link #requestId()} when the frame's header could not be read (or did not start with the magic). */
    public static final long NO_REQUEST_ID = -1;

    private final long requestId;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, NO_REQUEST_ID);
    }

    public ProtocolException(ErrorCode code, String message, long requestId) {
        super(code, message);
        this.requestId = requestId;
    }

    /** The request id from the frame's header (unsigned, 0..0xFFFFFFFF), or -1 when it was unreadable. */
    public long requestId() {
        return requestId;
    }

    public boolean hasRequestId() {
        return requestId != NO_REQUEST_ID;
    }
}
