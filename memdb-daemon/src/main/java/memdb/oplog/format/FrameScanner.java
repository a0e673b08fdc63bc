package memdb.oplog.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks a run of record frames and tells a torn tail from mid-file damage (docs/oplog.md, "Recovery").
 *
 * <p>Rule: at the first position that is not a valid frame, look for any valid frame further on
 * ("resync"). None, and the run may end torn (the live segment): the bytes from there are a torn tail — a
 * write cut short by a crash — and are dropped and reported. Otherwise it is damage in the middle: an
 * exception naming the offset, or, with {@code forceRecover}, the bytes up to the next valid frame are
 * dropped and reported, and the walk continues. Pure: reports offsets in the buffer's own coordinates.
 *
 * <p>Invariants: every record handed to the sink passed its CRC; records are handed over in order; the
 * dropped ranges and the torn tail together cover exactly the bytes that yielded no record.
 */
public final class FrameScanner {
    private FrameScanner() {}

    /** Bytes skipped: [offset, offset + bytes), and why. */
    public record Dropped(long offset, long bytes, String reason) {}

    /** The outcome: the torn tail (or null), the dropped ranges (only with forceRecover), the records seen. */
    public record Result(Dropped tornTail, List<Dropped> dropped, long records) {}

    public static Result scan(ByteBuffer buf, int start, int end, boolean tailMayBeTorn, boolean forceRecover,
                              Consumer<LogRecord> sink) throws CorruptDataException {
        return scanFrames(buf, start, end, tailMayBeTorn, forceRecover, Frame.Sink.of(sink));
    }

    /** As {@link #scan}, handing each record over in place ({@link Frame}: one instance, reused). */
    public static Result scanFrames(ByteBuffer buf, int start, int end, boolean tailMayBeTorn, boolean forceRecover,
                                    Frame.Sink sink) throws CorruptDataException {
        List<Dropped> dropped = new ArrayList<>();
        long records = 0;
        int pos = start;
        Frame frame = new Frame();
        while (pos < end) {
            RecordCodec.Decoded decoded = RecordCodec.decodeInto(buf, pos, end, frame);
            if (decoded == null) {
                sink.accept(frame);
                records++;
                pos = frame.nextPosition();
                continue;
            }
            String reason = reason(decoded);
            boolean torn = tailMayBeTorn && looksTorn(decoded, buf, pos, end);
            int next = torn || forceRecover ? resync(buf, pos + 1, end) : -1;
            if (torn && next < 0) return new Result(new Dropped(pos, end - pos, reason), dropped, records);
            if (!forceRecover) throw new CorruptDataException(pos, reason);
            int resume = next < 0 ? end : next;
            dropped.add(new Dropped(pos, resume - pos, reason));
            pos = resume;
        }
        return new Result(null, dropped, records);
    }

    private static String reason(RecordCodec.Decoded decoded) {
        if (decoded instanceof RecordCodec.Incomplete incomplete) return incomplete.reason();
        return ((RecordCodec.Damaged) decoded).reason();
    }

    /** A cut-short frame, a bad last frame, or zero fill (a file extended but never written) can be a torn write. */
    private static boolean looksTorn(RecordCodec.Decoded decoded, ByteBuffer buf, int pos, int end) {
        if (decoded instanceof RecordCodec.Incomplete) return true;
        if (((RecordCodec.Damaged) decoded).mayBeTorn()) return true;
        for (int i = pos; i < end; i++) {
            if (buf.get(i) != 0) return false;
        }
        return true;
    }

    /** The first position at or after {@code from} where a valid frame starts, or -1. */
    static int resync(ByteBuffer buf, int from, int end) {
        Frame scratch = new Frame();
        for (int p = from; p + RecordCodec.FRAME_PREFIX_BYTES <= end; p++) {
            if (RecordCodec.decodeInto(buf, p, end, scratch) == null) return p;
        }
        return -1;
    }
}
