package memdb.handoff;

/**
 * The limits of hinted handoff (STYLE §9: every queue has a bound).
 *
 * @param maxHintsPerPeer  hints kept for one peer; past it new hints are dropped and counted (0: no hints)
 * @param hintMaxAgeMs     a hint older than this is dropped and counted; the node uses its tombstone grace,
 *                         since an older hint could bring back a value whose newer tombstone was purged
 * @param batchHintsMax    hints in one HINTS batch
 * @param batchBytesMax    keys and values in one batch (a single larger hint still goes, alone)
 * @param replayTimeoutMs  a batch not acknowledged by then counts as failed and is sent again later
 */
public record HandoffSettings(int maxHintsPerPeer, long hintMaxAgeMs, int batchHintsMax, int batchBytesMax,
                              long replayTimeoutMs) {
    public static final int MAX_HINTS_PER_PEER_DEFAULT = 100_000;
    public static final int BATCH_HINTS_MAX_DEFAULT = 256;
    public static final int BATCH_BYTES_MAX_DEFAULT = 1 << 20;
    public static final HandoffSettings DEFAULTS = new HandoffSettings(MAX_HINTS_PER_PEER_DEFAULT, 86_400_000L,
            BATCH_HINTS_MAX_DEFAULT, BATCH_BYTES_MAX_DEFAULT, 5_000);

    public HandoffSettings {
        if (maxHintsPerPeer < 0) throw new IllegalArgumentException("max hints per peer must be >= 0");
        if (hintMaxAgeMs < 0) throw new IllegalArgumentException("hint max age must be >= 0");
        if (batchHintsMax < 1 || batchHintsMax > memdb.protocol.ClusterRequests.Hints.ENTRIES_MAX) {
            throw new IllegalArgumentException("hints per batch 1.." + memdb.protocol.ClusterRequests.Hints.ENTRIES_MAX);
        }
        if (batchBytesMax < 1) throw new IllegalArgumentException("batch bytes must be positive");
        if (replayTimeoutMs < 1) throw new IllegalArgumentException("replay timeout must be positive");
    }

    public HandoffSettings withMaxHintsPerPeer(int value) {
        return new HandoffSettings(value, hintMaxAgeMs, batchHintsMax, batchBytesMax, replayTimeoutMs);
    }

    public HandoffSettings withHintMaxAgeMs(long value) {
        return new HandoffSettings(maxHintsPerPeer, value, batchHintsMax, batchBytesMax, replayTimeoutMs);
    }

    public HandoffSettings withReplayTimeoutMs(long value) {
        return new HandoffSettings(maxHintsPerPeer, hintMaxAgeMs, batchHintsMax, batchBytesMax, value);
    }
}
