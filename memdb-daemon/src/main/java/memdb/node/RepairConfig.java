package memdb.node;

import memdb.repair.RepairSettings;

/**
 * Anti-entropy (docs/cluster.md, "Anti-entropy"): a background round every {@code intervalMs} (0 = only
 * when asked, {@code memdb cluster repair}), at most {@code bandwidthBytesPerSec} of repair traffic on
 * average (0 = unbounded).
 */
public record RepairConfig(long intervalMs, long bandwidthBytesPerSec) {
    public static RepairConfig defaults() {
        return new RepairConfig(RepairSettings.INTERVAL_MS_DEFAULT, RepairSettings.BANDWIDTH_BYTES_PER_SEC_DEFAULT);
    }

    /** The core's settings; a peer that does not answer a repair message within the request timeout fails that range. */
    RepairSettings settings(long requestTimeoutMs) {
        return new RepairSettings(intervalMs, bandwidthBytesPerSec, requestTimeoutMs, RepairSettings.RANGES_IN_FLIGHT_DEFAULT);
    }
}
