package memdb.node;

import java.nio.file.Path;
import java.time.Duration;
import memdb.oplog.FsyncPolicy;
import memdb.oplog.OpLogOptions;

/**
 * Where the node keeps its op log and how: the fsync policy, whether to boot past mid-file damage
 * ({@code force-recover}), the live-log size that starts a background compaction, and how long a
 * tombstone is kept before compaction may purge it. {@code persistence} false: no op log at all (a node
 * alone, as a cache: everything is lost when it stops; the other settings are then unused).
 */
public record StorageConfig(Path dataDir, FsyncPolicy fsync, boolean forceRecover, long compactionThresholdBytes,
                            long tombstoneGraceSeconds, boolean persistence) {
    public static final FsyncPolicy FSYNC_DEFAULT = FsyncPolicy.EVERYSEC;
    public static final long COMPACTION_THRESHOLD_BYTES_DEFAULT = OpLogOptions.COMPACTION_THRESHOLD_DEFAULT;
    public static final long TOMBSTONE_GRACE_SECONDS_DEFAULT = 86_400;

    public StorageConfig(Path dataDir, FsyncPolicy fsync) {
        this(dataDir, fsync, false, COMPACTION_THRESHOLD_BYTES_DEFAULT, TOMBSTONE_GRACE_SECONDS_DEFAULT);
    }

    /** With persistence (the op log in {@code dataDir}). */
    public StorageConfig(Path dataDir, FsyncPolicy fsync, boolean forceRecover, long compactionThresholdBytes,
                         long tombstoneGraceSeconds) {
        this(dataDir, fsync, forceRecover, compactionThresholdBytes, tombstoneGraceSeconds, true);
    }

    /** The op log's options for these settings. */
    public OpLogOptions logOptions() {
        return OpLogOptions.defaults()
                .withFsync(fsync)
                .withForceRecover(forceRecover)
                .withCompactionThresholdBytes(compactionThresholdBytes)
                .withTombstoneGrace(Duration.ofSeconds(tombstoneGraceSeconds));
    }
}
