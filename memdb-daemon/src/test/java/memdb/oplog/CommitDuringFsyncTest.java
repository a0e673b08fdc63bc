package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under everysec and no the core thread writes its batches itself, except while an fsync runs: then it leaves
 * them to the writer thread, so that it never waits on a file being fsynced (a write() there can stall for
 * the fsync's length) and goes on serving every other connection. The everysec fsync and the bulk of a
 * seal's run on a background thread, so the writer writes such a batch and answers it at once, not after
 * the fsync (session 9: commits made during a seal's 150-190 ms fsync all waited for it).
 */
class CommitDuringFsyncTest {
    @TempDir
    Path dir;

    /** Holds the first fsync until released, and says when it began. */
    private static final class FirstFsyncHeld implements LogWriter.Syncer {
        final CountDownLatch inFsync = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);

        @Override
        public void sync(java.nio.channels.FileChannel channel) throws java.io.IOException {
            if (first.getAndSet(false)) {
                inFsync.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            channel.force(false);
        }
    }

    @Test
    void whileTheEverysecFsyncRunsACommitIsWrittenByTheWriterAndAnsweredBeforeTheFsyncEnds() throws Exception {
        FirstFsyncHeld syncer = new FirstFsyncHeld();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(20));
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, syncer)) {
            AtomicBoolean ranInline = new AtomicBoolean();
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[] {1});
            log.commit(() -> ranInline.set(true));
            assertTrue(ranInline.get(), "no fsync running: the core thread wrote the batch and answered at once");
            assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the everysec fsync began");

            CountDownLatch answered = new CountDownLatch(1);
            AtomicBoolean onCoreThread = new AtomicBoolean();
            Thread core = Thread.currentThread();
            log.append(Op.SET, Key.of("b"), new Timestamp(2, 1), new byte[] {2});
            long start = System.nanoTime();
            log.commit(() -> {
                onCoreThread.set(Thread.currentThread() == core);
                answered.countDown();
            });
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "commit did not wait for the fsync");
            assertTrue(answered.await(5, TimeUnit.SECONDS), "answered while the fsync still runs");
            assertFalse(onCoreThread.get(), "left to the writer thread, not written by the core thread during the fsync");
            syncer.release.countDown();
        }
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), store)) {
            assertEquals(2, store.liveKeys(), "both records are in the log, in order");
        }
    }

    @Test
    void whileASealFsyncsTheBulkOfItsSegmentCommitsAreAnsweredAndTheCompactionThenCompletes() throws Exception {
        FirstFsyncHeld syncer = new FirstFsyncHeld();
        int keys = 3_000;
        byte[] value = new byte[1024]; // 3 MiB unsynced: over the seal's limit, so its first fsync is a background one
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {}, syncer)) {
            for (int i = 0; i < keys; i++) {
                log.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), value);
                log.commit(() -> {});
            }
            CompletableFuture<CompactionReport> compaction = log.compactNow();
            assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the seal's background fsync began");

            CountDownLatch answered = new CountDownLatch(1);
            log.append(Op.SET, Key.of("during"), new Timestamp(keys + 1, 1), new byte[] {7});
            log.commit(answered::countDown);
            assertTrue(answered.await(5, TimeUnit.SECONDS), "a commit made during the seal's fsync is answered before it ends");
            assertFalse(compaction.isDone(), "the seal waits for its fsync");

            syncer.release.countDown();
            CompactionReport report = compaction.get(30, TimeUnit.SECONDS);
            assertTrue(report.bytesAfter() > 0, "the compaction ran: " + report);
        }
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), store)) {
            assertEquals(keys + 1, store.liveKeys(), "every record, the one committed during the seal's fsync too");
        }
    }
}
