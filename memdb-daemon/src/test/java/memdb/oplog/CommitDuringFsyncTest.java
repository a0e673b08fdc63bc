package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
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
 * Under everysec the core thread writes its batches itself, except while the writer fsyncs: then the writer
 * writes them after the fsync, so that the core thread never waits on a file being fsynced (a write() there
 * can stall for the fsync's length) and goes on serving every other connection.
 */
class CommitDuringFsyncTest {
    @TempDir
    Path dir;

    @Test
    void whileAnFsyncRunsACommitIsLeftToTheWriterAndCompletesAfterIt() throws Exception {
        CountDownLatch inFsync = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        LogWriter.Syncer slowFirstFsync = channel -> {
            if (first.getAndSet(false)) {
                inFsync.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            channel.force(false);
        };
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(20));
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, slowFirstFsync)) {
            AtomicBoolean ranInline = new AtomicBoolean();
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[] {1});
            log.commit(() -> ranInline.set(true));
            assertTrue(ranInline.get(), "no fsync running: the core thread wrote the batch and answered at once");
            assertTrue(inFsync.await(10, TimeUnit.SECONDS), "the writer's everysec fsync began");

            CountDownLatch answered = new CountDownLatch(1);
            log.append(Op.SET, Key.of("b"), new Timestamp(2, 1), new byte[] {2});
            long start = System.nanoTime();
            log.commit(answered::countDown);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "commit did not wait for the fsync");
            assertFalse(answered.await(100, TimeUnit.MILLISECONDS), "left to the writer, which is fsyncing");
            release.countDown();
            assertTrue(answered.await(10, TimeUnit.SECONDS), "answered once the writer wrote it after the fsync");
        }
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), store)) {
            assertEquals(2, store.liveKeys(), "both records are in the log, in order");
        }
    }
}
