package memdb.oplog;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The settings of a {@link FileOpLog}, validated on construction.
 *
 * @param fsync                    when records reach the disk
 * @param forceRecover             keep every good record past mid-file damage (and rewrite the log without it)
 * @param compactionThresholdBytes compact when the log past the last snapshot reaches this size; 0 = never
 * @param tombstoneGrace           compaction keeps a tombstone at least this long after its delete
 * @param compress                 LZ4-compress snapshots written by compaction
 * @param pendingBytesMax          appended bytes waiting for the writer thread before {@code append} blocks
 * @param fsyncInterval            how often {@code EVERYSEC} fsyncs; also, under every policy, the longest a record appended without a commit waits for the writer
 * @param wallClockMillis          the wall clock, for record ages (tombstone grace) and header dates
 */
public record OpLogOptions(FsyncPolicy fsync, boolean forceRecover, long compactionThresholdBytes, Duration tombstoneGrace,
                           boolean compress, int pendingBytesMax, Duration fsyncInterval, LongSupplier wallClockMillis) {
    public static final long COMPACTION_THRESHOLD_DEFAULT = 64L << 20;
    public static final int PENDING_BYTES_MAX_DEFAULT = 16 << 20;
    /** Keeps a live segment (sealed past {@link #SEGMENT_BYTES_MAX} after a batch) well under 2 GiB, the mapping limit. */
    public static final int PENDING_BYTES_MAX_LIMIT = 256 << 20;
    /** The live segment is sealed (and a new one started) past this size, compaction or not. */
    public static final long SEGMENT_BYTES_MAX = 1L << 30;

    public OpLogOptions {
        if (fsync == null || tombstoneGrace == null || fsyncInterval == null || wallClockMillis == null) {
            throw new NullPointerException("op-log option");
        }
        if (compactionThresholdBytes < 0) throw new IllegalArgumentException("compaction threshold must be >= 0");
        if (tombstoneGrace.isNegative()) throw new IllegalArgumentException("tombstone grace must be >= 0");
        if (pendingBytesMax < 1024 || pendingBytesMax > PENDING_BYTES_MAX_LIMIT) {
            throw new IllegalArgumentException("pendingBytesMax must be 1 KiB..256 MiB: " + pendingBytesMax);
        }
        if (fsyncInterval.isNegative() || fsyncInterval.isZero()) throw new IllegalArgumentException("fsync interval must be > 0");
    }

    /** everysec, no force-recover, compaction at 64 MiB, 1 day tombstone grace, LZ4, 16 MiB pending, system clock. */
    public static OpLogOptions defaults() {
        return new OpLogOptions(FsyncPolicy.EVERYSEC, false, COMPACTION_THRESHOLD_DEFAULT, Compaction.TOMBSTONE_GRACE_DEFAULT,
                true, PENDING_BYTES_MAX_DEFAULT, Duration.ofSeconds(1), System::currentTimeMillis);
    }

    public OpLogOptions withFsync(FsyncPolicy value) {
        return new OpLogOptions(value, forceRecover, compactionThresholdBytes, tombstoneGrace, compress, pendingBytesMax, fsyncInterval, wallClockMillis);
    }

    public OpLogOptions withForceRecover(boolean value) {
        return new OpLogOptions(fsync, value, compactionThresholdBytes, tombstoneGrace, compress, pendingBytesMax, fsyncInterval, wallClockMillis);
    }

    public OpLogOptions withCompactionThresholdBytes(long value) {
        return new OpLogOptions(fsync, forceRecover, value, tombstoneGrace, compress, pendingBytesMax, fsyncInterval, wallClockMillis);
    }

    public OpLogOptions withTombstoneGrace(Duration value) {
        return new OpLogOptions(fsync, forceRecover, compactionThresholdBytes, value, compress, pendingBytesMax, fsyncInterval, wallClockMillis);
    }

    public OpLogOptions withCompress(boolean value) {
        return new OpLogOptions(fsync, forceRecover, compactionThresholdBytes, tombstoneGrace, value, pendingBytesMax, fsyncInterval, wallClockMillis);
    }

    public OpLogOptions withPendingBytesMax(int value) {
        return new OpLogOptions(fsync, forceRecover, compactionThresholdBytes, tombstoneGrace, compress, value, fsyncInterval, wallClockMillis);
    }

    public OpLogOptions withFsyncInterval(Duration value) {
        return new OpLogOptions(fsync, forceRecover, compactionThresholdBytes, tombstoneGrace, compress, pendingBytesMax, value, wallClockMillis);
    }

    public OpLogOptions withWallClock(LongSupplier value) {
        return new OpLogOptions(fsync, forceRecover, compactionThresholdBytes, tombstoneGrace, compress, pendingBytesMax, fsyncInterval, value);
    }
}
