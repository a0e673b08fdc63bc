package memdb.protocol;

/** No answer in time; the operation may or may not have been applied. */
public final class MemDbTimeoutException extends MemDbException {
    public MemDbTimeoutException(ErrorCode code, String message) {
        super(code, message);
    }
}
