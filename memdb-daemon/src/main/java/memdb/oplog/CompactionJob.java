package memdb.oplog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import memdb.oplog.LogDirectory.Layout;
import memdb.oplog.LogDirectory.Segment;
import memdb.oplog.format.Compactor;
import memdb.oplog.format.Frame;
import memdb.oplog.format.LogRecord;
import memdb.oplog.format.SegmentHeader;

/**
 * One compaction, online or offline: reads the snapshot and the logs up to a generation, keeps the newest
 * record per key, writes {@code snapshot-<generation>.seg} and then deletes what it replaced.
 *
 * <p>Crash safety (docs/oplog.md, "Compaction swap"): the steps are (1) write {@code .tmp}, (2) fsync it,
 * (3) rename it to {@code snapshot-G.seg}, (4) fsync the directory, (5) delete the replaced files,
 * (6) fsync the directory. Before (3) the directory rule ignores the temp file; from (3) on it reads the
 * new snapshot and ignores every replaced file, whether deleted yet or not. Both read the same state.
 * Invariant: only files with generation <= G (and its own temp file) are touched, so the live segment and
 * any newer file are never at risk.
 */
final class CompactionJob {
    private CompactionJob() {}

    /**
     * How to compact. A negative grace keeps every tombstone; so does a {@code repairedSinceMillis} of
     * {@link RepairHorizon#NONE} (see {@link memdb.oplog.format.Compactor#purgeable}).
     */
    record Settings(boolean compress, long tombstoneGraceMillis, long nowMillis, boolean forceRecover, boolean dryRun,
                    long repairedSinceMillis) {
        /** Without a known complete repair: tombstones are kept. */
        Settings(boolean compress, long tombstoneGraceMillis, long nowMillis, boolean forceRecover, boolean dryRun) {
            this(compress, tombstoneGraceMillis, nowMillis, forceRecover, dryRun, RepairHorizon.NONE);
        }
    }

    static CompactionReport run(Layout layout, long upTo, Path targetDir, Settings settings) throws IOException {
        return run(layout, upTo, targetDir, settings, Pacer.none());
    }

    /** As above, stepping {@code pacer} once per record read and once per record written (see {@link Pacer}). */
    static CompactionReport run(Layout layout, long upTo, Path targetDir, Settings settings, Pacer pacer) throws IOException {
        List<Segment> inputs = new ArrayList<>();
        for (Segment s : layout.replayOrder()) {
            if (s.generation() <= upTo) inputs.add(s);
        }
        if (inputs.isEmpty()) {
            ReplayReport none = new ReplayReport(0, 0, 0, 0, List.of(), null, List.of());
            return new CompactionReport(0, 0, 0, 0, settings.dryRun(), null, List.of(), none);
        }
        boolean includesLast = !layout.logs().isEmpty() && inputs.contains(layout.logs().get(layout.logs().size() - 1));
        Compactor compactor = new Compactor();
        Frame.Sink inPlace = frame -> { // records read where they lie: an overwrite allocates nothing
            compactor.add(frame);
            pacer.step();
        };
        ReplayReport read = Replayer.replay(inputs, includesLast, settings.forceRecover(), false, inPlace);
        compactor.observeFloors(read.sequenceHigh(), read.lamportHigh());
        List<LogRecord> kept = compactor.result(settings.nowMillis(), settings.tombstoneGraceMillis(),
                settings.repairedSinceMillis());
        int flags = SegmentHeader.FLAG_BLOCKS | (settings.compress() ? SegmentHeader.FLAG_LZ4 : 0);
        SegmentHeader header = new SegmentHeader(flags, upTo, settings.nowMillis(), compactor.sequenceFloor(), compactor.lamportFloor());
        Path target = LogDirectory.snapshotPath(targetDir, upTo);
        List<Path> replaced = new ArrayList<>(read.files());
        replaced.remove(target);
        long bytesAfter;
        if (settings.dryRun()) {
            bytesAfter = SnapshotWriter.measure(header, kept);
        } else {
            bytesAfter = SnapshotWriter.write(target, header, kept, pacer);
            if (targetDir.equals(layout.dir())) LogDirectory.deleteDurably(layout.dir(), replaced);
        }
        return new CompactionReport(read.recordsReplayed(), read.bytesRead(), kept.size(), bytesAfter, settings.dryRun(),
                target, replaced, read);
    }
}
