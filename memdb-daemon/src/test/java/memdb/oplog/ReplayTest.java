package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import memdb.clock.LamportClock;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.LogRecord;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import memdb.store.Store;
import memdb.store.Versioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
    @TempDir
    Path dir;

    @Test
    void replayRebuildsExactStateWithTombstonesNodeIdsAndClock() throws Exception {
        History history = History.random(7, 2000, 50);
        Logs.write(dir, history, Logs.options());
        Store store = new Store();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), store)) {
            ReplayReport report = log.replayReport();
            assertEquals(history.expected(), History.contents(store));
            assertEquals(2000, report.recordsReplayed());
            assertEquals(2000, report.sequenceHigh());
            assertEquals(history.lamportHigh(), report.lamportHigh());
            assertNull(report.tornTail());
            assertTrue(History.contents(store).values().stream().anyMatch(Versioned::isTombstone), "history has tombstones");
            assertTrue(History.contents(store).values().stream().map(v -> v.timestamp().nodeId()).distinct().count() > 1);
            // the node restarts its clock above the log: its next write wins over everything replayed
            LamportClock clock = new LamportClock(1, report.lamportHigh());
            Timestamp next = clock.tick();
            store.forEach((k, v) -> assertTrue(next.isAfter(v.timestamp())));
            assertEquals(2001, log.append(Op.SET, Key.of("after"), next, new byte[] {1}));
        }
    }

    @Test
    void sequenceAndRecordsContinueAcrossRestarts() throws Exception {
        List<LogRecord> seen = new ArrayList<>();
        for (int boot = 0; boot < 3; boot++) {
            try (FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {})) {
                for (int i = 0; i < 10; i++) {
                    log.append(Op.SET, Key.of("b" + boot + "k" + i), new Timestamp(boot * 100 + i + 1, 3), new byte[i]);
                }
                log.append(Op.DELETE, Key.of("b" + boot + "k0"), new Timestamp(boot * 100 + 50, 3), new byte[0]);
            }
        }
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), seen::add)) {
            assertEquals(33, log.replayReport().sequenceHigh());
            assertEquals(33, log.lastSequence());
        }
        assertEquals(33, seen.size());
        for (int i = 0; i < seen.size(); i++) assertEquals(i + 1, seen.get(i).sequence(), "log order is sequence order");
        assertEquals(Op.DELETE, seen.get(32).op());
    }

    @Test
    void aDeleteIsNeverUndoneByReplay() throws Exception {
        Key key = Key.of("k");
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), new Store())) {
            log.append(Op.SET, key, new Timestamp(5, 1), "old".getBytes());
            log.append(Op.DELETE, key, new Timestamp(9, 2), new byte[0]);
            log.append(Op.SET, key, new Timestamp(7, 3), "late and older".getBytes()); // a replica delivered late
        }
        Store store = new Store();
        FileOpLog.open(dir, Logs.options(), store).close();
        assertEquals(Versioned.tombstone(new Timestamp(9, 2)), store.get(key));
    }

    @Test
    void commitCallbacksRunAndCloseIsClean() throws Exception {
        List<Integer> done = new ArrayList<>();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options().withFsync(FsyncPolicy.EVERYSEC), new Store())) {
            for (int i = 0; i < 100; i++) {
                log.append(Op.SET, Key.of("k" + i), new Timestamp(i + 1, 1), new byte[10]);
                int n = i;
                log.commit(() -> {
                    synchronized (done) {
                        done.add(n);
                    }
                });
            }
        }
        synchronized (done) {
            assertEquals(100, done.size());
            for (int i = 0; i < 100; i++) assertEquals(i, done.get(i), "callbacks run in commit order");
        }
        assertEquals(100, Logs.replay(dir, Logs.options()).report().recordsReplayed());
    }
}
