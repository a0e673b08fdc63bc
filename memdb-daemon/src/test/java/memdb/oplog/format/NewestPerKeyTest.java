package memdb.oplog.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review 9 of e5f3ac8 (the flat newest-per-key table): the rule against a plain map where CompactorFrameTest does
 * not reach — entries larger than a chunk, values around the 1 MiB chunk size and up to 64 MiB, enough
 * entries for many chunks — and the memory an overwritten entry leaves behind.
 */
class NewestPerKeyTest {
    private static final long BASE_SEED = Long.getLong("memdb.seed", 909L);

    @Test
    void largeValuesAndManyChunksKeepWhatTheRuleKeeps() throws Exception {
        for (int c = 0; c < 12; c++) {
            long seed = BASE_SEED + c;
            Random random = new Random(seed);
            List<LogRecord> history = new ArrayList<>();
            int keySpace = 1 + random.nextInt(random.nextBoolean() ? 6 : 3_000);
            int records = 2_000 + random.nextInt(6_000);
            for (int i = 0; i < records; i++) {
                Key key = Key.of("key-" + random.nextInt(keySpace) + "-".repeat(random.nextInt(3) * 20));
                Timestamp ts = new Timestamp(random.nextInt(50), 1 + random.nextInt(3)); // equal timestamps are common
                if (random.nextInt(8) == 0) {
                    history.add(LogRecord.delete(i + 1, ts, i, key));
                } else {
                    byte[] value = new byte[valueLength(random)];
                    random.nextBytes(value);
                    history.add(new LogRecord(i + 1, Op.SET, ts, i, key, value));
                }
            }
            Compactor viaFrames = new Compactor();
            ByteBuffer frames = encode(history);
            FrameScanner.scanFrames(frames, 0, frames.limit(), false, false, viaFrames::add);
            assertSame(reference(history), viaFrames.result(0, -1), "seed " + seed);
        }
    }

    /** Mostly small; some around the chunk size (1 MiB), a few well above it. */
    private static int valueLength(Random random) {
        int pick = random.nextInt(200);
        if (pick == 0) return (2 << 20) + random.nextInt(1 << 20);
        if (pick < 3) return (1 << 20) - 100 + random.nextInt(200);
        if (pick < 20) return random.nextInt(64 << 10);
        return random.nextInt(200);
    }

    @Test
    void aSixtyFourMebibyteValueAmongSmallOnes() {
        Key big = Key.of("big");
        byte[] value = new byte[64 << 20];
        new Random(1).nextBytes(value);
        List<LogRecord> history = new ArrayList<>();
        history.add(new LogRecord(1, Op.SET, new Timestamp(1, 1), 0, Key.of("a"), new byte[] {1}));
        history.add(new LogRecord(2, Op.SET, new Timestamp(1, 1), 0, big, value));
        history.add(new LogRecord(3, Op.SET, new Timestamp(1, 1), 0, Key.of("b"), new byte[] {2}));
        history.add(new LogRecord(4, Op.SET, new Timestamp(2, 1), 0, Key.of("a"), new byte[300]));
        history.add(new LogRecord(5, Op.SET, new Timestamp(1, 1), 0, big, new byte[] {3})); // not newer
        Compactor compactor = new Compactor();
        history.forEach(compactor::add);
        assertSame(reference(history), compactor.result(0, -1), "64 MiB");
    }

    /**
     * A value that grows a little with each overwrite (a list, a document, a string appended to): each larger
     * value gets a new entry and the old one "stays behind, unnamed" until the compaction ends. The old table
     * (e5f3ac8^) replaced the slot's array and the old one was garbage: it held one value per key. Here 4,000
     * overwrites of one key, growing by one byte up to 4 KB, hold 8 MB of chunks: the memory follows the
     * bytes read, not the distinct keys (docs: "the memory used follows the distinct keys").
     */
    @Test
    void aGrowingValueDoesNotLeaveAnEntryBehindPerOverwrite() throws Exception {
        NewestPerKey table = new NewestPerKey();
        Key key = Key.of("growing");
        int overwrites = 4_000;
        for (int i = 1; i <= overwrites; i++) {
            table.offer(new LogRecord(i, Op.SET, new Timestamp(i, 1), 0, key, new byte[i]));
        }
        assertEquals(1, table.size());
        assertEquals(overwrites, table.toRecord(table.find(key.bytes())).value().length);
        long chunkBytes = table.chunkBytes();
        assertTrue(chunkBytes < 64 * overwrites, "one key with a 4 KB value holds " + chunkBytes + " bytes of chunks");
    }

    /**
     * G1 allocates an array of half a region or more as a humongous object, in whole regions of its own, straight
     * into the old generation, where no young collection copies it. A full chunk is sized to fill exactly one region,
     * header included: humongous (never copied: 256 KiB chunks copied once each made young pauses of 127-155 ms under
     * churn, session 10), and never spilling into a second region (review 9: a byte[1 MiB] in 1 MiB regions took two).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 32})
    void underG1AFullChunkIsAHumongousObjectOfExactlyOneRegion(int regionMebibytes) {
        long region = (long) regionMebibytes << 20;
        int arrayHeaderBytes = 16;
        long objectBytes = (NewestPerKey.chunkBytesMax(region) + arrayHeaderBytes + 7) & ~7L;
        assertTrue(objectBytes <= region, objectBytes + " bytes do not fit a region of " + region);
        assertTrue(objectBytes >= region / 2, objectBytes + " bytes are not humongous in regions of " + region);
    }

    /** Chunks double from 4 KiB, and skip the sizes of half a region or more below a full one (humongous, half empty). */
    @ParameterizedTest
    @ValueSource(ints = {256 << 10, (1 << 20) - 64, (4 << 20) - 64, (32 << 20) - 64})
    void chunksDoubleAndNeverTakeAHalfEmptyRegion(int maxBytes) {
        int previous = 0;
        for (int step = 0; step < 30 && previous < maxBytes; step++) {
            int next = NewestPerKey.nextChunkBytes(previous, 48, maxBytes);
            assertTrue(next > previous && next <= maxBytes, next + " after " + previous);
            assertTrue(next == maxBytes || next < maxBytes / 2, next + " bytes: half a region or more, not full");
            assertTrue(previous == 0 || next == maxBytes || next == 2 * previous, next + " after " + previous);
            previous = next;
        }
        assertEquals(maxBytes, previous);
        assertEquals(maxBytes, NewestPerKey.nextChunkBytes(0, maxBytes, maxBytes), "an entry of a full chunk");
    }

    @Test
    void underAnotherCollectorChunksStayAt256KiB() {
        assertEquals(256 << 10, NewestPerKey.chunkBytesMax(0));
    }

    private static void assertSame(List<LogRecord> expected, List<LogRecord> actual, String message) {
        assertEquals(expected.size(), actual.size(), message);
        for (int i = 0; i < expected.size(); i++) {
            LogRecord e = expected.get(i);
            LogRecord a = actual.get(i);
            assertEquals(e.sequence(), a.sequence(), message);
            assertEquals(e.op(), a.op(), message);
            assertEquals(e.timestamp(), a.timestamp(), message);
            assertEquals(e.wallMillis(), a.wallMillis(), message);
            assertEquals(e.key(), a.key(), message);
            assertArrayEquals(e.value(), a.value(), message + " at sequence " + e.sequence());
        }
    }

    /** The plain rule: per key, the first record of the newest timestamp; in sequence order. */
    private static List<LogRecord> reference(List<LogRecord> history) {
        Map<Key, LogRecord> data = new HashMap<>();
        for (LogRecord r : history) data.merge(r.key(), r, (held, incoming) -> incoming.timestamp().isAfter(held.timestamp()) ? incoming : held);
        List<LogRecord> kept = new ArrayList<>(data.values());
        kept.sort(Comparator.comparingLong(LogRecord::sequence));
        return kept;
    }

    private static ByteBuffer encode(List<LogRecord> records) {
        ByteBuffer out = ByteBuffer.allocate(records.stream().mapToInt(RecordCodec::frameBytes).sum());
        records.forEach(r -> out.put(RecordCodec.encode(r)));
        return out.flip();
    }
}
