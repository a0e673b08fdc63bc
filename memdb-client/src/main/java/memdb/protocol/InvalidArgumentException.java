package memdb.protocol;

/** The request is wrong: an empty or too long key, a value over the limit, a bad argument. */
public final class InvalidArgumentException extends MemDbException {
    public InvalidArgumentException(ErrorCode code, String message) {
        super(code, message);
    }
}
