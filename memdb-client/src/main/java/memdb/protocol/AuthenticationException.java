package memdb.protocol;

/** The auth key is missing or wrong. */
public final class AuthenticationException extends MemDbException {
    public AuthenticationException(ErrorCode code, String message) {
        super(code, message);
    }
}
