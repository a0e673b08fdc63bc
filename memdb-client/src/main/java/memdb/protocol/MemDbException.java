package memdb.protocol;

/**
 * The root of MemDB's operating errors: each carries the {@link ErrorCode} it travels as on the wire.
 * Subclasses group codes by what a caller does about them (retry, fix the request, re-authenticate).
 * Broken invariants are not MemDbExceptions: they are IllegalStateExceptions and fail loudly.
 */
public abstract sealed class MemDbException extends RuntimeException
        permits ProtocolException, AuthenticationException, InvalidArgumentException, WrongTypeException,
                UnavailableException, MemDbTimeoutException, ServerException {
    private final ErrorCode code;

    protected MemDbException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
