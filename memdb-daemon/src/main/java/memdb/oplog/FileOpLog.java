package memdb.oplog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import memdb.oplog.format.Frame;
import memdb.oplog.format.LogRecord;
import memdb.oplog.format.SegmentHeader;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;

/**
 * The op log on disk: a directory of segment files (docs/oplog.md), written by one writer thread with
 * group commit, compacted in the background.
 *
 * <p>Lifecycle: {@link #open} locks the directory, deletes leftovers of crashed compactions, replays the
 * log into a sink (cutting a torn tail; rewriting the log if force-recover dropped damage), then appends to
 * the last log segment, whose tail replay just validated (a fresh one after a rewrite, when there is none or
 * when it is full: restarts do not pile up small segments), and starts the writer thread. {@link #close} drains, fsyncs, waits for a running compaction and
 * releases the lock. Invariants: one instance per directory (the lock); sequence numbers continue above
 * every one ever issued; {@code append}/{@code commit} come from one core thread; once the writer fails,
 * they throw and no callback runs again — the node must stop, never acknowledge a write it may not have.
 * Callbacks run on the core thread inside {@code commit} (EVERYSEC and NO, or nothing to wait for) or on
 * the writer thread (ALWAYS, commitFsynced): they must not block, and never call back into the log, which
 * could block the writer on itself.
 */
public final class FileOpLog implements OpLog {
    private final Path dir;
    private final OpLogOptions options;
    private final DirectoryLock lock;
    private final ReplayReport replayReport;
    private final CommitQueue queue;
    private final OnlineCompactor compactor;
    private final LogWriter writer;
    private final Thread writerThread;
    private boolean closed;
    /**
     * The wall time the records of the batch being appended carry: read at the first append after a commit or
     * an {@link #endBatch}, so once a batch and not once a record (the clock read was 1.5% of the core thread's
     * time under pipelined SETs, session 16). A record's age counts against the tombstone grace, the hints' expiry
     * and the repair horizon; a batch lasts microseconds to a few milliseconds.
     */
    private long batchWallMillis;
    private boolean batchWallMillisRead;

    private FileOpLog(Path dir, OpLogOptions options, DirectoryLock lock, ReplayReport replayReport, OnlineCompactor compactor,
                      LogWriter.Syncer syncer, FileChannel live, long liveGeneration) throws IOException {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.replayReport = replayReport;
        this.queue = new CommitQueue(replayReport.sequenceHigh(), options.pendingBytesMax(), options.fsync());
        this.compactor = compactor;
        compactor.afterEachRun(queue::wake);
        this.writer = new LogWriter(dir, queue, options, syncer, compactor, live, liveGeneration,
                replayReport.sequenceHigh(), replayReport.lamportHigh());
        this.writerThread = new Thread(writer, "memdb-oplog-writer " + dir.getFileName());
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /** Opens the log of {@code dataDir} (created if missing) and replays it into {@code store}. */
    public static FileOpLog open(Path dataDir, OpLogOptions options, Store store) throws IOException {
        return openFrames(dataDir, options, new StoreReplay(store));
    }

    /** Opens the log and replays every record, in log order, into {@code sink} (for stores beyond {@link Store}). */
    public static FileOpLog open(Path dataDir, OpLogOptions options, Consumer<LogRecord> sink) throws IOException {
        return open(dataDir, options, Frame.Sink.of(sink), LogWriter.Syncer.FORCE);
    }

    /**
     * Opens the log and replays every record, in log order, into {@code sink} in place (boot's fast path:
     * the sink copies what it keeps straight out of the read buffer; see {@link Frame}).
     */
    public static FileOpLog openFrames(Path dataDir, OpLogOptions options, Frame.Sink sink) throws IOException {
        return open(dataDir, options, sink, LogWriter.Syncer.FORCE);
    }

    /**
     * As above, on a directory whose lock the caller took ({@link DirectoryLock#acquire}; a node takes it, then
     * binds its ports, then replays): the log owns the lock from here, and releases it when it fails to open
     * or on {@link #close()}.
     */
    public static FileOpLog openFrames(Path dataDir, DirectoryLock lock, OpLogOptions options, Frame.Sink sink) throws IOException {
        return open(dataDir, lock, options, sink, LogWriter.Syncer.FORCE);
    }

    static FileOpLog open(Path dataDir, OpLogOptions options, Consumer<LogRecord> sink, LogWriter.Syncer syncer) throws IOException {
        return open(dataDir, options, Frame.Sink.of(sink), syncer);
    }

    private static FileOpLog open(Path dataDir, OpLogOptions options, Frame.Sink sink, LogWriter.Syncer syncer) throws IOException {
        Files.createDirectories(dataDir);
        return open(dataDir, DirectoryLock.acquire(dataDir), options, sink, syncer);
    }

    private static FileOpLog open(Path dataDir, DirectoryLock lock, OpLogOptions options, Frame.Sink sink, LogWriter.Syncer syncer)
            throws IOException {
        try {
            LogDirectory.Layout layout = LogDirectory.scan(dataDir);
            LogDirectory.deleteDurably(dataDir, layout.obsolete());
            ReplayReport report = Replayer.replay(layout.replayOrder(), true, options.forceRecover(), true, sink);
            long bytesSinceSnapshot = 0;
            long snapshotBytes;
            if (!report.dropped().isEmpty()) { // the rewrite folds every file into a new snapshot: no log left
                snapshotBytes = rewriteWithoutDamage(layout, options).bytesAfter();
            } else { // the files the scan found, as replay left them (a torn tail cut off)
                snapshotBytes = layout.snapshot() == null ? 0 : Files.size(layout.snapshot().path());
                for (LogDirectory.Segment s : layout.logs()) bytesSinceSnapshot += Files.size(s.path()) - SegmentHeader.BYTES;
            }
            // The live segment: the last log, whose tail replay just validated (docs/oplog.md §5, "Appending after
            // a boot"), unless a rewrite replaced it, it is full, or there is none; then a new one.
            LogDirectory.Segment last = layout.logs().isEmpty() ? null : layout.logs().get(layout.logs().size() - 1);
            boolean append = last != null && report.dropped().isEmpty() && Files.size(last.path()) < OpLogOptions.SEGMENT_BYTES_MAX;
            long liveGeneration = append ? last.generation() : layout.highestGeneration() + 1;
            FileChannel live = append ? LogDirectory.openForAppend(last.path())
                    : LogDirectory.createLogSegment(dataDir, new SegmentHeader(0, liveGeneration,
                            options.wallClockMillis().getAsLong(), report.sequenceHigh(), report.lamportHigh()));
            OnlineCompactor compactor = new OnlineCompactor(dataDir, options, bytesSinceSnapshot, snapshotBytes);
            return new FileOpLog(dataDir, options, lock, report, compactor, syncer, live, liveGeneration);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * A guess of how many entries replaying {@code dataDir} yields, for sizing the store before replay (no
     * table growth and rehashing while it fills): the bytes of the files replay reads over the frame of a
     * 16-byte key and a 100-byte value. Overwrites, smaller values and compression make it wrong both
     * ways; a store trims an over-guessed table after replay ({@link Store#trim}). 0 when there is no log.
     */
    public static int estimatedEntries(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) return 0;
        long bytes = 0;
        for (LogDirectory.Segment s : LogDirectory.scan(dataDir).replayOrder()) bytes += Files.size(s.path()) - SegmentHeader.BYTES;
        return (int) Math.min(ESTIMATED_ENTRIES_MAX, Math.max(0, bytes) / memdb.oplog.format.RecordCodec.frameBytes(16, 100));
    }

    /** Beyond this many, the store grows as replay fills it rather than reserve a table up front. */
    private static final int ESTIMATED_ENTRIES_MAX = 1 << 26;

    /** After a force-recover replay: a snapshot of the good records replaces the damaged files; says what it wrote. */
    private static CompactionReport rewriteWithoutDamage(LogDirectory.Layout layout, OpLogOptions options) throws IOException {
        CompactionJob.Settings settings = new CompactionJob.Settings(options.compress(), -1,
                options.wallClockMillis().getAsLong(), true, false, RepairHorizon.NONE);
        return CompactionJob.run(layout, layout.highestGeneration(), layout.dir(), settings);
    }

    @Override
    public long append(Op op, Key key, Timestamp timestamp, byte[] value) {
        if (!batchWallMillisRead) {
            batchWallMillis = options.wallClockMillis().getAsLong();
            batchWallMillisRead = true;
        }
        return queue.append(op, key, timestamp, value, batchWallMillis);
    }

    @Override
    public void endBatch() {
        batchWallMillisRead = false;
    }

    @Override
    public void commit(Runnable afterDurable) {
        commit(afterDurable, false);
    }

    @Override
    public void commitFsynced(Runnable afterFsynced) {
        commit(afterFsynced, true);
    }

    /**
     * Under EVERYSEC and NO the core thread writes the batch's records to the OS itself and runs the callback
     * at once (no hand-off to the writer and back) — except while an fsync runs, when the writer writes them
     * and runs it ({@link LogWriter#syncing}); under ALWAYS, and for commitFsynced, the writer's group
     * commit runs it after the fsync — unless there is nothing to wait for (no record appended since the
     * last fsync, no earlier callback still waiting), then it runs at once. Under EVERYSEC and NO, records the
     * writer took before this commit and has not yet written are waited for (a write: microseconds), or, while an
     * fsync runs (a write may then stall behind it), left to the writer with the callback.
     */
    private void commit(Runnable callback, boolean fsync) {
        if (callback == null) throw new NullPointerException("afterDurable");
        batchWallMillisRead = false; // the next batch reads the clock again
        CommitQueue.Route route = queue.route(fsync);
        boolean waitsForAWrite = route == CommitQueue.Route.WRITE_HERE || route == CommitQueue.Route.AFTER_WRITERS_WRITE;
        if (waitsForAWrite && writer.syncing()) route = CommitQueue.Route.WRITER;
        switch (route) {
            case NOW -> LogWriter.runCallback(callback);
            case WRITE_HERE -> {
                writer.writeFromCore();
                LogWriter.runCallback(callback);
            }
            case AFTER_WRITERS_WRITE -> {
                queue.awaitRecordsWritten();
                LogWriter.runCallback(callback);
            }
            case WRITER -> queue.commit(callback, fsync); // after the writer's next write, so after any it is doing
        }
    }

    @Override
    public void reconfigure(FsyncPolicy fsync, long compactionThresholdBytes, java.time.Duration tombstoneGrace) {
        if (compactionThresholdBytes < 0 || tombstoneGrace.isNegative()) {
            throw new IllegalArgumentException("compaction threshold and tombstone grace must be >= 0");
        }
        compactor.reconfigure(compactionThresholdBytes, tombstoneGrace);
        queue.setFsync(fsync); // also wakes the writer, which then checks whether a compaction is now due
    }

    /** The fsync policy that governs the next commit. */
    public FsyncPolicy fsyncPolicy() {
        return queue.fsync();
    }

    /** What replay found at open: records, where the clock and the numbering continue, torn tail, drops. */
    public ReplayReport replayReport() {
        return replayReport;
    }

    /** The sequence number of the last record appended. */
    public long lastSequence() {
        return queue.lastSequence();
    }

    /** fsyncs done by the writer so far (group commit makes this far smaller than the commits). */
    public long fsyncCount() {
        return writer.fsyncCount();
    }

    /** The log written since the snapshot at which the next background compaction starts (see {@link OnlineCompactor}). */
    long nextCompactionAtBytes() {
        return compactor.nextCompactionAtBytes();
    }

    /** Seals the live segment and compacts everything before it in the background, now. */
    public CompletableFuture<CompactionReport> compactNow() {
        CompletableFuture<CompactionReport> done = compactor.request();
        queue.wake();
        return done;
    }

    public Path directory() {
        return dir;
    }

    /** Writes and fsyncs everything appended, runs the waiting callbacks, waits for compaction, unlocks. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        queue.close();
        try {
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        compactor.close();
        try {
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Throwable failure = queue.failure();
        if (failure != null) throw new IllegalStateException("op log failed before close", failure);
    }
}
