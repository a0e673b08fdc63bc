package memdb.oplog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import memdb.store.Store;
import memdb.store.Versioned;

/** Small helpers for op-log tests: quiet options, replay into a fresh store, directory listings. */
final class Logs {
    private Logs() {}

    static OpLogOptions options() {
        return OpLogOptions.defaults().withFsync(FsyncPolicy.NO).withCompactionThresholdBytes(0).withWallClock(() -> 5_000_000_000L);
    }

    static OpLogOptions keepTombstones() {
        return options().withTombstoneGrace(Duration.ofDays(100_000));
    }

    /** Writes a history into {@code dir} through a FileOpLog and closes it. */
    static void write(Path dir, History history, OpLogOptions options) throws IOException {
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            history.writeTo(log);
        }
    }

    /**
     * Ends the last log segment as a run that sealed it leaves it (the writer seals at 1 GiB and for each
     * compaction): a new, empty segment follows it, so the next open appends there rather than to the last one.
     */
    static void sealLastSegment(Path dir) throws IOException {
        LogDirectory.Layout layout = LogDirectory.scan(dir);
        ReplayReport report = Replayer.replay(layout.replayOrder(), true, false, false, (java.util.function.Consumer<memdb.oplog.format.LogRecord>) r -> {});
        LogDirectory.createLogSegment(dir, new memdb.oplog.format.SegmentHeader(0, layout.highestGeneration() + 1, 0,
                report.sequenceHigh(), report.lamportHigh())).close();
    }

    record Replayed(Map<String, Versioned> state, ReplayReport report) {}

    static Replayed replay(Path dir, OpLogOptions options) throws IOException {
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, options, store)) {
            return new Replayed(History.contents(store), log.replayReport());
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Path onlyLog(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().startsWith("log-")).sorted().toList();
            return logs.get(0);
        }
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, to.resolve(f.getFileName()));
        }
    }
}
