package memdb.oplog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Offline compaction of a stopped node's data directory ({@code memdb log-compact}).
 *
 * <p>Invariants: refuses with {@link LogLockedException} while anyone holds the directory's lock, and
 * holds the lock itself while it works, so a server cannot start on a half-compacted directory (which would
 * be safe anyway, see {@link CompactionJob}); a dry run writes and deletes nothing; with an output
 * directory the input is left untouched and the output must hold no log yet. Tombstones follow the node's
 * rule: purged only past the grace and before the last complete repair recorded in the directory's
 * {@code repair.state} ({@link RepairHorizon}); without that file every tombstone is kept.
 */
public final class Compaction {
    public static final Duration TOMBSTONE_GRACE_DEFAULT = Duration.ofDays(1);

    private Compaction() {}

    /** With the default tombstone grace (1 day) and the system clock. */
    public static CompactionReport offline(Path dir, Path outputOrNull, boolean compress, boolean dryRun) throws IOException {
        return offline(dir, outputOrNull, compress, dryRun, TOMBSTONE_GRACE_DEFAULT, System::currentTimeMillis);
    }

    @SuppressWarnings("try") // the locks are held for the body's duration, never referenced
    public static CompactionReport offline(Path dir, Path outputOrNull, boolean compress, boolean dryRun,
                                           Duration tombstoneGrace, LongSupplier nowMillis) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("not a data directory: " + dir);
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            LogDirectory.Layout layout = LogDirectory.scan(dir);
            CompactionJob.Settings settings = new CompactionJob.Settings(compress, tombstoneGrace.toMillis(),
                    nowMillis.getAsLong(), false, dryRun, RepairHorizon.read(dir));
            boolean inPlace = outputOrNull == null
                    || outputOrNull.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
            if (inPlace || dryRun) {
                if (inPlace && !dryRun) LogDirectory.deleteDurably(dir, layout.obsolete());
                return CompactionJob.run(layout, layout.highestGeneration(), inPlace ? dir : outputOrNull, settings);
            }
            Files.createDirectories(outputOrNull);
            try (DirectoryLock outputLock = DirectoryLock.acquire(outputOrNull)) {
                if (!LogDirectory.scan(outputOrNull).replayOrder().isEmpty()) {
                    throw new IOException("output directory " + outputOrNull + " already holds a log");
                }
                return CompactionJob.run(layout, layout.highestGeneration(), outputOrNull, settings);
            }
        }
    }
}
