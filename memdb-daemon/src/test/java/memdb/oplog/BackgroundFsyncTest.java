package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 9 of 6e3968a (background fsync): the contracts of docs/oplog.md §7 where the writer's own fsync and
 * the background one meet.
 */
class BackgroundFsyncTest {
    @TempDir
    Path dir;

    /** Holds the first fsync made on the background thread ({@code memdb-oplog-fsync}) until released; the others go through. */
    private static class BackgroundFsyncHeld implements LogWriter.Syncer {
        final CountDownLatch inFsync = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean held = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();

        @Override
        public void sync(FileChannel channel) throws IOException {
            if (Thread.currentThread().getName().startsWith("memdb-oplog-fsync") && held.compareAndSet(false, true)) {
                inFsync.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    end(channel);
                } finally {
                    ended.set(true);
                }
                return;
            }
            channel.force(false);
        }

        void end(FileChannel channel) throws IOException {
            channel.force(false);
        }
    }

    /**
     * commitFsynced promises "its batch, and everything written before it, is fsynced". Record a is written by
     * the core thread (everysec); the background fsync that covers it starts and is held. A commitFsynced with
     * no record of its own then goes to the writer (a is not known synced), which finds the dirty flag cleared
     * by the background fsync, skips its own fsync and runs the callback: a is not on disk yet.
     */
    @Test
    void aCommitFsyncedWaitsForTheBackgroundFsyncThatCoversWhatWasWrittenBeforeIt() throws Exception {
        BackgroundFsyncHeld syncer = new BackgroundFsyncHeld();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(20));
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, syncer)) {
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[] {1});
            log.commit(() -> {}); // written by the core thread; not yet fsynced
            assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the everysec fsync of a began");

            CountDownLatch answered = new CountDownLatch(1);
            AtomicBoolean fsyncEndedFirst = new AtomicBoolean();
            log.commitFsynced(() -> {
                fsyncEndedFirst.set(syncer.ended.get());
                answered.countDown();
            });
            boolean early = answered.await(500, TimeUnit.MILLISECONDS);
            syncer.release.countDown();
            assertTrue(answered.await(10, TimeUnit.SECONDS), "answered in the end");
            assertFalse(early, "a commitFsynced ran while the fsync covering the record written before it was still running");
            assertTrue(fsyncEndedFirst.get(), "the fsync covering a ended before the commitFsynced callback ran");
        }
    }

    /**
     * The same under ALWAYS after a live switch from everysec: "after a switch to always, no commit completes
     * before an fsync covering its records" — here a commit whose records (a) were written just before the
     * switch, and whose fsync is still in flight on the background thread.
     */
    @Test
    void afterASwitchToAlwaysACommitWaitsForTheBackgroundFsyncInFlight() throws Exception {
        BackgroundFsyncHeld syncer = new BackgroundFsyncHeld();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(20));
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, syncer)) {
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[] {1});
            log.commit(() -> {});
            assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the everysec fsync of a began");
            log.reconfigure(FsyncPolicy.ALWAYS, 0, Duration.ofDays(1));

            CountDownLatch answered = new CountDownLatch(1);
            log.commit(answered::countDown); // nothing appended since a: waits for a's fsync (route says WRITER)
            boolean early = answered.await(500, TimeUnit.MILLISECONDS);
            syncer.release.countDown();
            assertTrue(answered.await(10, TimeUnit.SECONDS), "answered in the end");
            assertFalse(early, "under always a commit ran before the fsync of the record written before it ended");
        }
    }

    /**
     * The writer's own fsync (a commitFsynced batch with records: a Paxos promise) runs beside the background
     * one on the same file descriptor. On Linux only one of two fsyncs of a file sees a writeback error (the
     * file's errseq cursor advances once): here the background fsync gets the EIO and the writer's returns 0,
     * and the promise is acknowledged — its own pages may be the ones that failed. The writer's fsync should
     * wait for the one in flight and look at its outcome.
     */
    @Test
    void aCommitFsyncedIsNotAnsweredWhenTheFsyncBesideItFails() throws Exception {
        BackgroundFsyncHeld syncer = new BackgroundFsyncHeld() {
            @Override
            void end(FileChannel channel) throws IOException {
                throw new IOException("EIO: writeback failed");
            }
        };
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.EVERYSEC).withFsyncInterval(Duration.ofMillis(20));
        FileOpLog log = FileOpLog.open(dir, options, r -> {}, syncer);
        try {
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[] {1});
            log.commit(() -> {});
            assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the everysec fsync of a began");

            CountDownLatch answered = new CountDownLatch(1);
            log.append(Op.PAXOS_PROMISE, Key.of("p"), new Timestamp(2, 1), new byte[0]);
            log.commitFsynced(answered::countDown);
            boolean early = answered.await(500, TimeUnit.MILLISECONDS);
            syncer.release.countDown(); // the fsync beside it now fails
            boolean late = answered.await(1, TimeUnit.SECONDS);
            assertFalse(early || late, "a commitFsynced was answered although an fsync covering what was written before it failed");
        } finally {
            assertThrows(IllegalStateException.class, log::close);
        }
    }

    /**
     * A background fsync of a seal fails while the writer runs the callbacks of a batch (after its failure
     * check): the writer goes on to seal anyway — its own fsync of the segment (on Linux a second fsync of a
     * file returns 0 once the error was reported to the first) and a successor segment — and starts the
     * compaction, whose compactNow future then completes normally on a log that has failed.
     */
    @Test
    void aSealDoesNotGoOnAfterItsBackgroundFsyncFailed() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        BackgroundFsyncHeld syncer = new BackgroundFsyncHeld() {
            @Override
            void end(FileChannel channel) throws IOException {
                failed.countDown();
                throw new IOException("disk on fire");
            }
        };
        byte[] value = new byte[1024];
        FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {}, syncer); // fsync=no
        for (int i = 0; i < 3_000; i++) { // 3 MiB unsynced: the seal fsyncs in the background first
            log.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), value);
            log.commit(() -> {});
        }
        CompletableFuture<CompactionReport> compaction = log.compactNow();
        assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the seal's background fsync began");

        // a commit made during the fsync goes to the writer; its callback (on the writer thread, after the
        // writer's failure check) lets the fsync fail and waits until it has
        log.append(Op.SET, Key.of("during"), new Timestamp(10_000, 1), new byte[] {7});
        log.commit(() -> {
            syncer.release.countDown();
            try {
                failed.await(10, TimeUnit.SECONDS);
                Thread.sleep(200); // the background task's finally (backgroundSyncing = false, wake)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThrows(ExecutionException.class, () -> compaction.get(30, TimeUnit.SECONDS),
                    "a compaction sealed after the log's fsync failed must not report success");
        } finally {
            assertThrows(IllegalStateException.class, log::close);
        }
        java.util.List<String> names = Logs.names(dir);
        assertFalse(names.stream().filter(n -> n.startsWith("log-")).count() > 1 || names.stream().anyMatch(n -> n.startsWith("snapshot-")),
                "no successor segment nor snapshot after the sealed segment's fsync failed: " + names);
    }

    /**
     * Checked, passes on main: under fsync=no the writer waits with no timeout; a compactNow made after a burst
     * of writes over the seal's 1 MiB limit (so the seal goes through background rounds, each ending in a
     * wake-up) completes although nothing more is written, round after round.
     */
    @Test
    void underFsyncNoEveryCompactNowCompletesWithNothingWrittenAfterIt() throws Exception {
        byte[] value = new byte[4096];
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {}, LogWriter.Syncer.FORCE)) {
            int sequence = 0;
            for (int round = 0; round < 15; round++) {
                for (int i = 0; i < 300; i++) { // 1.2 MiB
                    sequence++;
                    log.append(Op.SET, Key.of("k" + (sequence % 500)), new Timestamp(sequence, 1), value);
                    log.commit(() -> {});
                }
                CompactionReport report = log.compactNow().get(20, TimeUnit.SECONDS);
                assertTrue(report.recordsAfter() > 0, "round " + round + ": " + report);
            }
        }
    }

    /** Checked, passes on main: a close while a seal waits for its background fsync ends, with every record on disk. */
    @Test
    void aCloseDuringASealsBackgroundFsyncEndsWithEverythingOnDisk() throws Exception {
        BackgroundFsyncHeld syncer = new BackgroundFsyncHeld();
        byte[] value = new byte[1024];
        FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {}, syncer);
        for (int i = 0; i < 3_000; i++) {
            log.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), value);
            log.commit(() -> {});
        }
        CompletableFuture<CompactionReport> compaction = log.compactNow();
        assertTrue(syncer.inFsync.await(10, TimeUnit.SECONDS), "the seal's background fsync began");
        Thread closer = new Thread(log::close);
        closer.start();
        Thread.sleep(200);
        syncer.release.countDown();
        closer.join(20_000);
        assertFalse(closer.isAlive(), "close ended");
        assertTrue(compaction.isDone(), "the compactNow future is completed (by the run or by the close)");
        memdb.store.Store store = new memdb.store.Store();
        try (FileOpLog reopened = FileOpLog.open(dir, Logs.options(), store)) {
            assertTrue(store.liveKeys() == 3_000, "every record replays: " + store.liveKeys());
        }
    }
}
