package memdb.resp;

/** Input that is not RESP2: answered with {@code -ERR Protocol error: ...}, after which the connection closes. */
public final class RespProtocolException extends RuntimeException {
    public RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
