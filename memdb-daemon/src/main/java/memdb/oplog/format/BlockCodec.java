package memdb.oplog.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The blocks of a snapshot segment (docs/oplog.md, "Snapshot blocks"): each block holds whole record
 * frames, stored raw or LZ4-compressed (lz4-java block format), behind a 12-byte prefix.
 *
 * <pre>  u32 storedLength | u32 rawLength | u32 crc32c(stored bytes) | stored bytes </pre>
 *
 * <p>Invariants: a block never splits a frame; {@code rawLength <= RAW_BYTES_MAX} unless the block holds a
 * single larger frame; the CRC is checked before decompression, so damaged input never reaches LZ4.
 */
public final class BlockCodec {
    public static final int PREFIX_BYTES = 12;
    /** Target raw size of a block; a single larger record gets a block of its own. */
    public static final int RAW_BYTES_MAX = 256 << 10;
    /** Largest block a reader accepts: one maximal record, compressed worst case. */
    public static final int STORED_BYTES_MAX = RecordCodec.BODY_BYTES_MAX + (RecordCodec.BODY_BYTES_MAX >>> 7) + 1024;

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    private BlockCodec() {}

    /** Encodes {@code raw[0, length)} as one block, compressed or not. */
    public static byte[] encode(byte[] raw, int length, boolean compress) {
        byte[] stored;
        int storedLength;
        if (compress) {
            LZ4Compressor compressor = LZ4.fastCompressor();
            stored = new byte[compressor.maxCompressedLength(length)];
            storedLength = compressor.compress(raw, 0, length, stored, 0, stored.length);
        } else {
            stored = raw;
            storedLength = length;
        }
        ByteBuffer block = ByteBuffer.allocate(PREFIX_BYTES + storedLength);
        CRC32C crc = new CRC32C();
        crc.update(stored, 0, storedLength);
        block.putInt(storedLength).putInt(length).putInt((int) crc.getValue()).put(stored, 0, storedLength);
        return block.array();
    }

    /** Reads a block prefix: the stored and raw lengths, validated against the limits. */
    public record Prefix(int storedLength, int rawLength, int crc) {
        public static Prefix decode(ByteBuffer prefix, long offset) throws CorruptDataException {
            long stored = Integer.toUnsignedLong(prefix.getInt(0));
            long raw = Integer.toUnsignedLong(prefix.getInt(4));
            if (stored > STORED_BYTES_MAX || raw > RecordCodec.BODY_BYTES_MAX + RecordCodec.FRAME_PREFIX_BYTES + RAW_BYTES_MAX) {
                throw new CorruptDataException(offset, "implausible block lengths " + stored + "/" + raw);
            }
            return new Prefix((int) stored, (int) raw, prefix.getInt(8));
        }
    }

    /**
     * Checks the CRC of a block's stored bytes ({@code stored}[0, storedLength)) and returns a buffer holding its
     * raw frames at [0, rawLength): {@code stored} itself for a raw block, else {@code rawScratch} when it has room,
     * else a new direct buffer, which the caller keeps as the scratch of the next block. Reading a snapshot then
     * allocates nothing per block, and its frames lie in direct memory as a mapped log's do.
     */
    public static ByteBuffer decode(Prefix prefix, ByteBuffer stored, ByteBuffer rawScratch, boolean compressed, long offset)
            throws CorruptDataException {
        CRC32C crc = new CRC32C();
        crc.update(stored.clear().limit(prefix.storedLength()));
        stored.clear();
        if ((int) crc.getValue() != prefix.crc()) throw new CorruptDataException(offset, "block CRC32C mismatch");
        if (!compressed) {
            if (prefix.storedLength() != prefix.rawLength()) throw new CorruptDataException(offset, "raw block lengths disagree");
            return stored;
        }
        ByteBuffer raw = rawScratch != null && rawScratch.capacity() >= prefix.rawLength() ? rawScratch
                : ByteBuffer.allocateDirect(prefix.rawLength());
        raw.clear();
        LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
        try {
            int n = decompressor.decompress(stored, 0, prefix.storedLength(), raw, 0, prefix.rawLength());
            if (n != prefix.rawLength()) throw new CorruptDataException(offset, "block decompressed to " + n + " bytes, not " + prefix.rawLength());
        } catch (net.jpountz.lz4.LZ4Exception e) {
            throw new CorruptDataException(offset, "block does not decompress: " + e.getMessage());
        }
        return raw;
    }
}
