package memdb.protocol;

/** How many replicas must answer a request: one, a majority of the preference list, or all of it. */
public enum Consistency {
    /** The node's configured default for this kind of request (write QUORUM, read ONE unless configured). */
    DEFAULT(0),
    ONE(1),
    QUORUM(2),
    ALL(3);

    /** values() copies its array on every call; decoding runs once per request. */
    private static final Consistency[] LEVELS = values();

    private final int wireCode;

    Consistency(int wireCode) {
        this.wireCode = wireCode;
    }

    public int wireCode() {
        return wireCode;
    }

    public static Consistency fromWire(int code) {
        for (Consistency c : LEVELS) if (c.wireCode == code) return c;
        throw ErrorCode.MALFORMED_FRAME.exception("unknown consistency level " + code);
    }

    /** Replicas needed out of {@code replicas}. */
    public int required(int replicas) {
        return switch (this) {
            case ONE -> Math.min(1, replicas);
            case QUORUM -> replicas / 2 + 1;
            case ALL -> replicas;
            case DEFAULT -> throw new IllegalStateException("DEFAULT must be resolved by the node first");
        };
    }
}
