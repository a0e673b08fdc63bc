package memdb.oplog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import memdb.oplog.format.SegmentHeader;

/**
 * The writer thread of a {@link FileOpLog}: takes batches from the {@link CommitQueue}, writes them to the
 * live segment, fsyncs as the {@link FsyncPolicy} says, then runs the batch's commit callbacks. Also
 * seals the live segment (fsync, then a fresh segment) when it is full or a compaction is due. Under
 * EVERYSEC and NO the core thread writes its own commits ({@link #writeFromCore}); one I/O lock keeps every
 * write, the seal and the close in file order. Under that lock the writer takes a batch, writes it and says so
 * ({@link CommitQueue#recordsWritten}: a commit may be waiting for records it took), or fails the queue. While
 * idle it wakes every fsync interval under every policy, so records no commit followed still reach the OS.
 *
 * <p>Background fsync: EVERYSEC's fsync, and the bulk of a seal's, run on a thread of their own
 * ({@code memdb-oplog-fsync}, Redis's bio thread), so that this thread goes on writing while the disk
 * flushes: a commit made meanwhile is left to this thread ({@link #syncing}), which writes it and runs its
 * callback at once rather than after the fsync (session 9: a seal's fsync of a 64 MiB segment took
 * 150-190 ms here, and every commit made during it waited that long). A seal takes the I/O lock only once
 * at most {@link #SEAL_UNSYNCED_BYTES_MAX} is left unsynced, so the fsync under the lock is short.
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
    /**
     * A seal fsyncs under the I/O lock (where the core thread's writes wait) only once no more than this is
     * left unsynced in the segment; before that, it fsyncs in the background, up to {@link #SEAL_BACKGROUND_ROUNDS} times.
     */
    static final long SEAL_UNSYNCED_BYTES_MAX = 1 << 20;
    /** A disk slower than the writes would never get below the limit above: after this many rounds the seal goes ahead. */
    static final int SEAL_BACKGROUND_ROUNDS = 3;

    private final AtomicLong fsyncs = new AtomicLong();
    /** fsyncs of the live segment running (this thread's or the background one); read by the core thread to route its commits. */
    private final AtomicInteger fsyncsRunning = new AtomicInteger();
    /** Runs the background fsyncs, one at a time. */
    private final ExecutorService background;
    /** The last background fsync started (this thread's only); done once it is no longer running. */
    private Future<?> backgroundSync;
    private volatile boolean backgroundSyncing;
    /** This thread works towards a seal (background fsyncs first); read by the core thread, which then does not wake it for one. */
    private volatile boolean sealing;
    private int sealRounds;
    private FileChannel channel;
    private long generation;
    private long segmentBytes;
    private long sequenceWritten;
    private long lamportWritten;
    /** Guards the channel and what is written to it: the writer thread's writes and seals, the core thread's writes. */
    private final ReentrantLock io = new ReentrantLock();
    private boolean dirty;
    /** The live segment's size when its last fsync began (under the I/O lock): what is beyond it may be unsynced. */
    private long syncStartedAtBytes;
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
        this.syncStartedAtBytes = segmentBytes; // a live segment is fsynced when it is created or opened for appending
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memdb-oplog-fsync " + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.sequenceWritten = sequenceHigh;
        this.lamportWritten = lamportHigh;
    }

    long fsyncCount() {
        return fsyncs.get();
    }

    /**
     * Whether an fsync is running now. The core thread then leaves its records to this thread rather than
     * write them itself: a write() to a file being fsynced may wait for the fsync (the disk's stable pages,
     * the journal), up to tens of milliseconds here, and the core thread must not stall every connection for
     * it; only the batch's replies wait for that write. During a background fsync this thread writes the batch
     * at once; during its own (ALWAYS, a commitFsynced, the short one under a seal's lock), after it.
     */
    boolean syncing() {
        return fsyncsRunning.get() > 0;
    }

    @Override
    public void run() {
        try {
            while (true) {
                // Wakes every interval under every policy: records appended by a batch that commits nothing
                // (a repair that answers nobody) reach the OS within it, not at the next commit.
                queue.awaitWork(Math.max(1, options.fsyncInterval().toMillis())); // 0 would wait forever
                if (queue.failure() != null) { // the core thread's own write, or a background fsync, failed: nothing more is written
                    stopAfterFailure();
                    return;
                }
                CommitQueue.Batch batch;
                io.lock();
                try {
                    batch = queue.take();
                    try {
                        write(batch.records());
                    } catch (IOException | RuntimeException | Error e) {
                        queue.fail(e); // before the lock is released: no commit may take these records as written
                        throw e;
                    }
                    queue.recordsWritten();
                } finally {
                    io.unlock();
                }
                if (batch.fsyncRequired() || batch.fsync() == FsyncPolicy.ALWAYS) {
                    sync();
                } else if (batch.fsync() == FsyncPolicy.EVERYSEC && intervalPassed()) {
                    startBackgroundSync();
                }
                queue.recycle(batch.records());
                if (queue.failure() != null) { // a background fsync failed meanwhile: no callback runs after that
                    stopAfterFailure();
                    return;
                }
                batch.callbacks().forEach(LogWriter::runCallback);
                queue.callbacksRan(batch.callbacks().size());
                if (batch.closing()) break;
                if (!sealing && (segmentFull() || compactor.wanted())) {
                    sealing = true;
                    sealRounds = 0;
                }
                if (sealing) advanceSeal();
            }
            awaitBackgroundSync();
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
            stopAfterFailure();
        } finally {
            background.shutdown();
        }
    }

    /**
     * One step towards the seal this thread is working on: while a background fsync runs, nothing (its end
     * wakes this thread); while more than {@link #SEAL_UNSYNCED_BYTES_MAX} is unsynced, another background
     * fsync; then the seal itself, under the I/O lock — through the compactor when a compaction is due.
     */
    private void advanceSeal() throws IOException {
        if (backgroundSyncing) return;
        if (sealRounds < SEAL_BACKGROUND_ROUNDS && unsyncedBytes() > SEAL_UNSYNCED_BYTES_MAX) {
            sealRounds++;
            startBackgroundSync();
            return;
        }
        sealing = false;
        if (compactor.wanted()) compactor.start(this::seal);
        else if (segmentFull()) seal();
    }

    /** Starts an fsync of what was written on the background thread, unless one runs or nothing is unsynced. */
    private void startBackgroundSync() {
        if (backgroundSyncing) return;
        long upTo = beginSync();
        if (upTo < 0) return;
        FileChannel target = channel; // replaced by this thread only, after this fsync ends (seal, close)
        lastSyncNanos = System.nanoTime();
        backgroundSyncing = true;
        fsyncsRunning.incrementAndGet();
        backgroundSync = background.submit(() -> {
            try {
                syncer.sync(target);
                fsyncs.incrementAndGet();
                queue.synced(upTo);
            } catch (IOException | RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "op-log fsync failed; no further write will be acknowledged", e);
                queue.fail(e);
            } finally {
                fsyncsRunning.decrementAndGet();
                backgroundSyncing = false;
                queue.wake(); // a seal waiting for it goes on
            }
        });
    }

    /**
     * Under the I/O lock: what is written so far is about to be fsynced (what is written after sets the dirty flag
     * again). Returns the highest sequence that fsync covers, or -1 when nothing is unsynced.
     */
    private long beginSync() {
        io.lock();
        try {
            if (!dirty) return -1;
            dirty = false;
            syncStartedAtBytes = segmentBytes;
            return sequenceWritten;
        } finally {
            io.unlock();
        }
    }

    /** Waits for the background fsync to end (its failure, if any, is the queue's): before the channel closes. */
    private void awaitBackgroundSync() {
        if (backgroundSync == null) return;
        try {
            backgroundSync.get();
        } catch (ExecutionException ignored) {
            // reported by the task itself, through the queue
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean segmentFull() {
        return segmentBytes() >= OpLogOptions.SEGMENT_BYTES_MAX;
    }

    private long unsyncedBytes() {
        io.lock();
        try {
            return dirty ? segmentBytes - syncStartedAtBytes : 0;
        } finally {
            io.unlock();
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
            } catch (IOException | RuntimeException | Error e) { // failed before the lock is released, as on the writer
                LOG.log(System.Logger.Level.ERROR, "op-log write failed; no further write will be acknowledged", e);
                queue.fail(e);
                throw new IllegalStateException("op log failed; the node must stop: " + e, e);
            }
            queue.recycle(records);
            wake = segmentBytes >= OpLogOptions.SEGMENT_BYTES_MAX;
        } finally {
            io.unlock();
        }
        if (!sealing && (wake || compactor.wanted())) queue.wake();
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
     * fsyncs what was written, on this thread (writer thread only: only it replaces the channel). Not under the
     * I/O lock unless the caller holds it: the core thread may write meanwhile; what it writes after the dirty
     * flag is cleared sets it again and waits for the next fsync. Waits for a background fsync first, and fails
     * if that one did: what it covers was written before, and is not durable until it succeeds (clean, it left
     * nothing dirty for this one to fsync); two fsyncs of one file at once would also split a writeback error
     * between them, Linux reporting it to one only (review 9).
     */
    private void sync() throws IOException {
        awaitBackgroundSync();
        Throwable failed = queue.failure();
        if (failed != null) throw new IOException("the op log failed before this fsync: " + failed.getMessage(), failed);
        lastSyncNanos = System.nanoTime();
        long upTo = beginSync();
        if (upTo < 0) return;
        fsyncsRunning.incrementAndGet();
        try {
            syncer.sync(channel);
        } finally {
            fsyncsRunning.decrementAndGet();
        }
        fsyncs.incrementAndGet();
        queue.synced(upTo);
    }

    /**
     * Fsyncs and closes the live segment, starts the next one; returns the sealed generation and the log bytes
     * since the snapshot up to its end (read under the I/O lock, before anything follows). Holds the I/O
     * lock, which the core thread's own writes wait for (EVERYSEC, NO), across an fsync: {@link #advanceSeal}
     * has fsynced the bulk of the segment in the background first, so only what was written since is left.
     */
    private OnlineCompactor.Sealed seal() throws IOException {
        io.lock(); // sync() below waits for a background fsync (the channel closes after it) and fails if that one did
        try {
            dirty = true; // a sealed segment is always fsynced, under every policy
            sync();
            channel.close();
            OnlineCompactor.Sealed sealed = new OnlineCompactor.Sealed(generation, compactor.bytesSinceSnapshot());
            generation++;
            SegmentHeader header = new SegmentHeader(0, generation, options.wallClockMillis().getAsLong(), sequenceWritten, lamportWritten);
            channel = LogDirectory.createLogSegment(dir, header);
            segmentBytes = channel.size();
            syncStartedAtBytes = segmentBytes;
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

    /** After the log failed: lets a running background fsync end, then closes the channel. */
    private void stopAfterFailure() {
        awaitBackgroundSync();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one reported
        }
    }
}
