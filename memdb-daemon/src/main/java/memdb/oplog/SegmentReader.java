package memdb.oplog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import memdb.oplog.format.BlockCodec;
import memdb.oplog.format.CorruptDataException;
import memdb.oplog.format.FrameScanner;
import memdb.oplog.format.FrameScanner.Dropped;
import memdb.oplog.format.Frame;
import memdb.oplog.format.SegmentHeader;

/**
 * Reads one segment file and hands its records to a sink: a log segment (bare frames, memory-mapped) or a
 * snapshot (blocks, read one at a time). Offsets in results and exceptions are file offsets.
 *
 * <p>Invariants: nothing is written; damage raises {@link LogCorruptionException} unless forceRecover,
 * and then every dropped byte range is in the result; only a segment read with {@code tailMayBeTorn}
 * can end in a torn tail. A snapshot is written whole before it is renamed into place, so it never can.
 */
final class SegmentReader {
    /** Log segments are mapped whole; the writer rotates well before this. */
    static final long LOG_SEGMENT_BYTES_MAX = Integer.MAX_VALUE;

    private SegmentReader() {}

    record FileResult(Path file, SegmentHeader header, long bytes, long records, Dropped tornTail, List<Dropped> dropped) {}

    static FileResult read(Path file, boolean tailMayBeTorn, boolean forceRecover, Frame.Sink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            SegmentHeader header = SegmentHeader.decode(readAt(channel, 0, (int) Math.min(size, SegmentHeader.BYTES)), 0);
            if (header.blocks()) return readBlocks(file, channel, size, header, forceRecover, sink);
            if (size > LOG_SEGMENT_BYTES_MAX) throw new IOException(file + ": log segment larger than " + LOG_SEGMENT_BYTES_MAX);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            FrameScanner.Result r = FrameScanner.scanFrames(map, SegmentHeader.BYTES, (int) size, tailMayBeTorn, forceRecover, sink);
            return new FileResult(file, header, size, r.records(), r.tornTail(), r.dropped());
        } catch (CorruptDataException e) {
            throw new LogCorruptionException(file, e.offset(), e.reason());
        }
    }

    private static FileResult readBlocks(Path file, FileChannel channel, long size, SegmentHeader header,
                                         boolean forceRecover, Frame.Sink sink) throws IOException, CorruptDataException {
        List<Dropped> dropped = new ArrayList<>();
        BlockBuffers buffers = new BlockBuffers();
        long records = 0;
        long pos = SegmentHeader.BYTES;
        while (pos < size) {
            try {
                BlockCodec.Prefix prefix = readPrefix(channel, pos, size);
                records += readBlock(channel, pos, prefix, header.compressed(), forceRecover, sink, dropped, buffers);
                pos += BlockCodec.PREFIX_BYTES + prefix.storedLength();
            } catch (CorruptDataException e) {
                if (!forceRecover) throw e;
                long next = nextBlockAfterDamage(channel, pos, size);
                dropped.add(new Dropped(pos, next - pos, e.reason()));
                pos = next;
            }
        }
        return new FileResult(file, header, size, records, null, dropped);
    }

    /**
     * The direct buffers a snapshot's blocks are read and decompressed into, reused block after block (a frame is
     * valid only during its sink's call, so nothing refers to a block once the next is read); grown when a block
     * needs more.
     */
    private static final class BlockBuffers {
        ByteBuffer stored;
        ByteBuffer raw;

        ByteBuffer stored(int length) {
            if (stored == null || stored.capacity() < length) stored = ByteBuffer.allocateDirect(Math.max(length, BlockCodec.RAW_BYTES_MAX));
            return stored.clear().limit(length);
        }
    }

    /** The prefix of the block at {@code pos}, once its stored bytes are known to lie within the file. */
    private static BlockCodec.Prefix readPrefix(FileChannel channel, long pos, long size) throws IOException, CorruptDataException {
        if (size - pos < BlockCodec.PREFIX_BYTES) throw new CorruptDataException(pos, "block prefix cut short");
        BlockCodec.Prefix prefix = BlockCodec.Prefix.decode(readAt(channel, pos, BlockCodec.PREFIX_BYTES), pos);
        if (size - pos - BlockCodec.PREFIX_BYTES < prefix.storedLength()) throw new CorruptDataException(pos, "block cut short");
        return prefix;
    }

    /** Reads and scans the block at {@code pos}; returns its record count. Frame damage inside is offset by the block. */
    private static long readBlock(FileChannel channel, long pos, BlockCodec.Prefix prefix, boolean compressed, boolean forceRecover,
                                  Frame.Sink sink, List<Dropped> dropped, BlockBuffers buffers) throws IOException, CorruptDataException {
        ByteBuffer stored = readFully(channel, pos + BlockCodec.PREFIX_BYTES, buffers.stored(prefix.storedLength()));
        ByteBuffer raw = BlockCodec.decode(prefix, stored, buffers.raw, compressed, pos);
        if (compressed) buffers.raw = raw;
        try {
            FrameScanner.Result r = FrameScanner.scanFrames(raw, 0, prefix.rawLength(), false, forceRecover, sink);
            for (Dropped d : r.dropped()) dropped.add(new Dropped(pos, 0, d.reason() + " at offset " + d.offset() + " inside the block"));
            return r.records();
        } catch (CorruptDataException e) {
            throw new CorruptDataException(pos, e.reason() + " at offset " + e.offset() + " inside the block");
        }
    }

    /** Skips a damaged block when its prefix is still believable; otherwise the rest of the file is lost. */
    private static long nextBlockAfterDamage(FileChannel channel, long pos, long size) throws IOException {
        if (size - pos < BlockCodec.PREFIX_BYTES) return size;
        try {
            BlockCodec.Prefix prefix = BlockCodec.Prefix.decode(readAt(channel, pos, BlockCodec.PREFIX_BYTES), pos);
            long next = pos + BlockCodec.PREFIX_BYTES + prefix.storedLength();
            return next <= size ? next : size;
        } catch (CorruptDataException e) {
            return size;
        }
    }

    private static ByteBuffer readAt(FileChannel channel, long pos, int length) throws IOException {
        return readFully(channel, pos, ByteBuffer.allocate(length)).flip();
    }

    /** Fills {@code buffer} (position to limit) from the file at {@code pos}; returns it. */
    private static ByteBuffer readFully(FileChannel channel, long pos, ByteBuffer buffer) throws IOException {
        int start = buffer.position();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, pos + buffer.position() - start) < 0) throw new IOException("unexpected end of file");
        }
        return buffer;
    }
}
