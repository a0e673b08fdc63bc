package memdb.oplog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file {@code repair.state} in a data directory: the wall-clock time at which this node's last
 * complete anti-entropy round began. Compaction, online and offline, purges a tombstone only when it is
 * older than the grace AND older than this ({@link memdb.oplog.format.Compactor#purgeable}), so that a
 * delete is forgotten only once a repair has carried it to every replica of its range.
 *
 * <p>Invariants: written atomically (temp file, fsync, rename, fsync of the directory); a missing or
 * unreadable file reads as {@link #NONE}, which keeps every tombstone (the safe side).
 */
public final class RepairHorizon {
    public static final String FILE_NAME = "repair.state";
    /** No complete repair known: no tombstone may be purged. */
    public static final long NONE = Long.MIN_VALUE;
    private static final String HEADER = "memdb-repair-state 1 last-complete-round-started-ms ";
    private static final System.Logger LOG = System.getLogger(RepairHorizon.class.getName());

    private RepairHorizon() {}

    public static long read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) return NONE;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!text.startsWith(HEADER)) throw new IOException("not a repair state file");
            return Long.parseLong(text.substring(HEADER.length()).trim());
        } catch (IOException | NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, file + " is unreadable (" + e.getMessage() + "); keeping every tombstone");
            return NONE;
        }
    }

    /** Records that a complete round began at {@code startedWallMillis}; never moves the horizon back. */
    public static void write(Path dataDir, long startedWallMillis) {
        if (startedWallMillis <= read(dataDir)) return;
        Path file = dataDir.resolve(FILE_NAME);
        Path temporary = dataDir.resolve(FILE_NAME + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                LogDirectory.writeFully(channel, ByteBuffer.wrap((HEADER + startedWallMillis + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            LogDirectory.renameDurably(temporary, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
