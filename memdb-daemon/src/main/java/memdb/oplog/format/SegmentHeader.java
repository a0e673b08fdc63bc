package memdb.oplog.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 48-byte header that opens every segment file (docs/oplog.md, "Segment header").
 *
 * <pre>
 *   0  4  magic "MDBL"          4  1  format version (1)     5  1  flags      6  2  reserved (0)
 *   8  8  generation           16  8  created (epoch ms)     24  8  sequence floor
 *  32  8  lamport floor         40  4  reserved (0)           44  4  crc32c of bytes 0..43
 * </pre>
 *
 * <p>Invariants: every sequence number and lamport time issued before the file was created is at or below
 * its floors, so replay can continue numbering and restart the clock above them even when compaction
 * dropped the records that carried the highest values. The header CRC covers every other header byte.
 */
public record SegmentHeader(int flags, long generation, long createdMillis, long sequenceFloor, long lamportFloor) {
    public static final int BYTES = 48;
    public static final int MAGIC = 0x4D44424C; // "MDBL"
    public static final int VERSION = 1;
    /** The body is a sequence of blocks (a snapshot written by compaction), not bare record frames. */
    public static final int FLAG_BLOCKS = 1;
    /** The blocks are LZ4-compressed. Only with {@link #FLAG_BLOCKS}. */
    public static final int FLAG_LZ4 = 2;
    private static final int FLAGS_KNOWN = FLAG_BLOCKS | FLAG_LZ4;

    public SegmentHeader {
        if ((flags & ~FLAGS_KNOWN) != 0) throw new IllegalArgumentException("unknown flags " + flags);
        if ((flags & FLAG_LZ4) != 0 && (flags & FLAG_BLOCKS) == 0) throw new IllegalArgumentException("LZ4 needs blocks");
    }

    public boolean blocks() {
        return (flags & FLAG_BLOCKS) != 0;
    }

    public boolean compressed() {
        return (flags & FLAG_LZ4) != 0;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) flags).putShort((short) 0);
        b.putLong(generation).putLong(createdMillis).putLong(sequenceFloor).putLong(lamportFloor).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, BYTES - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Decodes the header at absolute position {@code pos}; the buffer must hold {@link #BYTES} bytes there. */
    public static SegmentHeader decode(ByteBuffer buf, int pos) throws CorruptDataException {
        if (buf.limit() - pos < BYTES) throw new CorruptDataException(pos, "file shorter than its " + BYTES + "-byte header");
        if (buf.getInt(pos) != MAGIC) throw new CorruptDataException(pos, "not an op-log segment (bad magic)");
        int version = buf.get(pos + 4) & 0xFF;
        if (version != VERSION) throw new CorruptDataException(pos + 4, "unsupported format version " + version);
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(pos, BYTES - 4));
        if ((int) crc.getValue() != buf.getInt(pos + BYTES - 4)) throw new CorruptDataException(pos, "header CRC32C mismatch");
        int flags = buf.get(pos + 5) & 0xFF;
        if ((flags & ~FLAGS_KNOWN) != 0) throw new CorruptDataException(pos + 5, "unknown header flags " + flags);
        try {
            return new SegmentHeader(flags, buf.getLong(pos + 8), buf.getLong(pos + 16), buf.getLong(pos + 24), buf.getLong(pos + 32));
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(pos + 5, e.getMessage());
        }
    }
}
