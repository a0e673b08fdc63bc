package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import memdb.oplog.format.BlockCodec;
import memdb.oplog.format.SegmentHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage inside a compacted snapshot: never a torn tail; force-recover loses only the damaged block. */
class SnapshotDamageTest {
    @TempDir
    Path tmp;

    @Test
    void aDamagedBlockRefusesAndForceRecoverDropsOnlyThatBlock() throws Exception {
        for (boolean compress : new boolean[] {true, false}) {
            Path dir = tmp.resolve("snap-" + compress);
            History history = History.random(5, 12_000, 6_000); // ~6,000 live keys: several 256 KiB blocks
            Logs.write(dir, history, Logs.keepTombstones());
            Compaction.offline(dir, null, compress, false, Duration.ofDays(100_000), () -> 0L);
            Path snapshot = LogDirectory.snapshotPath(dir, 1);
            byte[] bytes = Files.readAllBytes(snapshot);
            long firstBlockEnd = SegmentHeader.BYTES + BlockCodec.PREFIX_BYTES
                    + Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt(SegmentHeader.BYTES));
            assertTrue(firstBlockEnd < bytes.length, "more than one block");
            bytes[(int) firstBlockEnd + BlockCodec.PREFIX_BYTES + 5] ^= 0x55; // inside the second block's data
            Files.write(snapshot, bytes);

            LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> Logs.replay(dir, Logs.keepTombstones()));
            assertEquals(snapshot, e.file());
            assertEquals(firstBlockEnd, e.offset(), e.getMessage());

            Logs.Replayed recovered = Logs.replay(dir, Logs.keepTombstones().withForceRecover(true));
            ReplayReport.Damage dropped = recovered.report().dropped().get(0);
            assertEquals(firstBlockEnd, dropped.offset());
            var expected = history.expected();
            long live = expected.size();
            assertTrue(recovered.state().size() < live && recovered.state().size() > live / 2,
                    recovered.state().size() + " of " + live + " keys kept");
            recovered.state().forEach((k, v) -> assertEquals(expected.get(k), v, "every kept key is intact"));
            assertEquals(recovered.state(), Logs.replay(dir, Logs.keepTombstones()).state(), "rewritten: a normal boot works");
        }
    }

    @Test
    void aDamagedHeaderNamesTheFile() throws Exception {
        Path dir = tmp.resolve("header");
        Logs.write(dir, History.random(6, 10, 5), Logs.keepTombstones());
        Path log = Logs.onlyLog(dir);
        byte[] bytes = Files.readAllBytes(log);
        bytes[20] ^= 1;
        Files.write(log, bytes);
        LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> Logs.replay(dir, Logs.keepTombstones()));
        assertEquals(log, e.file());
        assertTrue(e.getMessage().contains("header CRC32C mismatch"), e.getMessage());
    }
}
