package memdb.oplog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import memdb.oplog.LogDirectory.Segment;
import memdb.oplog.format.Frame;
import memdb.oplog.format.FrameScanner.Dropped;
import memdb.oplog.format.LogRecord;

/**
 * Replays a list of segment files, in order, into a sink, and sums up what it saw (docs/oplog.md,
 * "Recovery"). Used at boot, by compaction (online and offline) and by the dump.
 *
 * <p>Invariants: only the last file may end in a torn tail, and only when the caller says the list ends
 * with the live segment; with {@code repair}, a torn tail is cut off the file (truncate + fsync) so the
 * next append follows the last good record; without it, no file is changed.
 */
final class Replayer {
    private Replayer() {}

    static ReplayReport replay(List<Segment> files, boolean lastMayBeTorn, boolean forceRecover, boolean repair,
                               Consumer<LogRecord> sink) throws IOException {
        return replay(files, lastMayBeTorn, forceRecover, repair, Frame.Sink.of(sink));
    }

    /** As above, handing each record over in place (a {@link Frame}, valid during the call only). */
    static ReplayReport replay(List<Segment> files, boolean lastMayBeTorn, boolean forceRecover, boolean repair,
                               Frame.Sink sink) throws IOException {
        long[] high = new long[2]; // lamport, sequence
        long records = 0;
        long bytes = 0;
        ReplayReport.Damage torn = null;
        List<ReplayReport.Damage> dropped = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        Frame.Sink tracking = r -> {
            high[0] = Math.max(high[0], r.lamport());
            high[1] = Math.max(high[1], r.sequence());
            sink.accept(r);
        };
        for (int i = 0; i < files.size(); i++) {
            Segment segment = files.get(i);
            boolean mayBeTorn = lastMayBeTorn && i == files.size() - 1 && !segment.snapshot();
            SegmentReader.FileResult result = SegmentReader.read(segment.path(), mayBeTorn, forceRecover, tracking);
            high[0] = Math.max(high[0], result.header().lamportFloor());
            high[1] = Math.max(high[1], result.header().sequenceFloor());
            records += result.records();
            bytes += result.bytes();
            paths.add(segment.path());
            for (Dropped d : result.dropped()) dropped.add(damage(segment.path(), d));
            if (result.tornTail() != null) {
                torn = damage(segment.path(), result.tornTail());
                if (repair) truncate(segment.path(), result.tornTail().offset());
            }
        }
        return new ReplayReport(records, high[0], high[1], bytes, paths, torn, dropped);
    }

    private static ReplayReport.Damage damage(Path file, Dropped d) {
        return new ReplayReport.Damage(file, d.offset(), d.bytes(), d.reason());
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }
}
