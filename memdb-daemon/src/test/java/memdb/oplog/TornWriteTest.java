package memdb.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import memdb.oplog.format.RecordCodec;
import memdb.oplog.format.SegmentHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash mid-append (cut the file anywhere) and damage in the middle (flip bytes). Seeded; seeds printed. */
class TornWriteTest {
    private static final long SEED = 20261126L;

    @TempDir
    Path tmp;

    private Path original;
    private History history;
    private final List<Long> frameEnds = new ArrayList<>();

    private void writeOriginal(int records) throws Exception {
        history = History.random(SEED, records, 30);
        original = tmp.resolve("original");
        Logs.write(original, history, Logs.keepTombstones());
        long end = SegmentHeader.BYTES;
        for (var r : history.records) frameEnds.add(end += RecordCodec.frameBytes(r));
        assertEquals(end, Files.size(Logs.onlyLog(original)));
    }

    private int recordsBefore(long cut) {
        int n = 0;
        while (n < frameEnds.size() && frameEnds.get(n) <= cut) n++;
        return n;
    }

    @Test
    void replayRecoversExactlyTheRecordsBeforeAnyCut() throws Exception {
        writeOriginal(300);
        Random random = new Random(SEED);
        long size = frameEnds.get(frameEnds.size() - 1);
        for (int trial = 0; trial < 60; trial++) {
            long cut = SegmentHeader.BYTES + (long) (random.nextDouble() * (size - SegmentHeader.BYTES + 1));
            Path dir = tmp.resolve("cut" + trial);
            Logs.copyDir(original, dir);
            try (FileChannel ch = FileChannel.open(Logs.onlyLog(dir), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            String where = "seed " + SEED + " trial " + trial + " cut at " + cut;
            int expected = recordsBefore(cut);
            Logs.Replayed replayed = Logs.replay(dir, Logs.keepTombstones());
            assertEquals(history.expectedAfter(expected), replayed.state(), where);
            assertEquals(expected, replayed.report().recordsReplayed(), where);
            long boundary = expected == 0 ? SegmentHeader.BYTES : frameEnds.get(expected - 1);
            if (boundary == cut) {
                assertNull(replayed.report().tornTail(), where);
            } else {
                ReplayReport.Damage torn = replayed.report().tornTail();
                assertNotNull(torn, where);
                assertEquals(boundary, torn.offset(), where);
                assertEquals(cut - boundary, torn.bytes(), where);
                assertTrue(replayed.report().lines().get(1).contains("torn tail truncated"), where);
                assertEquals(boundary, Files.size(Logs.onlyLog(dir)), "the torn tail is cut off the file, " + where);
            }
            // the cut is repaired: the next boot is clean and sees the same state
            Logs.Replayed again = Logs.replay(dir, Logs.keepTombstones());
            assertNull(again.report().tornTail(), where);
            assertEquals(replayed.state(), again.state(), where);
        }
    }

    @Test
    void damageInTheMiddleRefusesWithFileAndOffsetUnlessForced() throws Exception {
        writeOriginal(200);
        Random random = new Random(SEED + 1);
        for (int trial = 0; trial < 25; trial++) {
            int victim = random.nextInt(frameEnds.size() - 1); // never the last record: that would be a torn tail
            long start = victim == 0 ? SegmentHeader.BYTES : frameEnds.get(victim - 1);
            long offset = start + random.nextInt((int) (frameEnds.get(victim) - start));
            Path dir = tmp.resolve("flip" + trial);
            Logs.copyDir(original, dir);
            Path file = Logs.onlyLog(dir);
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) offset] ^= (byte) (1 + random.nextInt(255));
            Files.write(file, bytes);
            String where = "seed " + (SEED + 1) + " trial " + trial + " flipped byte " + offset + " of record " + victim;

            LogCorruptionException e = assertThrows(LogCorruptionException.class, () -> Logs.replay(dir, Logs.keepTombstones()), where);
            assertEquals(file, e.file(), where);
            assertEquals(start, e.offset(), where);
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset " + start), e.getMessage());
            assertTrue(e.getMessage().contains("--force-recover"), e.getMessage());

            OpLogOptions forced = Logs.keepTombstones().withForceRecover(true);
            Logs.Replayed recovered = Logs.replay(dir, forced);
            assertEquals(frameEnds.size() - 1, recovered.report().recordsReplayed(), where);
            ReplayReport.Damage dropped = recovered.report().dropped().get(0);
            assertEquals(start, dropped.offset(), where);
            assertEquals(frameEnds.get(victim) - start, dropped.bytes(), where);
            List<memdb.oplog.format.LogRecord> kept = new ArrayList<>(history.records);
            kept.remove(victim);
            assertEquals(expectedOf(kept), recovered.state(), where);
            // force-recover rewrote the log: a normal boot now works and sees the same
            assertEquals(recovered.state(), Logs.replay(dir, Logs.keepTombstones()).state(), where);
        }
    }

    private static java.util.Map<String, memdb.store.Versioned> expectedOf(List<memdb.oplog.format.LogRecord> records) {
        History h = new History();
        h.records.addAll(records);
        return h.expected();
    }
}
