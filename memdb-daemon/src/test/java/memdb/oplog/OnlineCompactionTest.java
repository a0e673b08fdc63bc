package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineCompactionTest {
    @TempDir
    Path dir;

    @Test
    void thresholdTriggersBackgroundCompactionWhileWritesContinue() throws Exception {
        History history = History.random(99, 20_000, 200);
        OpLogOptions options = Logs.keepTombstones().withCompactionThresholdBytes(64 << 10).withPendingBytesMax(8 << 10);
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            for (LogRecord r : history.records) {
                log.append(r.op(), r.key(), r.timestamp(), r.value());
                if (r.sequence() % 50 == 0) log.commit(() -> {});
            }
        }
        // how many compactions run depends on thread timing; that the threshold started one does not
        assertTrue(Logs.names(dir).stream().anyMatch(n -> n.startsWith("snapshot-")), Logs.names(dir).toString());
        Logs.Replayed replayed = Logs.replay(dir, Logs.keepTombstones());
        assertEquals(history.expected(), replayed.state());
        assertEquals(20_000, replayed.report().sequenceHigh());
        assertTrue(replayed.report().recordsReplayed() < 20_000, "compaction dropped overwritten records");
    }

    @Test
    void compactNowSwapsInASnapshotAndPurgesOldTombstones() throws Exception {
        RepairHorizon.write(dir, 1_050_000); // a complete repair began after the old delete, before the new one
        compactAndCheckTombstones(true);
    }

    /** Tombstone safety: past the grace but with no complete repair since, a delete is kept. */
    @Test
    void withoutARepairSinceTheDeleteCompactionKeepsTheTombstone() throws Exception {
        compactAndCheckTombstones(false);
    }

    private void compactAndCheckTombstones(boolean repairedSince) throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        OpLogOptions options = Logs.options().withTombstoneGrace(Duration.ofSeconds(60)).withWallClock(now::get);
        try (FileOpLog log = FileOpLog.open(dir, options, new Store())) {
            log.append(Op.SET, Key.of("a"), new Timestamp(1, 1), "1".getBytes());
            log.append(Op.DELETE, Key.of("old-delete"), new Timestamp(2, 1), new byte[0]);
            log.commit(() -> {}); // the end of a batch: the next one reads the clock again
            now.addAndGet(120_000);
            log.append(Op.DELETE, Key.of("new-delete"), new Timestamp(3, 1), new byte[0]);
            log.append(Op.SET, Key.of("a"), new Timestamp(4, 1), "2".getBytes());
            // compactNow takes what has reached the log's files: wait until the four records are written
            java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
            log.commit(written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            CompactionReport report = log.compactNow().get(10, TimeUnit.SECONDS);
            assertEquals(4, report.recordsBefore());
            assertEquals(repairedSince ? 2 : 3, report.recordsAfter(), "newest 'a', the young tombstone (and the old one)");
            log.append(Op.SET, Key.of("b"), new Timestamp(5, 1), "3".getBytes()); // writes go on after the swap
        }
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), store)) {
            assertEquals("2", new String(store.getValue(Key.of("a"))));
            assertEquals("3", new String(store.getValue(Key.of("b"))));
            if (repairedSince) {
                assertNull(store.get(Key.of("old-delete")), "a tombstone older than the grace and a repair is purged");
            } else {
                assertTrue(store.get(Key.of("old-delete")).isTombstone(), "no repair since: kept");
            }
            assertTrue(store.get(Key.of("new-delete")).isTombstone(), "a young tombstone is kept");
            assertEquals(5, log.replayReport().sequenceHigh());
            assertEquals(5, log.replayReport().lamportHigh());
        }
        assertFalse(Logs.names(dir).stream().anyMatch(n -> n.endsWith(".tmp")));
    }
}
