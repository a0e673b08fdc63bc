package memdb.node;

import memdb.protocol.FrameCodec;
import memdb.protocol.Key;

/**
 * The node's limits on input. {@code idleTimeoutMs} 0 means connections are never closed for being idle.
 * Invariant: a frame can always carry the largest key with the largest value.
 */
public record LimitsConfig(int valueBytesMax, int frameBytesMax, int connectionsMax, long idleTimeoutMs) {
    public static final int VALUE_BYTES_MAX_DEFAULT = 1024 * 1024;
    public static final int FRAME_BYTES_MAX_DEFAULT = FrameCodec.FRAME_BYTES_MAX_DEFAULT;
    public static final int CONNECTIONS_MAX_DEFAULT = 10_000;
    public static final long IDLE_TIMEOUT_MS_DEFAULT = 300_000;
    /** Header, consistency byte, key length and value length fields of the largest request (SET). */
    private static final int SET_OVERHEAD_BYTES = FrameCodec.HEADER_BYTES + 1 + 2 + 4;

    public LimitsConfig {
        if (valueBytesMax < 0 || connectionsMax < 1 || idleTimeoutMs < 0) {
            throw new IllegalArgumentException("limits out of range: " + valueBytesMax + ", " + connectionsMax + ", " + idleTimeoutMs);
        }
        if (frameBytesMax < frameBytesNeeded(valueBytesMax)) {
            throw new IllegalArgumentException("max-frame-bytes " + frameBytesMax + " cannot carry a value of max-value-bytes "
                    + valueBytesMax + " (it must be at least " + frameBytesNeeded(valueBytesMax) + ")");
        }
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(VALUE_BYTES_MAX_DEFAULT, FRAME_BYTES_MAX_DEFAULT, CONNECTIONS_MAX_DEFAULT, IDLE_TIMEOUT_MS_DEFAULT);
    }

    /** The smallest frame limit that lets a SET of the largest key and a value of {@code valueBytesMax} through. */
    public static long frameBytesNeeded(int valueBytesMax) {
        return (long) valueBytesMax + Key.BYTES_MAX + SET_OVERHEAD_BYTES;
    }
}
