package memdb.oplog.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

/** Compaction keeps a key's live Paxos acceptor state and drops what a stored version overtook (docs/cas.md). */
class CompactorPaxosTest {
    private static final byte[] NONE = new byte[0];
    private static final byte[] ACCEPT = memdb.paxos.AcceptorStates.acceptRecord(new Timestamp(4, 1), new byte[] {7});

    private static LogRecord record(long sequence, Op op, long lamport, String key, byte[] value) {
        return new LogRecord(sequence, op, new Timestamp(lamport, 1), 0, Key.of(key), value);
    }

    @Test
    void keepsTheNewestPromiseAndAcceptAboveTheStoredVersion() {
        Compactor compactor = new Compactor();
        compactor.add(record(1, Op.SET, 1, "live", new byte[] {1}));
        compactor.add(record(2, Op.PAXOS_PROMISE, 4, "live", NONE));
        compactor.add(record(3, Op.PAXOS_ACCEPT, 4, "live", ACCEPT));
        compactor.add(record(4, Op.PAXOS_PROMISE, 6, "live", NONE));
        compactor.add(record(5, Op.PAXOS_PROMISE, 2, "done", NONE));
        compactor.add(record(6, Op.PAXOS_ACCEPT, 2, "done", ACCEPT));
        compactor.add(record(7, Op.SET, 2, "done", new byte[] {7})); // its commit: the state is dead
        List<LogRecord> kept = compactor.result(0, -1);
        assertEquals(List.of(1L, 3L, 4L, 7L), kept.stream().map(LogRecord::sequence).toList());
    }
}
