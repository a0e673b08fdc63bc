package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memdb log-compact} and {@code memdb log-dump}, through their library API. */
class OfflineToolsTest {
    @TempDir
    Path tmp;

    /** 10 overwrites per key of compressible values. */
    private Path overwrittenLog() throws Exception {
        Path dir = tmp.resolve("data");
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            long t = 0;
            for (int round = 0; round < 10; round++) {
                for (int k = 0; k < 100; k++) {
                    log.append(Op.SET, Key.of("key-" + k), new Timestamp(++t, 1), ("value " + round + " ").repeat(10).getBytes());
                }
            }
        }
        return dir;
    }

    @Test
    void dryRunReportsAndChangesNothing() throws Exception {
        Path dir = overwrittenLog();
        List<String> files = Logs.names(dir);
        CompactionReport dry = Compaction.offline(dir, null, true, true);
        assertEquals(files, Logs.names(dir));
        assertEquals(1000, dry.recordsBefore());
        assertEquals(100, dry.recordsAfter());
        assertTrue(dry.ratio() < 0.1, dry.lines().toString());
        assertTrue(dry.lines().get(0).contains("would write"), dry.lines().toString());
        CompactionReport real = Compaction.offline(dir, null, true, false);
        assertEquals(dry.bytesAfter(), real.bytesAfter(), "the dry run measures exactly");
        assertEquals(List.of("LOCK", "snapshot-00000000000000000001.seg"), Logs.names(dir));
    }

    @Test
    void outputElsewhereLeavesTheInputAndUncompressedIsBigger() throws Exception {
        Path dir = overwrittenLog();
        Path out = tmp.resolve("out");
        CompactionReport raw = Compaction.offline(dir, out, false, false);
        assertEquals(List.of("LOCK", "log-00000000000000000001.seg"), Logs.names(dir));
        assertEquals(Logs.replay(dir, Logs.options()).state(), Logs.replay(out, Logs.options()).state());
        CompactionReport lz4 = Compaction.offline(dir, null, true, true);
        assertTrue(lz4.bytesAfter() < raw.bytesAfter(), lz4.bytesAfter() + " vs " + raw.bytesAfter());
        IOException e = assertThrows(IOException.class, () -> Compaction.offline(dir, out, true, false));
        assertTrue(e.getMessage().contains("already holds a log"), e.getMessage());
    }

    @Test
    void dumpListsRecordsInReplayOrderWithoutChangingAnything() throws Exception {
        Path dir = tmp.resolve("dump");
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            log.append(Op.SET, Key.of("quote\"d"), new Timestamp(7, 3), new byte[5]);
            log.append(Op.DELETE, Key.of("gone"), new Timestamp(8, 4), new byte[0]);
        }
        List<String> files = Logs.names(dir);
        List<LogDump.Entry> entries = new ArrayList<>();
        ReplayReport report = LogDump.dump(dir, false, entries::add);
        assertEquals(2, report.recordsReplayed());
        assertEquals(files, Logs.names(dir));
        assertEquals("{\"key\":\"quote\\\"d\",\"op\":\"SET\",\"lamport\":7,\"nodeId\":3,\"sequence\":1,\"valueBytes\":5,"
                + "\"wallMillis\":5000000000,\"file\":\"log-00000000000000000001.seg\"}", entries.get(0).toJson());
        assertEquals(Op.DELETE, entries.get(1).op());
        assertEquals(0, entries.get(1).valueBytes());
        Compaction.offline(dir, null, true, false, Duration.ofDays(100_000), () -> 0L);
        entries.clear();
        LogDump.dump(dir, false, entries::add);
        assertEquals(2, entries.size(), "the dump reads compressed snapshots too");
    }
}
