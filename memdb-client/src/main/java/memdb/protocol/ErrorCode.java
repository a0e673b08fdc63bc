package memdb.protocol;

/**
 * The protocol's error codes (u16 on the wire), mapped both ways to exceptions: every code names the
 * {@link MemDbException} subclass a client throws for it, and every exception knows its code.
 *
 * <p>Codes are stable: a code is never reused for another meaning. See docs/protocol.md §6.
 */
public enum ErrorCode {
    // Framing (the connection is closed after these).
    MALFORMED_FRAME(1, Kind.PROTOCOL),
    UNSUPPORTED_VERSION(2, Kind.PROTOCOL),
    UNKNOWN_OPCODE(3, Kind.PROTOCOL),
    FRAME_TOO_LARGE(4, Kind.PROTOCOL),
    // Authentication.
    AUTH_REQUIRED(10, Kind.AUTHENTICATION),
    AUTH_FAILED(11, Kind.AUTHENTICATION),
    /** The connection's key may not send this opcode (a client key sending a node-only message). */
    FORBIDDEN(12, Kind.AUTHENTICATION),
    /** The port speaks TLS only and the client connected in plaintext (or the other way round). */
    TLS_REQUIRED(13, Kind.AUTHENTICATION),
    // The request itself is wrong.
    INVALID_ARGUMENT(20, Kind.INVALID_ARGUMENT),
    KEY_TOO_LONG(21, Kind.INVALID_ARGUMENT),
    VALUE_TOO_LARGE(22, Kind.INVALID_ARGUMENT),
    WRONG_TYPE(23, Kind.WRONG_TYPE),
    // The cluster cannot serve it now.
    UNAVAILABLE(30, Kind.UNAVAILABLE),
    TIMEOUT(31, Kind.TIMEOUT),
    OVERLOADED(32, Kind.UNAVAILABLE),
    OUT_OF_MEMORY(33, Kind.UNAVAILABLE),
    SHUTTING_DOWN(34, Kind.UNAVAILABLE),
    /** A CAS whose outcome is unknown (it may or may not have been applied). */
    UNKNOWN_OUTCOME(40, Kind.TIMEOUT),
    // The server failed.
    INTERNAL(50, Kind.SERVER),
    STORAGE(51, Kind.SERVER);

    /** The exception family a code belongs to; one subclass of {@link MemDbException} per kind. */
    public enum Kind {
        PROTOCOL(ProtocolException.class),
        AUTHENTICATION(AuthenticationException.class),
        INVALID_ARGUMENT(InvalidArgumentException.class),
        WRONG_TYPE(WrongTypeException.class),
        UNAVAILABLE(UnavailableException.class),
        TIMEOUT(MemDbTimeoutException.class),
        SERVER(ServerException.class);

        private final Class<? extends MemDbException> exceptionType;

        Kind(Class<? extends MemDbException> exceptionType) {
            this.exceptionType = exceptionType;
        }

        /** The exception class every code of this kind is thrown as. */
        public Class<? extends MemDbException> exceptionType() {
            return exceptionType;
        }
    }

    private static final ErrorCode[] BY_CODE = new ErrorCode[64];

    static {
        for (ErrorCode c : values()) BY_CODE[c.code] = c;
    }

    private final int code;
    private final Kind kind;

    ErrorCode(int code, Kind kind) {
        this.code = code;
        this.kind = kind;
    }

    public int code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** The code for a wire value; unknown values (from a newer server) read as INTERNAL. */
    public static ErrorCode fromWire(int code) {
        ErrorCode c = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return c != null ? c : INTERNAL;
    }

    /** The exception that stands for this code, with a one-sentence message. */
    public MemDbException exception(String message) {
        return switch (kind) {
            case PROTOCOL -> new ProtocolException(this, message);
            case AUTHENTICATION -> new AuthenticationException(this, message);
            case INVALID_ARGUMENT -> new InvalidArgumentException(this, message);
            case WRONG_TYPE -> new WrongTypeException(this, message);
            case UNAVAILABLE -> new UnavailableException(this, message);
            case TIMEOUT -> new MemDbTimeoutException(this, message);
            case SERVER -> new ServerException(this, message);
        };
    }
}
