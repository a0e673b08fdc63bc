package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the background compaction starts: once the log written since the snapshot reaches the threshold or
 * the snapshot's size, whichever is larger, so that a large data set is not re-read every threshold's worth
 * of writes (the cost of compacting stays at most twice the bytes written).
 */
class CompactionTriggerTest {
    @TempDir
    Path dir;

    private OnlineCompactor compactor(long thresholdBytes, long snapshotBytes) {
        return new OnlineCompactor(dir, Logs.options().withCompactionThresholdBytes(thresholdBytes), 0, snapshotBytes);
    }

    @Test
    void aSnapshotLargerThanTheThresholdPostponesTheNextCompactionToItsSize() {
        try (OnlineCompactor compactor = compactor(1_000, 5_000)) {
            assertEquals(5_000, compactor.nextCompactionAtBytes());
            compactor.wrote(4_999);
            assertFalse(compactor.wanted(), "the threshold alone would have started one at 1,000 bytes");
            compactor.wrote(1);
            assertTrue(compactor.wanted());
        }
    }

    @Test
    void aSmallSnapshotLeavesTheThresholdInCharge() {
        try (OnlineCompactor compactor = compactor(1_000, 100)) {
            compactor.wrote(999);
            assertFalse(compactor.wanted());
            compactor.wrote(1);
            assertTrue(compactor.wanted());
        }
    }

    @Test
    void thresholdZeroStillMeansNeverWhateverTheSnapshot() {
        try (OnlineCompactor compactor = compactor(0, 5_000)) {
            compactor.wrote(1L << 40);
            assertFalse(compactor.wanted());
        }
    }

    @Test
    void aLiveThresholdAboveTheSnapshotTakesOver() {
        try (OnlineCompactor compactor = compactor(1_000, 5_000)) {
            compactor.reconfigure(8_000, Duration.ofDays(1));
            assertEquals(8_000, compactor.nextCompactionAtBytes());
            compactor.reconfigure(10, Duration.ofDays(1));
            assertEquals(5_000, compactor.nextCompactionAtBytes());
        }
    }

    /**
     * A compaction asked for while another runs starts when that one ends, even with nothing more written:
     * under fsync=no the writer sleeps until woken, and the end of a compaction wakes it. (Seen in a CI run:
     * a compactNow made while a threshold compaction ran never completed.)
     */
    @Test
    void aCompactionAskedForWhileOneRunsStartsWhenItEnds() throws Exception {
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.NO).withCompactionThresholdBytes(0);
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < 200; i++) log.append(Op.SET, Key.of("key:" + i), new Timestamp(round * 1000L + i + 1, 1), new byte[64]);
                CountDownLatch written = new CountDownLatch(1);
                log.commit(written::countDown);
                assertTrue(written.await(10, TimeUnit.SECONDS));
                java.util.concurrent.CompletableFuture<CompactionReport> first = log.compactNow();
                Thread.sleep(round % 3); // the second request lands before, during or after the first compaction
                java.util.concurrent.CompletableFuture<CompactionReport> second = log.compactNow();
                first.get(10, TimeUnit.SECONDS);
                second.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A compaction asked for while the writer seals for another covers what was committed before it was asked for:
     * the run that was already sealing (decided before the request) does not answer it. Seen as a flaky
     * {@link #theSnapshotWrittenAndTheSnapshotFoundAtOpenSetTheNextStart}: a compactNow made just after a
     * threshold run had sealed got that run's report, without the records written after its seal.
     */
    @Test
    void aCompactionAskedForDuringAnotherRunsSealCoversWhatWasCommittedBeforeIt() throws Exception {
        GroupCommitTest.HeldSyncer syncer = new GroupCommitTest.HeldSyncer(); // holds the seal's fsync
        try (FileOpLog log = FileOpLog.open(dir, Logs.options().withFsync(FsyncPolicy.NO), r -> {}, syncer)) {
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), new byte[8]);
            log.commit(() -> {});
            java.util.concurrent.CompletableFuture<CompactionReport> first = log.compactNow();
            assertTrue(syncer.entered.await(10, TimeUnit.SECONDS), "the writer is sealing for the first");
            log.append(Op.SET, Key.of("b"), new Timestamp(2, 1), new byte[8]);
            log.commit(() -> {});
            java.util.concurrent.CompletableFuture<CompactionReport> second = log.compactNow();
            syncer.release.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS).recordsAfter());
            assertEquals(2, second.get(10, TimeUnit.SECONDS).recordsAfter(), "the second covers b, committed before it was asked for");
        }
    }

    /** Through the files: after a compaction and after a reopen, the next one waits for the snapshot's size in new log. */
    @Test
    void theSnapshotWrittenAndTheSnapshotFoundAtOpenSetTheNextStart() throws Exception {
        OpLogOptions options = Logs.options().withCompactionThresholdBytes(4 << 10);
        long snapshotBytes;
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            Random random = new Random(1);
            for (int i = 0; i < 2_000; i++) {
                byte[] value = new byte[100];
                random.nextBytes(value); // incompressible: the snapshot is far above the threshold
                log.append(Op.SET, Key.of("key:" + i), new Timestamp(i + 1, 1), value);
            }
            CountDownLatch written = new CountDownLatch(1);
            log.commit(written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            CompactionReport report = log.compactNow().get(30, TimeUnit.SECONDS);
            snapshotBytes = Files.size(report.snapshot());
            assertTrue(snapshotBytes > 100 * 2_000, "snapshot of " + snapshotBytes + " bytes");
            assertEquals(snapshotBytes, log.nextCompactionAtBytes());
        }
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            assertEquals(snapshotBytes, log.nextCompactionAtBytes());
        }
    }

    /**
     * After a force-recover rewrite at open, the snapshot that rewrite wrote (not the one the directory held
     * before, nor none) sets the next start.
     */
    @Test
    void theSnapshotOfAForceRecoverRewriteSetsTheNextStart() throws Exception {
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            Random random = new Random(2);
            for (int i = 0; i < 2_000; i++) {
                byte[] value = new byte[100];
                random.nextBytes(value);
                log.append(Op.SET, Key.of("key:" + i), new Timestamp(i + 1, 1), value);
            }
            CountDownLatch written = new CountDownLatch(1);
            log.commit(written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
        }
        Path segment = Logs.onlyLog(dir);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x55; // a record in the middle: damage, not a torn tail
        Files.write(segment, bytes);
        OpLogOptions options = Logs.options().withCompactionThresholdBytes(4 << 10).withForceRecover(true);
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            assertEquals(1, log.replayReport().dropped().size());
            long snapshotBytes = Files.size(LogDirectory.snapshotPath(dir, 1));
            assertTrue(snapshotBytes > 100 * 1_999, "snapshot of " + snapshotBytes + " bytes");
            assertEquals(snapshotBytes, log.nextCompactionAtBytes());
        }
    }
}
