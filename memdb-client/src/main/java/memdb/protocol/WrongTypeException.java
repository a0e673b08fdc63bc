package memdb.protocol;

/** A counter operation on a plain key, or a plain operation on a counter. */
public final class WrongTypeException extends MemDbException {
    public WrongTypeException(ErrorCode code, String message) {
        super(code, message);
    }
}
