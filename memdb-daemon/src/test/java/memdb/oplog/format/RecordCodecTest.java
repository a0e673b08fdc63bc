package memdb.oplog.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private static LogRecord set(long seq, String key, int valueBytes) {
        byte[] value = new byte[valueBytes];
        new Random(seq).nextBytes(value);
        return new LogRecord(seq, Op.SET, new Timestamp(seq * 7, 65535), 123456789L, Key.of(key), value);
    }

    @Test
    void roundTripsEveryField() {
        List<LogRecord> records = List.of(set(1, "a", 0), set(Long.MAX_VALUE, "ключ", 1000),
                LogRecord.delete(3, new Timestamp(Long.MAX_VALUE, 1), -5, Key.of("gone")));
        for (LogRecord r : records) {
            byte[] frame = RecordCodec.encode(r);
            assertEquals(RecordCodec.frameBytes(r), frame.length);
            RecordCodec.Decoded d = RecordCodec.decode(ByteBuffer.wrap(frame), 0, frame.length);
            RecordCodec.Valid valid = assertInstanceOf(RecordCodec.Valid.class, d);
            assertEquals(r, valid.record());
            assertEquals(frame.length, valid.nextPosition());
        }
    }

    @Test
    void everyCutIsIncompleteAndEveryBitFlipIsDamage() {
        byte[] frame = RecordCodec.encode(set(9, "key", 20));
        for (int cut = 0; cut < frame.length; cut++) {
            assertInstanceOf(RecordCodec.Incomplete.class, RecordCodec.decode(ByteBuffer.wrap(frame), 0, cut), "cut " + cut);
        }
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] copy = frame.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            RecordCodec.Decoded d = RecordCodec.decode(ByteBuffer.wrap(copy), 0, copy.length);
            assertTrue(!(d instanceof RecordCodec.Valid), "bit " + bit + " went unnoticed");
        }
    }

    @Test
    void headerRoundTripsAndRejectsDamage() throws Exception {
        SegmentHeader h = new SegmentHeader(SegmentHeader.FLAG_BLOCKS | SegmentHeader.FLAG_LZ4, 42, 1700000000000L, 99, 1234);
        byte[] bytes = h.encode();
        assertEquals(SegmentHeader.BYTES, bytes.length);
        assertEquals(h, SegmentHeader.decode(ByteBuffer.wrap(bytes), 0));
        bytes[9] ^= 1;
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> SegmentHeader.decode(ByteBuffer.wrap(bytes), 0));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        byte[] future = h.encode();
        future[4] = 2;
        e = assertThrows(CorruptDataException.class, () -> SegmentHeader.decode(ByteBuffer.wrap(future), 0));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void blocksRoundTripCompressedAndRaw() throws Exception {
        byte[] raw = new byte[5000];
        for (int i = 0; i < raw.length; i++) raw[i] = (byte) (i % 7);
        for (boolean compress : new boolean[] {true, false}) {
            byte[] block = BlockCodec.encode(raw, raw.length, compress);
            ByteBuffer b = ByteBuffer.wrap(block);
            BlockCodec.Prefix prefix = BlockCodec.Prefix.decode(b, 0);
            ByteBuffer stored = ByteBuffer.allocateDirect(block.length).put(block, BlockCodec.PREFIX_BYTES, block.length - BlockCodec.PREFIX_BYTES);
            ByteBuffer tooSmall = ByteBuffer.allocateDirect(16);
            ByteBuffer decoded = BlockCodec.decode(prefix, stored, tooSmall, compress, 0);
            byte[] frames = new byte[raw.length];
            decoded.get(0, frames);
            assertEquals(java.util.Arrays.toString(raw), java.util.Arrays.toString(frames));
            if (compress) {
                assertTrue(block.length < raw.length / 4, "compressible input shrinks");
                assertTrue(decoded != tooSmall, "a scratch without room is replaced");
                assertTrue(BlockCodec.decode(prefix, stored, decoded, compress, 0) == decoded, "a scratch with room is reused");
            }
            stored.put(stored.capacity() / 2, (byte) (stored.get(stored.capacity() / 2) ^ 1));
            assertThrows(CorruptDataException.class, () -> BlockCodec.decode(prefix, stored, decoded, compress, 0));
        }
    }

    /** Every cut of a run of frames: the scanner keeps exactly the whole frames before the cut. */
    @Test
    void scannerKeepsExactlyTheFramesBeforeAnyCut() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        ByteBuffer run = ByteBuffer.allocate(4096);
        List<Integer> ends = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            LogRecord r = i % 4 == 0 ? LogRecord.delete(i, new Timestamp(i, 2), 0, Key.of("k" + i)) : set(i, "k" + i, i * 3);
            records.add(r);
            run.put(RecordCodec.encode(r));
            ends.add(run.position());
        }
        int length = run.position();
        for (int cut = 0; cut <= length; cut++) {
            List<LogRecord> seen = new ArrayList<>();
            FrameScanner.Result result = FrameScanner.scan(run, 0, cut, true, false, seen::add);
            int whole = 0;
            while (whole < ends.size() && ends.get(whole) <= cut) whole++;
            assertEquals(records.subList(0, whole), seen, "cut at " + cut);
            int boundary = whole == 0 ? 0 : ends.get(whole - 1);
            assertEquals(boundary == cut, result.tornTail() == null, "torn tail reported iff cut mid-frame, cut " + cut);
            if (result.tornTail() != null) assertEquals(boundary, result.tornTail().offset());
        }
    }

    /** Replay's in-place path: each frame's fields and bytes are the record's, in a direct buffer at an offset. */
    @Test
    void framesReadInPlaceHoldTheRecords() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        ByteBuffer run = ByteBuffer.allocateDirect(4096);
        run.position(5);
        for (int i = 1; i <= 12; i++) {
            LogRecord r = i % 4 == 0 ? LogRecord.delete(i, new Timestamp(i, 2), 0, Key.of("k" + i)) : set(i, "k" + i, i * 3);
            records.add(r);
            run.put(RecordCodec.encode(r));
        }
        List<LogRecord> seen = new ArrayList<>();
        List<Frame> instances = new ArrayList<>();
        FrameScanner.scanFrames(run, 5, run.position(), false, false, f -> {
            byte[] key = new byte[f.keyLength()];
            f.buffer().get(f.keyPosition(), key);
            byte[] value = new byte[f.valueLength()];
            f.buffer().get(f.valuePosition(), value);
            seen.add(new LogRecord(f.sequence(), f.op(), new Timestamp(f.lamport(), f.nodeId()), f.wallMillis(), Key.wrap(key), value));
            assertEquals(seen.get(seen.size() - 1), f.toRecord());
            if (!instances.contains(f)) instances.add(f);
        });
        assertEquals(records, seen);
        assertEquals(1, instances.size(), "one frame instance, reused");
    }

    /** Replay's hot loop: checking and reading frames in place allocates nothing per record (no checksum, no slices). */
    @Test
    void scanningFramesInPlaceAllocatesNothingPerRecord() throws Exception {
        int count = 20_000;
        ByteBuffer run = ByteBuffer.allocateDirect(count * RecordCodec.frameBytes(11, 100));
        for (int i = 0; i < count; i++) run.put(RecordCodec.encode(set(i + 1, String.format("key:%07d", i), 100)));
        long[] lamports = new long[1];
        Frame.Sink sink = f -> lamports[0] += f.lamport() + f.op().code() + f.keyLength() + f.valueLength();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocatedBefore = 0;
        for (int round = 1; round <= 30; round++) {
            if (round == 11) allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            assertEquals(count, FrameScanner.scanFrames(run, 0, run.position(), false, false, sink).records());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated to scan 400,000 frames");
        assertTrue(lamports[0] > 0);
    }

    /** A frame from a newer format (unknown op, CRC fine) at the very end is refused, never cut as torn. */
    @Test
    void aValidCrcWithAnUnknownOpIsDamageEvenAtTheEnd() {
        byte[] first = RecordCodec.encode(set(1, "a", 3));
        byte[] second = RecordCodec.encode(set(2, "b", 3));
        second[16] = (byte) 200; // op code (unassigned)
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(second, 0, 4);
        crc.update(second, 8, second.length - 8);
        ByteBuffer.wrap(second).putInt(4, (int) crc.getValue());
        ByteBuffer run = ByteBuffer.allocate(first.length + second.length).put(first).put(second);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> FrameScanner.scan(run, 0, run.capacity(), true, false, r -> {}));
        assertEquals(first.length, e.offset());
        assertTrue(e.reason().contains("unknown op code 200"), e.reason());
    }
}
