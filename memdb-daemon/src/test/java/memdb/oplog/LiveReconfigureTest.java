package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings changed on an open log ({@link OpLog#reconfigure}): the fsync policy and the compaction threshold. */
class LiveReconfigureTest {
    @TempDir
    Path dir;

    private static void append(OpLog log, int i) {
        log.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), new byte[16]);
    }

    /** Commits {@code count} records one by one and returns, per commit, the fsyncs done when its callback ran. */
    private static List<Long> commitEach(OpLog log, int from, int count, AtomicLong syncs) throws InterruptedException {
        List<Long> seen = new CopyOnWriteArrayList<>();
        CountDownLatch acked = new CountDownLatch(count);
        for (int i = from; i < from + count; i++) {
            append(log, i);
            log.commit(() -> {
                seen.add(syncs.get());
                acked.countDown();
            });
        }
        assertTrue(acked.await(10, TimeUnit.SECONDS), "every commit completes");
        return seen;
    }

    @Test
    void afterSwitchingToAlwaysEveryCommitIsFsyncedBeforeItIsAcknowledged() throws Exception {
        AtomicLong syncs = new AtomicLong();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.NO);
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, ch -> syncs.incrementAndGet())) {
            List<Long> underNo = commitEach(log, 0, 20, syncs);
            assertEquals(0, syncs.get(), "under no, nothing is fsynced");
            assertTrue(underNo.stream().allMatch(s -> s == 0));

            log.reconfigure(FsyncPolicy.ALWAYS, options.compactionThresholdBytes(), options.tombstoneGrace());
            assertEquals(FsyncPolicy.ALWAYS, log.fsyncPolicy());
            long before = syncs.get();
            for (int i = 0; i < 20; i++) {
                long syncsBeforeCommit = syncs.get();
                List<Long> seen = commitEach(log, 100 + i, 1, syncs);
                assertTrue(seen.get(0) > syncsBeforeCommit, "commit " + i + " after the switch ran after an fsync of its own");
            }
            assertTrue(syncs.get() - before >= 20, "one fsync per commit made one at a time");

            log.reconfigure(FsyncPolicy.NO, options.compactionThresholdBytes(), options.tombstoneGrace());
            long afterAlways = syncs.get();
            commitEach(log, 200, 20, syncs);
            assertEquals(afterAlways, syncs.get(), "back to no: no fsync");
        }
        assertEquals(60, Logs.replay(dir, Logs.options()).report().recordsReplayed());
    }

    @Test
    void switchingToEverysecStartsTheBackgroundFsync() throws Exception {
        AtomicLong syncs = new AtomicLong();
        OpLogOptions options = Logs.options().withFsync(FsyncPolicy.NO).withFsyncInterval(Duration.ofMillis(50));
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, ch -> syncs.incrementAndGet())) {
            commitEach(log, 0, 5, syncs);
            Thread.sleep(200);
            assertEquals(0, syncs.get(), "no: never fsynced");
            log.reconfigure(FsyncPolicy.EVERYSEC, options.compactionThresholdBytes(), options.tombstoneGrace());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (syncs.get() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertTrue(syncs.get() >= 1, "everysec fsyncs what no left unsynced within the interval, with no new commit");
        }
    }

    @Test
    void aLowerCompactionThresholdStartsACompactionWithoutARestart() throws Exception {
        AtomicLong syncs = new AtomicLong();
        OpLogOptions options = Logs.options().withCompactionThresholdBytes(0);
        try (FileOpLog log = FileOpLog.open(dir, options, r -> {}, ch -> syncs.incrementAndGet())) {
            commitEach(log, 0, 200, syncs);
            assertEquals(1, Logs.names(dir).stream().filter(n -> n.startsWith("log-")).count(), "threshold 0: never compacted");
            log.reconfigure(options.fsync(), 1024, options.tombstoneGrace());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Logs.names(dir).stream().noneMatch(n -> n.startsWith("snapshot-")) && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(Logs.names(dir).stream().anyMatch(n -> n.startsWith("snapshot-")), "a compaction ran, with no new write: " + Logs.names(dir));
        }
    }
}
