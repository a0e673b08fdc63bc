package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.RecordCodec;
import memdb.oplog.format.RecordPayload;
import memdb.oplog.format.SegmentHeader;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose CRC matches but whose value is not its op's payload (found by OpLogFuzzTest: a COUNTER
 * record with a negative slot field escaped replay as a bare ProtocolException, with no file or offset, and
 * force-recover could not get past it). It is damage at its offset: a clear error, dropped by force-recover.
 */
class RecordPayloadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"COUNTER, COUNTER record", "COUNTER_SLOT, COUNTER_SLOT record of 3 bytes", "PAXOS_ACCEPT, PAXOS_ACCEPT record of 3 bytes",
            "CLUSTER, CLUSTER record", "HINT, HINT record"})
    void aValueThatIsNotItsOpsPayloadIsDamageAtItsOffset(Op op, String reason) throws Exception {
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        try (FileOpLog log = FileOpLog.open(dir, Logs.options(), r -> {})) {
            log.append(op, Key.of("bad"), new Timestamp(5, 1), garbage);
            log.append(Op.SET, Key.of("good"), new Timestamp(6, 1), new byte[] {1});
        }
        LogCorruptionException e = assertThrows(LogCorruptionException.class,
                () -> FileOpLog.open(dir, Logs.options(), new OpLogFuzzTest.Boot()).close());
        assertEquals(SegmentHeader.BYTES, e.offset(), e::getMessage);
        assertTrue(e.reason().contains(reason), e::getMessage);

        OpLogFuzzTest.Boot recovered = new OpLogFuzzTest.Boot();
        try (FileOpLog log = FileOpLog.open(dir, Logs.options().withForceRecover(true), recovered)) {
            assertEquals(1, log.replayReport().dropped().size());
            assertEquals(RecordCodec.frameBytes(3, garbage.length), log.replayReport().dropped().get(0).bytes());
        }
        assertEquals(1, recovered.contents().size(), "the good record is kept");
        OpLogFuzzTest.check(dir, false); // and the rewritten log opens cleanly, with the same store
    }

    private static final byte[] GARBAGE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    @ParameterizedTest
    @EnumSource(value = Op.class, names = {"SET", "DELETE", "CLOCK", "PAXOS_PROMISE"})
    void opsWithoutAPayloadTakeAnyValue(Op op) {
        assertNull(RecordPayload.defect(op, GARBAGE));
    }

    @ParameterizedTest
    @EnumSource(value = Op.class, mode = EnumSource.Mode.EXCLUDE, names = {"SET", "DELETE", "CLOCK", "PAXOS_PROMISE"})
    void everyOtherOpChecksItsPayload(Op op) {
        assertNotNull(RecordPayload.defect(op, GARBAGE), op::name);
    }
}
