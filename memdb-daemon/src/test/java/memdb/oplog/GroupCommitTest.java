package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsync policies and group commit, with a syncer that counts (and can hold) fsyncs. */
class GroupCommitTest {
    @TempDir
    Path dir;

    /** Counts fsyncs; the first one waits for {@link #release} so that commits pile up behind it. */
    static final class HeldSyncer implements LogWriter.Syncer {
        final AtomicLong syncs = new AtomicLong();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void sync(java.nio.channels.FileChannel channel) throws IOException {
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) throw new IOException("test never released the fsync");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            channel.force(false);
            syncs.incrementAndGet();
        }
    }

    private static void append(OpLog log, int i) {
        log.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), new byte[16]);
    }

    @Test
    void alwaysRunsCallbacksAfterTheirFsyncAndManyCommitsShareOne() throws Exception {
        HeldSyncer syncer = new HeldSyncer();
        AtomicInteger early = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.ALWAYS);
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, syncer)) {
            append(log, 0);
            log.commit(() -> {
                if (syncer.syncs.get() < 1) early.incrementAndGet();
                done.incrementAndGet();
            });
            assertTrue(syncer.entered.await(10, TimeUnit.SECONDS), "the writer fsyncs the first commit");
            for (int i = 1; i <= 500; i++) {
                append(log, i);
                log.commit(() -> {
                    if (syncer.syncs.get() < 2) early.incrementAndGet();
                    done.incrementAndGet();
                });
            }
            assertEquals(0, done.get(), "no commit completes before its fsync");
            syncer.release.countDown();
        }
        assertEquals(501, done.get());
        assertEquals(0, early.get(), "every callback ran after the fsync covering its records");
        assertEquals(2, syncer.syncs.get(), "501 commits, 2 fsyncs: all commits queued during the first fsync share the second");
        assertEquals(501, Logs.replay(dir, Logs.options()).report().recordsReplayed());
    }

    @Test
    void noAndEverysecAcknowledgeWithoutWaitingForFsync() throws Exception {
        for (FsyncPolicy policy : new FsyncPolicy[] {FsyncPolicy.NO, FsyncPolicy.EVERYSEC}) {
            HeldSyncer syncer = new HeldSyncer(); // never released until the end: a commit must not need it
            Path d = dir.resolve(policy.configName());
            OpLogOptions options = Logs.options().withFsync(policy).withFsyncInterval(Duration.ofHours(1));
            FileOpLog log = FileOpLog.open(d, options, r -> {}, syncer);
            CountDownLatch acked = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                append(log, i);
                log.commit(acked::countDown);
            }
            assertTrue(acked.await(10, TimeUnit.SECONDS), policy + ": commits complete once written to the OS");
            assertEquals(0, syncer.syncs.get(), policy + ": no fsync was needed");
            syncer.release.countDown();
            log.close();
            assertEquals(1, syncer.syncs.get(), policy + ": a clean close fsyncs once");
        }
    }

    @Test
    void everysecFsyncsInTheBackground() throws Exception {
        AtomicLong syncs = new AtomicLong();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(50));
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, ch -> syncs.incrementAndGet())) {
            append(log, 0);
            log.commit(() -> {});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (syncs.get() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(1, syncs.get(), "an idle log with unsynced data is fsynced after the interval");
            Thread.sleep(200);
            assertEquals(1, syncs.get(), "nothing new, no fsync");
        }
    }

    @Test
    void aFailedFsyncStopsTheLogForGood() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        FileOpLog log = FileOpLog.open(dir, Logs.options().withFsync(FsyncPolicy.ALWAYS), r -> {}, ch -> {
            throw new IOException("disk on fire");
        });
        try {
            append(log, 0);
            log.commit(ran::incrementAndGet);
        } catch (IllegalStateException alreadyFailed) {
            // the writer thread may meet the failing fsync (of the segment header) before this commit
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IllegalStateException e = null;
        while (e == null && System.nanoTime() < deadline) {
            try {
                append(log, 1);
                Thread.sleep(5);
            } catch (IllegalStateException failed) {
                e = failed;
            }
        }
        assertTrue(e != null && e.getMessage().contains("disk on fire"), "later appends fail with the cause");
        assertEquals(0, ran.get(), "a write whose fsync failed is never acknowledged");
        assertThrows(IllegalStateException.class, log::close);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** The everysec fsync runs on a background thread: its failure stops the log for good all the same. */
    @Test
    void aFailedBackgroundFsyncStopsTheLogForGood() throws Exception {
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(20));
        FileOpLog log = FileOpLog.open(dir, options, r -> {}, ch -> {
            throw new IOException("disk on fire");
        });
        append(log, 0);
        log.commit(() -> {}); // written to the OS by this thread; the fsync a moment later fails
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IllegalStateException e = null;
        for (int i = 1; e == null && System.nanoTime() < deadline; i++) {
            try {
                append(log, i);
                log.commit(() -> {});
                Thread.sleep(5);
            } catch (IllegalStateException failed) {
                e = failed;
            }
        }
        assertTrue(e != null && e.getMessage().contains("disk on fire"), "later appends or commits fail with the cause");
        assertThrows(IllegalStateException.class, log::close);
    }

    @Test
    void pendingBytesAreBounded() throws Exception {
        HeldSyncer syncer = new HeldSyncer();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.ALWAYS).withPendingBytesMax(4096);
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, syncer)) {
            append(log, 0);
            log.commit(() -> {});
            assertTrue(syncer.entered.await(10, TimeUnit.SECONDS));
            Thread core = new Thread(() -> {
                for (int i = 1; i <= 1000; i++) append(log, i); // ~60 KiB: must block at 4 KiB
            });
            core.start();
            core.join(300);
            assertTrue(core.isAlive(), "append blocks while the pending buffer is full");
            syncer.release.countDown();
            core.join(10_000);
            assertFalse(core.isAlive(), "and resumes once the writer drains it");
        }
        assertEquals(1001, Logs.replay(dir, Logs.options()).report().recordsReplayed());
    }

    /** Paxos promises and accepts: fsynced before answered even when the policy would not fsync. */
    @Test
    void commitFsyncedWaitsForAnFsyncUnderEveryPolicy() throws Exception {
        HeldSyncer syncer = new HeldSyncer();
        AtomicInteger done = new AtomicInteger();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options().withFsync(FsyncPolicy.NO), r -> {}, syncer)) {
            append(log, 0);
            log.commitFsynced(done::incrementAndGet);
            assertTrue(syncer.entered.await(10, TimeUnit.SECONDS), "fsync=no, yet this commit fsyncs");
            Thread.sleep(50);
            assertEquals(0, done.get(), "not answered before the fsync completes");
            syncer.release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (done.get() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
            assertEquals(1, done.get());
            assertEquals(1, syncer.syncs.get());
        }
    }
}
