package memdb.cli;

import memdb.protocol.MemDbException;

/**
 * The exit codes of every {@code memdb} command (DESIGN §8), and the mapping from errors to them.
 */
public final class ExitCode {
    public static final int OK = 0;
    /** Not found, CAS mismatch, {@code contains} false. */
    public static final int NOT_FOUND = 1;
    public static final int USAGE = 2;
    /** No connection, quorum not reached, timeout. */
    public static final int UNAVAILABLE = 3;
    public static final int AUTH_REFUSED = 4;
    public static final int SERVER_ERROR = 5;

    private ExitCode() {}

    public static int of(MemDbException e) {
        return switch (e.code().kind()) {
            case AUTHENTICATION -> AUTH_REFUSED;
            case UNAVAILABLE, TIMEOUT -> UNAVAILABLE;
            case INVALID_ARGUMENT, WRONG_TYPE -> USAGE;
            case PROTOCOL, SERVER -> SERVER_ERROR;
        };
    }
}
