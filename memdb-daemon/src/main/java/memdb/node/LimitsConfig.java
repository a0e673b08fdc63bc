package memdb.node;

import memdb.limits.VmOptions;
import memdb.protocol.FrameCodec;
import memdb.protocol.Key;

/**
 * The node's limits on input and on what it holds. {@code idleTimeoutMs} 0 means connections are never
 * closed for being idle; {@code pendingPerConnectionMax} is how many requests one connection may have in
 * flight before the node stops reading from it; {@code memoryMaxBytes} is the ceiling above which writes
 * are refused with OUT_OF_MEMORY (docs/operations.md "Limits"). Invariant: a frame can always carry the
 * largest key with the largest value.
 */
public record LimitsConfig(int valueBytesMax, int frameBytesMax, int connectionsMax, long idleTimeoutMs,
                           int pendingPerConnectionMax, long memoryMaxBytes, int keyBytesMax) {
    public static final int VALUE_BYTES_MAX_DEFAULT = 1024 * 1024;
    public static final int FRAME_BYTES_MAX_DEFAULT = FrameCodec.FRAME_BYTES_MAX_DEFAULT;
    public static final int CONNECTIONS_MAX_DEFAULT = 10_000;
    public static final long IDLE_TIMEOUT_MS_DEFAULT = 300_000;
    public static final int PENDING_PER_CONNECTION_MAX_DEFAULT = 1024;
    public static final int KEY_BYTES_MAX_DEFAULT = Key.BYTES_MAX;
    /** Header, consistency byte, key length and value length fields of the largest request (SET). */
    private static final int SET_OVERHEAD_BYTES = FrameCodec.HEADER_BYTES + 1 + 2 + 4;

    public LimitsConfig {
        if (valueBytesMax < 0 || connectionsMax < 1 || idleTimeoutMs < 0 || pendingPerConnectionMax < 1
                || memoryMaxBytes < 1 || keyBytesMax < 1 || keyBytesMax > Key.BYTES_MAX) {
            throw new IllegalArgumentException("limits out of range: " + valueBytesMax + ", " + connectionsMax + ", "
                    + idleTimeoutMs + ", " + pendingPerConnectionMax + ", " + memoryMaxBytes + ", " + keyBytesMax);
        }
        if (frameBytesMax < frameBytesNeeded(valueBytesMax)) {
            throw new IllegalArgumentException("max-frame-bytes " + frameBytesMax + " cannot carry a value of max-value-bytes "
                    + valueBytesMax + " (it must be at least " + frameBytesNeeded(valueBytesMax) + ")");
        }
    }

    /** The first four limits as given, the others at their defaults. */
    public LimitsConfig(int valueBytesMax, int frameBytesMax, int connectionsMax, long idleTimeoutMs) {
        this(valueBytesMax, frameBytesMax, connectionsMax, idleTimeoutMs, PENDING_PER_CONNECTION_MAX_DEFAULT,
                memoryMaxBytesDefault(), KEY_BYTES_MAX_DEFAULT);
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(VALUE_BYTES_MAX_DEFAULT, FRAME_BYTES_MAX_DEFAULT, CONNECTIONS_MAX_DEFAULT, IDLE_TIMEOUT_MS_DEFAULT);
    }

    /**
     * {@code max-memory} when the config names none: half the JVM's max heap (-Xmx). The store's accounting
     * counts its entries (off the heap, in direct memory: memdb.store.Slabs) and table (on it); the JVM's
     * direct memory is as large as its max heap unless -XX:MaxDirectMemorySize says otherwise, so by default
     * half of it is left to the connections' I/O buffers.
     */
    public static long memoryMaxBytesDefault() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** The JVM's bound on direct memory: -XX:MaxDirectMemorySize, by default the max heap (as the JDK takes it). */
    public static long directMemoryMax() {
        long configured = VmOptions.number("MaxDirectMemorySize", 0);
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
    }

    /**
     * The largest max-memory a node may be given in this JVM: seven eighths of its direct memory, where the
     * data lives; the last eighth stays for the connections' I/O buffers, which share it. The default,
     * half the max heap, always fits (unless -XX:MaxDirectMemorySize is set lower).
     */
    public static long memoryMaxBytesAllowed(long directMemoryMax) {
        return directMemoryMax / 8 * 7;
    }

    /** The smallest frame limit that lets a SET of the largest key and a value of {@code valueBytesMax} through. */
    public static long frameBytesNeeded(int valueBytesMax) {
        return (long) valueBytesMax + Key.BYTES_MAX + SET_OVERHEAD_BYTES;
    }
}
