package memdb.oplog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs compactions of sealed segments in the background while the writer appends to a fresh segment.
 * The writer thread decides when ({@link #wanted}) and seals the live segment; this class does the rest
 * on its own thread.
 *
 * <p>When: once the log written since the last snapshot reaches the threshold or the snapshot's own size,
 * whichever is larger (Redis's {@code auto-aof-rewrite-percentage 100} with a 64 MiB floor). A compaction
 * reads the snapshot and the logs, so with this rule it reads at most twice what was written since the
 * previous one: its cost per byte written stays bounded however large the data set grows, where a fixed
 * threshold would re-read a large snapshot every threshold's worth of writes.
 *
 * <p>Paced ({@link Pacer#forCompaction()}): a run rests as long as it works, in bursts of a millisecond, so it
 * never holds a core the node's event loop needs for longer than that (an unpaced run of a million records took
 * a core for ~100 ms, the op log's p99 under load); it takes about twice as long.
 *
 * <p>Invariants: at most one compaction at a time; a compaction only reads files at or below the sealed
 * generation, which nobody writes any more; a failed compaction changes no live file (see
 * {@link CompactionJob}) and is retried only after the log grows by another threshold.
 */
final class OnlineCompactor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OnlineCompactor.class.getName());

    private final Path dir;
    private final OpLogOptions options;
    private final ExecutorService executor;
    private final AtomicLong bytesSinceSnapshot;
    private final List<CompletableFuture<CompactionReport>> waiters = new ArrayList<>();
    private boolean running;
    private boolean requested;
    private long nextAtBytes;
    /** Wakes the writer after each run: a compaction asked for meanwhile starts even if nothing more is written. */
    private volatile Runnable afterEachRun = () -> {};
    /** Bytes of the newest snapshot file (0: none yet); guarded by this. */
    private long snapshotBytes;
    /** Live settings ({@link #reconfigure}); guarded by this. */
    private long thresholdBytes;
    private java.time.Duration tombstoneGrace;

    OnlineCompactor(Path dir, OpLogOptions options, long bytesSinceSnapshot, long snapshotBytes) {
        this.dir = dir;
        this.options = options;
        this.bytesSinceSnapshot = new AtomicLong(bytesSinceSnapshot);
        this.thresholdBytes = options.compactionThresholdBytes();
        this.tombstoneGrace = options.tombstoneGrace();
        this.snapshotBytes = snapshotBytes;
        this.nextAtBytes = nextAtBytes();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memdb-oplog-compactor");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code wakeWriter} after each compaction, success or failure. The writer checks {@link #wanted} only
     * when it wakes; under fsync=no an idle writer sleeps until woken, so a {@link #request} made while a
     * compaction ran (when {@link #wanted} says no) would otherwise wait for the next write.
     */
    void afterEachRun(Runnable wakeWriter) {
        this.afterEachRun = wakeWriter;
    }

    /** The writer wrote {@code bytes} more to the live segment. */
    void wrote(long bytes) {
        bytesSinceSnapshot.addAndGet(bytes);
    }

    long bytesSinceSnapshot() {
        return bytesSinceSnapshot.get();
    }

    /** Asks for a compaction at the writer's next turn; the future completes when it is done. */
    synchronized CompletableFuture<CompactionReport> request() {
        CompletableFuture<CompactionReport> future = new CompletableFuture<>();
        waiters.add(future);
        requested = true;
        return future;
    }

    /** Whether the writer should seal its segment and start a compaction now. */
    synchronized boolean wanted() {
        if (running) return false;
        return requested || (thresholdBytes > 0 && bytesSinceSnapshot.get() >= nextAtBytes);
    }

    /** A new threshold (0 = never) counts from now on, against the log written since the last snapshot; a new grace applies from the next compaction. */
    synchronized void reconfigure(long thresholdBytes, java.time.Duration tombstoneGrace) {
        this.thresholdBytes = thresholdBytes;
        this.tombstoneGrace = tombstoneGrace;
        if (!running) nextAtBytes = nextAtBytes();
    }

    /** The log written since the snapshot at which the next compaction starts: the threshold, or the snapshot's size if larger. */
    private synchronized long nextAtBytes() {
        return Math.max(thresholdBytes, snapshotBytes);
    }

    /** Where the next compaction starts (for tests). */
    synchronized long nextCompactionAtBytes() {
        return nextAtBytes;
    }

    private synchronized long thresholdBytes() {
        return thresholdBytes;
    }

    private synchronized java.time.Duration tombstoneGrace() {
        return tombstoneGrace;
    }

    /** What the writer sealed for a run: the sealed generation, and the log bytes since the snapshot up to its end. */
    record Sealed(long generation, long bytesSinceSnapshot) {}

    /** The writer's seal of its live segment (fsync, then a fresh segment). */
    interface Sealer {
        Sealed seal() throws java.io.IOException;
    }

    /**
     * Starts a run: takes the requests it answers first, then has the writer seal, then compacts everything up
     * to the sealed generation in the background. So every request it answers was made before the seal, and
     * the run covers each record committed before its request; a request made during the seal waits for the
     * next run (taking them after the seal answered such a request with a run that missed the records written
     * between the seal and the request). A failed seal fails the requests taken (the writer then stops the log).
     */
    void start(Sealer sealer) throws java.io.IOException {
        List<CompletableFuture<CompactionReport>> mine;
        synchronized (this) {
            running = true;
            requested = false;
            mine = new ArrayList<>(waiters);
            waiters.clear();
        }
        Sealed sealed;
        try {
            sealed = sealer.seal();
        } catch (java.io.IOException | RuntimeException e) {
            finish(Long.MAX_VALUE);
            mine.forEach(f -> f.completeExceptionally(e));
            throw e;
        }
        executor.execute(() -> compact(sealed.generation(), sealed.bytesSinceSnapshot(), mine));
    }

    private void compact(long upTo, long sealedBytes, List<CompletableFuture<CompactionReport>> mine) {
        try {
            long now = options.wallClockMillis().getAsLong();
            CompactionJob.Settings settings = new CompactionJob.Settings(options.compress(),
                    tombstoneGrace().toMillis(), now, false, false, RepairHorizon.read(dir));
            CompactionReport report = CompactionJob.run(LogDirectory.scan(dir), upTo, dir, settings, Pacer.forCompaction());
            bytesSinceSnapshot.addAndGet(-sealedBytes);
            succeeded(report.bytesAfter());
            report.lines().forEach(line -> LOG.log(System.Logger.Level.INFO, line));
            mine.forEach(f -> f.complete(report));
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.ERROR, "op-log compaction failed; the log is unchanged and stays valid", e);
            finish(bytesSinceSnapshot.get() + Math.max(thresholdBytes(), 1));
            mine.forEach(f -> f.completeExceptionally(e));
        } finally {
            afterEachRun.run();
        }
    }

    private synchronized void succeeded(long newSnapshotBytes) {
        snapshotBytes = newSnapshotBytes;
        finish(nextAtBytes());
    }

    private synchronized void finish(long nextAt) {
        running = false;
        nextAtBytes = nextAt;
    }

    /** Waits for a running compaction to end. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.MINUTES)) LOG.log(System.Logger.Level.WARNING, "compaction still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            waiters.forEach(f -> f.completeExceptionally(new IllegalStateException("op log closed")));
            waiters.clear();
        }
    }
}
