package memdb.protocol;

/** The server failed while handling the request. */
public final class ServerException extends MemDbException {
    public ServerException(ErrorCode code, String message) {
        super(code, message);
    }
}
