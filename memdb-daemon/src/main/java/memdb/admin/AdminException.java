package memdb.admin;

/**
 * An admin request that cannot be served, with the kind of reason, which the HTTP layer maps to a status
 * (BAD_REQUEST 400, NOT_FOUND 404, METHOD_NOT_ALLOWED 405, CONFLICT 409, UNAVAILABLE 503). The message is one sentence
 * meant for the caller: it goes into the JSON body as is, so it must never carry a secret.
 */
public final class AdminException extends RuntimeException {
    public enum Kind { BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, UNAVAILABLE, CONFLICT }

    private final Kind kind;
    private final String allowedMethod;

    public AdminException(Kind kind, String message) {
        this(kind, message, null);
    }

    private AdminException(Kind kind, String message, String allowedMethod) {
        super(message, null, false, false);
        this.kind = kind;
        this.allowedMethod = allowedMethod;
    }

    static AdminException methodNotAllowed(String allowedMethod, String message) {
        return new AdminException(Kind.METHOD_NOT_ALLOWED, message + "; use " + allowedMethod, allowedMethod);
    }

    public static AdminException unknownNode(int nodeId) {
        return new AdminException(Kind.NOT_FOUND, "node " + nodeId + " is not in the cluster");
    }

    public static AdminException badRequest(String message) {
        return new AdminException(Kind.BAD_REQUEST, message);
    }

    public static AdminException unknownConfigKey(String key) {
        String shown = key.length() <= 64 ? key : key.substring(0, 64) + "...";
        return new AdminException(Kind.NOT_FOUND, "no configuration key \"" + shown + "\"; GET /v1/config lists them");
    }

    /** The request is valid but cannot be done in the node's present state (e.g. a restart-only setting). */
    public static AdminException conflict(String message) {
        return new AdminException(Kind.CONFLICT, message);
    }

    public Kind kind() {
        return kind;
    }

    /** For METHOD_NOT_ALLOWED: the method the endpoint answers (the Allow header); else null. */
    String allowedMethod() {
        return allowedMethod;
    }
}
