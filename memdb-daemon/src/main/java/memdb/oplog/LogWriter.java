package memdb.oplog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import memdb.oplog.format.SegmentHeader;

/**
 * The writer thread of a {@link FileOpLog}: takes batches from the {@link CommitQueue}, writes them to the
 * live segment, fsyncs as the {@link FsyncPolicy} says, then runs the batch's commit callbacks. Also
 * seals the live segment (fsync, then a fresh segment) when it is full or a compaction is due, and runs
 * EVERYSEC's background fsync. Under EVERYSEC and NO the core thread writes its own commits
 * ({@link #writeFromCore}); one I/O lock keeps every write, the seal and the close in file order.
 *
 * <p>Invariants: callbacks of a batch run only after the batch is written (and, under ALWAYS — the policy
 * the {@link CommitQueue} had when the callback was committed — or when a callback came from {@code commitFsynced}, fsynced — together with everything written before it):
 * one fsync serves the whole batch (group commit); a sealed segment is fsynced before its successor
 * exists, so only the newest segment can ever end torn; an I/O error stops the log for good (no retry of
 * a failed fsync, whose outcome is unknown) and no callback runs after it.
 */
final class LogWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger(LogWriter.class.getName());

    /** How a channel is made durable; replaced in tests to count or delay fsyncs. */
    interface Syncer {
        Syncer FORCE = channel -> channel.force(false);

        void sync(FileChannel channel) throws IOException;
    }

    private final Path dir;
    private final CommitQueue queue;
    private final OpLogOptions options;
    private final Syncer syncer;
    private final OnlineCompactor compactor;
    private final AtomicLong fsyncs = new AtomicLong();
    /** An fsync of the live segment is running (writer thread); read by the core thread to route its commits. */
    private volatile boolean syncing;
    private FileChannel channel;
    private long generation;
    private long segmentBytes;
    private long sequenceWritten;
    private long lamportWritten;
    /** Guards the channel and what is written to it: the writer thread's writes and seals, the core thread's writes. */
    private final ReentrantLock io = new ReentrantLock();
    private boolean dirty;
    private boolean channelClosed;
    private long lastSyncNanos = System.nanoTime();

    LogWriter(Path dir, CommitQueue queue, OpLogOptions options, Syncer syncer, OnlineCompactor compactor,
              FileChannel channel, long generation, long sequenceHigh, long lamportHigh) throws IOException {
        this.dir = dir;
        this.queue = queue;
        this.options = options;
        this.syncer = syncer;
        this.compactor = compactor;
        this.channel = channel;
        this.generation = generation;
        this.segmentBytes = channel.size();
        this.sequenceWritten = sequenceHigh;
        this.lamportWritten = lamportHigh;
    }

    long fsyncCount() {
        return fsyncs.get();
    }

    /**
     * Whether an fsync is running now. The core thread then leaves its records to this thread rather than
     * write them itself (Redis's everysec does the same): a write() to a file being fsynced may wait for the
     * fsync (the disk's stable pages, the file's lock), up to tens of milliseconds here, and the core thread
     * must not stall every connection for it; the batch's replies wait for the write instead, as they would.
     */
    boolean syncing() {
        return syncing;
    }

    @Override
    public void run() {
        try {
            while (true) {
                queue.awaitWork(queue.fsync() == FsyncPolicy.EVERYSEC ? options.fsyncInterval().toMillis() : 0);
                if (queue.failure() != null) { // the core thread's own write failed: nothing more is written
                    closeQuietly();
                    return;
                }
                CommitQueue.Batch batch;
                io.lock();
                try {
                    batch = queue.take();
                    write(batch.records());
                } finally {
                    io.unlock();
                }
                if (batch.fsyncRequired() || batch.fsync() == FsyncPolicy.ALWAYS
                        || (batch.fsync() == FsyncPolicy.EVERYSEC && intervalPassed())) {
                    sync();
                }
                queue.recycle(batch.records());
                batch.callbacks().forEach(LogWriter::runCallback);
                queue.callbacksRan(batch.callbacks().size());
                if (batch.closing()) break;
                if (segmentBytes() >= OpLogOptions.SEGMENT_BYTES_MAX) seal();
                if (compactor.wanted()) compactor.start(this::seal);
            }
            io.lock();
            try {
                sync(); // a clean close leaves everything on disk, whatever the policy
                channel.close();
                channelClosed = true;
            } finally {
                io.unlock();
            }
        } catch (Exception | Error e) { // whatever it is, the core thread must learn that nothing is durable any more
            LOG.log(System.Logger.Level.ERROR, "op-log writer failed; no further write will be acknowledged", e);
            queue.fail(e);
            closeQuietly();
        }
    }

    /**
     * The core thread's own commit under EVERYSEC or NO: writes the pending records to the OS now, in file
     * order with the writer's writes (one I/O lock), so that the caller may run the commit's callback at
     * once. Wakes the writer when the segment is full or a compaction is due. An I/O error fails the log for
     * good, as on the writer thread, and is thrown.
     */
    void writeFromCore() {
        boolean wake;
        io.lock();
        try {
            if (channelClosed) throw new IllegalStateException("op log closed");
            RecordBuffer records = queue.takeRecords();
            try {
                write(records);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "op-log write failed; no further write will be acknowledged", e);
                queue.fail(e);
                throw new IllegalStateException("op log failed; the node must stop: " + e, e);
            }
            queue.recycle(records);
            wake = segmentBytes >= OpLogOptions.SEGMENT_BYTES_MAX;
        } finally {
            io.unlock();
        }
        if (wake || compactor.wanted()) queue.wake();
    }

    /** Called with the I/O lock held. */
    private void write(RecordBuffer records) throws IOException {
        if (records.size() == 0) return;
        LogDirectory.writeFully(channel, records.view());
        segmentBytes += records.size();
        compactor.wrote(records.size());
        sequenceWritten = Math.max(sequenceWritten, records.sequenceHigh());
        lamportWritten = Math.max(lamportWritten, records.lamportHigh());
        dirty = true;
    }

    private long segmentBytes() {
        io.lock();
        try {
            return segmentBytes;
        } finally {
            io.unlock();
        }
    }

    private boolean intervalPassed() {
        return System.nanoTime() - lastSyncNanos >= options.fsyncInterval().toNanos();
    }

    /**
     * fsyncs what was written (writer thread only: only it replaces the channel). Not under the I/O lock
     * unless the caller holds it: the core thread may write meanwhile; what it writes after the dirty flag
     * is cleared sets it again and waits for the next fsync.
     */
    private void sync() throws IOException {
        lastSyncNanos = System.nanoTime();
        long upTo;
        io.lock();
        try {
            if (!dirty) return;
            dirty = false;
            upTo = sequenceWritten;
        } finally {
            io.unlock();
        }
        syncing = true;
        try {
            syncer.sync(channel);
        } finally {
            syncing = false;
        }
        fsyncs.incrementAndGet();
        queue.synced(upTo);
    }

    /**
     * Fsyncs and closes the live segment, starts the next one; returns the sealed generation and the log bytes
     * since the snapshot up to its end (read under the I/O lock, before anything follows). Takes the I/O
     * lock, which the core thread's own writes wait for (EVERYSEC, NO), so the bulk of the segment is fsynced
     * first without it: under the lock, only what the core wrote meanwhile is left to fsync (a seal used to
     * hold the core for an fsync of everything written since the last one, up to a second of writes).
     */
    private OnlineCompactor.Sealed seal() throws IOException {
        sync();
        io.lock();
        try {
            dirty = true; // a sealed segment is always fsynced, under every policy
            sync();
            channel.close();
            OnlineCompactor.Sealed sealed = new OnlineCompactor.Sealed(generation, compactor.bytesSinceSnapshot());
            generation++;
            SegmentHeader header = new SegmentHeader(0, generation, options.wallClockMillis().getAsLong(), sequenceWritten, lamportWritten);
            channel = LogDirectory.createLogSegment(dir, header);
            segmentBytes = channel.size();
            return sealed;
        } finally {
            io.unlock();
        }
    }

    /** Runs a commit callback; one that throws is logged, not the log's failure. */
    static void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "op-log commit callback threw", e);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one reported
        }
    }
}
