package memdb.repair;

/**
 * How anti-entropy runs on a node.
 *
 * @param intervalMs             a background round this long after the last one ended; 0 = only on demand
 * @param bandwidthBytesPerSec   repair traffic (both directions) this node starts, on average; 0 = unbounded
 * @param requestTimeoutMs       a peer that does not answer a repair message within this fails that range
 * @param rangesInFlightMax      ranges compared at once (each with one message in flight)
 */
public record RepairSettings(long intervalMs, long bandwidthBytesPerSec, long requestTimeoutMs, int rangesInFlightMax) {
    public static final long INTERVAL_MS_DEFAULT = 3_600_000;
    public static final long BANDWIDTH_BYTES_PER_SEC_DEFAULT = 8L << 20;
    public static final int RANGES_IN_FLIGHT_DEFAULT = 8;
    /** No background rounds, unbounded bandwidth: repair only when asked. */
    public static final RepairSettings ON_DEMAND = new RepairSettings(0, 0, 5_000, RANGES_IN_FLIGHT_DEFAULT);

    public RepairSettings {
        if (intervalMs < 0 || bandwidthBytesPerSec < 0) throw new IllegalArgumentException("repair interval and bandwidth must be >= 0");
        if (requestTimeoutMs < 1 || rangesInFlightMax < 1) throw new IllegalArgumentException("repair timeout and ranges in flight must be >= 1");
    }
}
