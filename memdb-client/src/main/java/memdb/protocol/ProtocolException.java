package memdb.protocol;

/**
 * A frame that breaks the protocol; the connection is closed after it. Carries the request id of the
 * offending frame when its header could be read (so the error response can name it), else -1.
 */
public final class ProtocolException extends MemDbException {
    private final long requestId;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, -1);
    }

    public ProtocolException(ErrorCode code, String message, long requestId) {
        super(code, message);
        this.requestId = requestId;
    }

    /** The request id from the frame's header, or -1 when the header itself was unreadable. */
    public long requestId() {
        return requestId;
    }
}
