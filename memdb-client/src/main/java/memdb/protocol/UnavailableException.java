package memdb.protocol;

/** The cluster cannot serve the request now (no connection, quorum not reached, overloaded); retry later. */
public final class UnavailableException extends MemDbException {
    public UnavailableException(ErrorCode code, String message) {
        super(code, message);
    }
}
