package memdb.oplog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import memdb.oplog.format.BlockCodec;
import memdb.oplog.format.RecordCodec;
import memdb.oplog.format.SegmentHeader;

/**
 * Test support for {@code OpLogFuzzTest}: a data directory packed into one byte string, so that a fuzzer
 * can mutate real segment files, and unpacked again, optionally with its checksums made right so that the
 * mutations reach past the CRCs into the record payloads and the LZ4 blocks.
 *
 * <pre>
 *   image = u8 options | file*          options bit 0: force-recover
 *   file  = u8 name | u8 mode | u24 length | length bytes      (the last file may be cut short: it takes the rest)
 *   name  = bit 7: snapshot, else log; bits 0..6: generation
 *   mode  = 0: bytes as they are
 *           1: fix the checksums in place: the header's, then every frame's (a log) or every block's (a snapshot)
 *           2: build: fix the header's; the body is a run of frames (their CRCs fixed), and for a snapshot it is
 *              wrapped into one block, LZ4-compressed when the header's flags say so
 * </pre>
 *
 * Every byte string unpacks to some directory (names repeat: the later file wins), so no input is wasted.
 */
final class LogImage {
    static final int FORCE_RECOVER = 1;

    private LogImage() {}

    /** One file of an image. */
    record File(boolean snapshot, int generation, int mode, byte[] bytes) {
        String name() {
            return (snapshot ? LogDirectory.snapshotPath(Path.of(""), generation) : LogDirectory.logPath(Path.of(""), generation)).toString();
        }
    }

    record Image(int options, List<File> files) {
        boolean forceRecover() {
            return (options & FORCE_RECOVER) != 0;
        }
    }

    static Image unpack(byte[] image) {
        if (image.length == 0) return new Image(0, List.of());
        ByteBuffer in = ByteBuffer.wrap(image);
        int options = in.get() & 0xFF;
        List<File> files = new ArrayList<>();
        while (in.remaining() >= 2) {
            int name = in.get() & 0xFF;
            int mode = (in.get() & 0xFF) % 3;
            int length = in.remaining() >= 3 ? (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | in.get() & 0xFF : in.remaining();
            byte[] bytes = new byte[Math.min(length, in.remaining())];
            in.get(bytes);
            files.add(new File((name & 0x80) != 0, name & 0x7F, mode, bytes));
        }
        return new Image(options, files);
    }

    static byte[] pack(int options, List<File> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(options);
        for (File f : files) {
            out.write((f.snapshot() ? 0x80 : 0) | f.generation());
            out.write(f.mode());
            out.write(f.bytes().length >>> 16);
            out.write(f.bytes().length >>> 8);
            out.write(f.bytes().length);
            out.writeBytes(f.bytes());
        }
        return out.toByteArray();
    }

    /** Packs the segment files of a real data directory (mode 0: as they are). */
    static byte[] packDirectory(Path dir, int options) throws IOException {
        List<File> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".seg")) continue;
                int generation = Integer.parseInt(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
                files.add(new File(name.startsWith("snapshot"), generation, 0, Files.readAllBytes(p)));
            }
        }
        return pack(options, files);
    }

    /** Writes the files into {@code dir}, in order, with their checksums fixed as their mode says. */
    static void writeTo(Image image, Path dir) throws IOException {
        for (File f : image.files()) Files.write(dir.resolve(f.name()), materialize(f));
    }

    static byte[] materialize(File f) {
        byte[] bytes = f.bytes().clone();
        if (f.mode() == 0 || bytes.length < SegmentHeader.BYTES) return bytes;
        fixHeader(bytes);
        int flags = bytes[5] & 0xFF;
        boolean blocks = (flags & SegmentHeader.FLAG_BLOCKS) != 0;
        if (f.mode() == 2) {
            fixFrames(bytes, SegmentHeader.BYTES, bytes.length);
            if (!blocks) return bytes;
            byte[] block = BlockCodec.encode(Arrays.copyOfRange(bytes, SegmentHeader.BYTES, bytes.length),
                    bytes.length - SegmentHeader.BYTES, (flags & SegmentHeader.FLAG_LZ4) != 0);
            byte[] out = Arrays.copyOf(bytes, SegmentHeader.BYTES + block.length);
            System.arraycopy(block, 0, out, SegmentHeader.BYTES, block.length);
            return out;
        }
        if (blocks) {
            fixBlocks(bytes);
        } else {
            fixFrames(bytes, SegmentHeader.BYTES, bytes.length);
        }
        return bytes;
    }

    private static void fixHeader(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, SegmentHeader.BYTES - 4);
        ByteBuffer.wrap(bytes).putInt(SegmentHeader.BYTES - 4, (int) crc.getValue());
    }

    /** Makes each frame's CRC match its bytes, walking by the length fields as far as they stay inside. */
    private static void fixFrames(byte[] bytes, int from, int end) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int pos = from;
        while (end - pos >= RecordCodec.FRAME_PREFIX_BYTES) {
            long body = Integer.toUnsignedLong(b.getInt(pos));
            if (body > end - pos - RecordCodec.FRAME_PREFIX_BYTES) return;
            CRC32C crc = new CRC32C();
            crc.update(bytes, pos, 4);
            crc.update(bytes, pos + RecordCodec.FRAME_PREFIX_BYTES, (int) body);
            b.putInt(pos + 4, (int) crc.getValue());
            pos += RecordCodec.FRAME_PREFIX_BYTES + (int) body;
        }
    }

    /** Makes each block's CRC match its stored bytes (the frames inside an uncompressed block too). */
    private static void fixBlocks(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int pos = SegmentHeader.BYTES;
        boolean compressed = (bytes[5] & SegmentHeader.FLAG_LZ4) != 0;
        while (bytes.length - pos >= BlockCodec.PREFIX_BYTES) {
            long stored = Integer.toUnsignedLong(b.getInt(pos));
            int start = pos + BlockCodec.PREFIX_BYTES;
            if (stored > bytes.length - start) return;
            if (!compressed) fixFrames(bytes, start, start + (int) stored);
            CRC32C crc = new CRC32C();
            crc.update(bytes, start, (int) stored);
            b.putInt(pos + 8, (int) crc.getValue());
            pos = start + (int) stored;
        }
    }
}
