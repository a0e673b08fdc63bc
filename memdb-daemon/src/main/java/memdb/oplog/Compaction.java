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
 * directory the input is left untouched and the output must hold no log yet.
 */
public final class Compaction {
    public static final Duration TOMBSTONE_GRACE_DEFAULT = Duration.ofDays(1);

    private Compaction() {}

    /** With the default tombstone grace (1 day) and the system clock. */
    public static CompactionReport offline(Path dir, Path outputOrNull, boolean compress, boolean dryRun) throws IOException {
        return offline(dir, outputOrNull, compress, dryRun, TOMBSTONE_GRACE_DEFAULT, System::currentTimeMillis);
    }

    public static CompactionReport offline(Path dir, Path outputOrNull, boolean compress, boolean dryRun,
                                           Duration tombstoneGrace, LongSupplier nowMillis) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("not a data directory: " + dir);
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            LogDirectory.Layout layout = LogDirectory.scan(dir);
            boolean inPlace = outputOrNull == null || outputOrNull.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
            Path target = inPlace ? dir : outputOrNull;
            CompactionJob.Settings settings = new CompactionJob.Settings(compress, tombstoneGrace.toMillis(),
                    nowMillis.getAsLong(), false, dryRun);
            if (inPlace) {
                if (!dryRun) LogDirectory.deleteDurably(dir, layout.obsolete());
                return CompactionJob.run(layout, layout.highestGeneration(), dir, settings);
            }
            if (!dryRun) Files.createDirectories(target);
            if (Files.isDirectory(target) && !LogDirectory.scan(target).replayOrder().isEmpty()) {
                throw new IOException("output directory " + target + " already holds a log");
            }
            if (dryRun) return CompactionJob.run(layout, layout.highestGeneration(), target, settings);
            try (DirectoryLock outputLock = DirectoryLock.acquire(target)) {
                return CompactionJob.run(layout, layout.highestGeneration(), target, settings);
            }
        }
    }
}
