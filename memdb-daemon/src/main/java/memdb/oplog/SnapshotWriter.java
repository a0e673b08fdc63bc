package memdb.oplog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import memdb.oplog.format.BlockCodec;
import memdb.oplog.format.LogRecord;
import memdb.oplog.format.RecordCodec;
import memdb.oplog.format.SegmentHeader;

/**
 * Writes a snapshot segment: header, then blocks of whole record frames (LZ4 or raw). The swap is
 * crash-safe: write {@code <target>.tmp}, fsync it, rename it over {@code <target>}, fsync the directory.
 *
 * <p>Invariants: the target name either does not exist or names a complete, fsynced snapshot;
 * {@link #measure} computes the exact size {@link #write} would produce, without touching the disk.
 */
final class SnapshotWriter {
    private SnapshotWriter() {}

    /** Where finished blocks go. */
    private interface BlockSink {
        void accept(byte[] bytes) throws IOException;
    }

    /** Writes the snapshot durably and returns its size in bytes, stepping {@code pacer} once per record encoded. */
    static long write(Path target, SegmentHeader header, List<LogRecord> records, Pacer pacer) throws IOException {
        Path tmp = LogDirectory.tmpPath(target);
        long bytes;
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            bytes = encode(header, records, b -> LogDirectory.writeFully(channel, ByteBuffer.wrap(b)), pacer);
            channel.force(true);
        }
        LogDirectory.renameDurably(tmp, target);
        return bytes;
    }

    /** The size {@link #write} would produce. */
    static long measure(SegmentHeader header, List<LogRecord> records) {
        try {
            return encode(header, records, b -> {}, Pacer.none());
        } catch (IOException e) {
            throw new IllegalStateException("a counting sink does no I/O", e);
        }
    }

    private static long encode(SegmentHeader header, List<LogRecord> records, BlockSink sink, Pacer pacer) throws IOException {
        boolean compress = header.compressed();
        byte[] headerBytes = header.encode();
        sink.accept(headerBytes);
        long total = headerBytes.length;
        byte[] raw = new byte[BlockCodec.RAW_BYTES_MAX];
        int used = 0;
        for (LogRecord r : records) {
            pacer.step();
            int frame = RecordCodec.frameBytes(r);
            if (used > 0 && used + frame > raw.length) {
                total += emit(sink, raw, used, compress);
                used = 0;
            }
            if (frame > raw.length) {
                total += emit(sink, RecordCodec.encode(r), frame, compress);
                continue;
            }
            used += RecordCodec.encode(r, raw, used);
        }
        if (used > 0) total += emit(sink, raw, used, compress);
        return total;
    }

    private static int emit(BlockSink sink, byte[] raw, int length, boolean compress) throws IOException {
        byte[] block = BlockCodec.encode(raw, length, compress);
        sink.accept(block);
        return block.length;
    }
}
