package memdb.oplog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import memdb.oplog.format.SegmentHeader;

/**
 * The files of a data directory and the rule that picks which ones hold the log (docs/oplog.md,
 * "Directory layout").
 *
 * <p>Rule: let S be the highest generation of any {@code snapshot-G.seg}. The log is snapshot-S followed
 * by every {@code log-G.seg} with G > S, in ascending G. Everything else ({@code *.tmp}, older snapshots,
 * logs with G <= S) is obsolete: left over by a compaction that crashed before cleaning up, never read.
 * Invariants: a file is only ever created under a {@code .tmp} name and renamed into place after an fsync,
 * so a {@code .seg} file always has a complete header; snapshot-S holds everything of the files it made
 * obsolete, so deleting them in any order and at any moment changes nothing.
 */
final class LogDirectory {
    static final String LOCK_FILE = "LOCK";
    private static final Pattern SEGMENT = Pattern.compile("(log|snapshot)-(\\d{20})\\.seg");

    private LogDirectory() {}

    /** One segment file of the directory. */
    record Segment(Path path, long generation, boolean snapshot) {}

    /** What {@link #scan} found: the snapshot (or null), the live logs in order, and the obsolete files. */
    record Layout(Path dir, Segment snapshot, List<Segment> logs, List<Path> obsolete) {
        /** Files to replay, snapshot first. */
        List<Segment> replayOrder() {
            List<Segment> order = new ArrayList<>();
            if (snapshot != null) order.add(snapshot);
            order.addAll(logs);
            return order;
        }

        /** The highest generation in use, or 0 for an empty directory. */
        long highestGeneration() {
            if (!logs.isEmpty()) return logs.get(logs.size() - 1).generation();
            return snapshot == null ? 0 : snapshot.generation();
        }
    }

    static Path logPath(Path dir, long generation) {
        return dir.resolve(String.format("log-%020d.seg", generation));
    }

    static Path snapshotPath(Path dir, long generation) {
        return dir.resolve(String.format("snapshot-%020d.seg", generation));
    }

    static Path tmpPath(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    static Layout scan(Path dir) throws IOException {
        List<Segment> snapshots = new ArrayList<>();
        List<Segment> logs = new ArrayList<>();
        List<Path> obsolete = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                Matcher m = SEGMENT.matcher(name);
                if (m.matches() && m.group(2).compareTo("09223372036854775807") <= 0) {
                    boolean snapshot = m.group(1).equals("snapshot");
                    (snapshot ? snapshots : logs).add(new Segment(file, Long.parseLong(m.group(2)), snapshot));
                } else if (name.endsWith(".tmp")) {
                    obsolete.add(file);
                }
            }
        }
        Segment newestSnapshot = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
        long covered = newestSnapshot == null ? -1 : newestSnapshot.generation();
        List<Segment> live = new ArrayList<>();
        for (Segment s : snapshots) {
            if (s != newestSnapshot) obsolete.add(s.path());
        }
        for (Segment s : logs) {
            if (s.generation() > covered) live.add(s);
            else obsolete.add(s.path());
        }
        return new Layout(dir, newestSnapshot, live, obsolete);
    }

    /** Creates an empty log segment: header written to a temp file, fsynced, renamed, directory fsynced. */
    static FileChannel createLogSegment(Path dir, SegmentHeader header) throws IOException {
        Path target = logPath(dir, header.generation());
        Path tmp = tmpPath(target);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(header.encode()));
            channel.force(true);
        }
        renameDurably(tmp, target);
        FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE);
        channel.position(channel.size());
        return channel;
    }

    /**
     * Opens an existing log segment to append to, at its end, after an fsync: what it holds (replayed, so valid
     * to its end) is on disk before any new record follows it, so a crash can only ever cut the new records.
     */
    static FileChannel openForAppend(Path segment) throws IOException {
        FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE);
        try {
            channel.force(true);
            channel.position(channel.size());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /** Atomic rename followed by an fsync of the directory, so the rename survives a crash. */
    static void renameDurably(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(to.getParent());
    }

    /** Deletes files and fsyncs the directory once. */
    static void deleteDurably(Path dir, List<Path> files) throws IOException {
        if (files.isEmpty()) return;
        for (Path f : files) Files.deleteIfExists(f);
        fsyncDirectory(dir);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
