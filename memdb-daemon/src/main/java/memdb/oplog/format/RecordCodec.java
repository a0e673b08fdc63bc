package memdb.oplog.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * Encodes and decodes one framed record (docs/oplog.md, "Record"). Pure: no I/O, no clocks.
 *
 * <pre>
 *   u32 bodyLength | u32 crc32c(bodyLength bytes ++ body) | body
 *   body = u64 sequence | u8 op | u64 lamport | u16 nodeId | u64 wallMillis
 *        | u16 keyLength | key | u32 valueLength | value            (all big-endian)
 * </pre>
 *
 * <p>Invariants: {@link #decode} never throws on any input; it returns a {@link Decoded} that says whether
 * the frame is complete, valid, or damaged. A valid frame's fields are internally consistent
 * (lengths add up, known op, DELETE without value, lamport non-negative, a payload its op can carry:
 * {@link RecordPayload}).
 */
public final class RecordCodec {
    /** Frame prefix: body length + CRC. */
    public static final int FRAME_PREFIX_BYTES = 8;
    /** Body bytes besides the key and value. */
    public static final int BODY_FIXED_BYTES = 8 + 1 + 8 + 2 + 8 + 2 + 4;
    /** Format limits: larger values are rejected by the writer and read as damage. */
    public static final int KEY_BYTES_MAX = 0xFFFF;
    public static final int VALUE_BYTES_MAX = 64 << 20;
    public static final int BODY_BYTES_MAX = BODY_FIXED_BYTES + KEY_BYTES_MAX + VALUE_BYTES_MAX;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private RecordCodec() {}

    /** Bytes of the whole frame of a record with this key and value. */
    public static int frameBytes(int keyBytes, int valueBytes) {
        return FRAME_PREFIX_BYTES + BODY_FIXED_BYTES + keyBytes + valueBytes;
    }

    public static int frameBytes(LogRecord record) {
        return frameBytes(record.key().length(), record.value().length);
    }

    /** Throws IllegalArgumentException when the record breaks the format's limits (a caller's bug: limits are checked upstream). */
    public static void checkLimits(LogRecord r) {
        checkLimits(r.key().length(), r.value().length);
    }

    private static void checkLimits(int keyBytes, int valueBytes) {
        if (keyBytes > KEY_BYTES_MAX) throw new IllegalArgumentException("key longer than " + KEY_BYTES_MAX + " bytes");
        if (valueBytes > VALUE_BYTES_MAX) throw new IllegalArgumentException("value longer than " + VALUE_BYTES_MAX + " bytes");
    }

    /** Writes the frame at {@code offset} of {@code target} (which must have room) and returns its length. */
    public static int encode(LogRecord r, byte[] target, int offset) {
        return encode(r.sequence(), r.op(), r.timestamp(), r.wallMillis(), r.key(), r.value(), target, offset, new CRC32C());
    }

    /**
     * Writes the frame of a record given by its fields at {@code offset} of {@code target} (which must have
     * room) and returns its length: the op log's append path, which makes no {@link LogRecord} (nor anything
     * else) per record. {@code crc} is the caller's, reset here. The fields are checked as a LogRecord's are.
     */
    public static int encode(long sequence, Op op, Timestamp timestamp, long wallMillis, Key key, byte[] value,
                             byte[] target, int offset, CRC32C crc) {
        LogRecord.checkFields(op, timestamp, key, value);
        byte[] keyBytes = key.bytes();
        checkLimits(keyBytes.length, value.length);
        int frame = frameBytes(keyBytes.length, value.length);
        int at = offset;
        INT.set(target, at, frame - FRAME_PREFIX_BYTES);
        at += 8; // the length, and room for the CRC
        LONG.set(target, at, sequence);
        target[at + 8] = (byte) op.code();
        LONG.set(target, at + 9, timestamp.lamport());
        SHORT.set(target, at + 17, (short) timestamp.nodeId());
        LONG.set(target, at + 19, wallMillis);
        SHORT.set(target, at + 27, (short) keyBytes.length);
        at += 29;
        System.arraycopy(keyBytes, 0, target, at, keyBytes.length);
        at += keyBytes.length;
        INT.set(target, at, value.length);
        System.arraycopy(value, 0, target, at + 4, value.length);
        crc.reset();
        crc.update(target, offset, 4);
        crc.update(target, offset + FRAME_PREFIX_BYTES, frame - FRAME_PREFIX_BYTES);
        INT.set(target, offset + 4, (int) crc.getValue());
        return frame;
    }

    public static byte[] encode(LogRecord r) {
        byte[] out = new byte[frameBytes(r)];
        encode(r, out, 0);
        return out;
    }

    /** What lies at a position: a record, an incomplete frame (cut by the end), or damage. */
    public sealed interface Decoded {}

    public record Valid(LogRecord record, int nextPosition) implements Decoded {}

    /** The frame would extend past {@code end}: what a write cut short by a crash looks like. */
    public record Incomplete(String reason) implements Decoded {}

    /**
     * A complete frame that is not a valid record. {@code mayBeTorn}: its CRC fails and it reaches exactly
     * {@code end}, as a last write cut short inside the file's allocated size can. A frame whose CRC
     * matches but whose fields are wrong (unknown op, ...) was written that way: never torn.
     */
    public record Damaged(String reason, boolean mayBeTorn) implements Decoded {}

    /**
     * Decodes the frame at absolute position {@code pos} of {@code buf}, reading no byte at or after {@code end}.
     * The cheap length checks come before the CRC, so scanning garbage for the next frame stays fast.
     */
    public static Decoded decode(ByteBuffer buf, int pos, int end) {
        Frame frame = new Frame();
        Decoded fault = decodeInto(buf, pos, end, frame);
        return fault != null ? fault : new Valid(frame.toRecord(), frame.nextPosition());
    }

    /**
     * Checks the frame at {@code pos} exactly as {@link #decode} does, without copying it: when it is valid,
     * fills {@code frame} (fields decoded, key and value left in {@code buf}) and returns null; otherwise
     * returns the {@link Incomplete} or {@link Damaged} that {@link #decode} would.
     */
    public static Decoded decodeInto(ByteBuffer buf, int pos, int end, Frame frame) {
        if (end - pos < FRAME_PREFIX_BYTES) return new Incomplete("frame prefix cut short");
        long bodyLength = Integer.toUnsignedLong(buf.getInt(pos));
        if (bodyLength < BODY_FIXED_BYTES || bodyLength > BODY_BYTES_MAX) {
            return new Damaged("implausible record length " + bodyLength, false);
        }
        long frameEnd = pos + FRAME_PREFIX_BYTES + bodyLength;
        if (frameEnd > end) return new Incomplete("record of " + bodyLength + " bytes cut short");
        boolean atLimit = frameEnd == end;
        int body = pos + FRAME_PREFIX_BYTES;
        int keyLength = buf.getShort(body + 27) & 0xFFFF;
        if (BODY_FIXED_BYTES + keyLength > bodyLength) return new Damaged("key length exceeds record", atLimit);
        long valueLength = Integer.toUnsignedLong(buf.getInt(body + 29 + keyLength));
        if (BODY_FIXED_BYTES + keyLength + valueLength != bodyLength) return new Damaged("field lengths disagree", atLimit);
        if (crc(buf, pos, (int) bodyLength, frame) != buf.getInt(pos + 4)) return new Damaged("CRC32C mismatch", atLimit);
        return decodeBody(buf, body, keyLength, (int) valueLength, frame);
    }

    /** The frame's CRC32C (length prefix and body), with the frame's reusable checksum and view of {@code buf}. */
    private static int crc(ByteBuffer buf, int pos, int bodyLength, Frame frame) {
        CRC32C crc = frame.crc;
        crc.reset();
        ByteBuffer view = frame.crcView(buf);
        view.clear().position(pos).limit(pos + 4);
        crc.update(view);
        view.clear().position(pos + FRAME_PREFIX_BYTES).limit(pos + FRAME_PREFIX_BYTES + bodyLength);
        crc.update(view);
        return (int) crc.getValue();
    }

    /** The CRC matched: any fault left was written that way (a newer format, a bug), never torn. */
    private static Decoded decodeBody(ByteBuffer buf, int body, int keyLength, int valueLength, Frame frame) {
        long sequence = buf.getLong(body);
        int opCode = buf.get(body + 8) & 0xFF;
        Op op = Op.fromCode(opCode);
        long lamport = buf.getLong(body + 9);
        int nodeId = buf.getShort(body + 17) & 0xFFFF;
        long wallMillis = buf.getLong(body + 19);
        if (op == null) return new Damaged("unknown op code " + opCode, false);
        if (lamport < 0) return new Damaged("negative lamport time", false);
        if (op == Op.DELETE && valueLength != 0) return new Damaged("DELETE record with a value", false);
        frame.buf = buf;
        frame.sequence = sequence;
        frame.op = op;
        frame.lamport = lamport;
        frame.nodeId = nodeId;
        frame.wallMillis = wallMillis;
        frame.keyPosition = body + 29;
        frame.keyLength = keyLength;
        frame.valuePosition = body + 33 + keyLength;
        frame.valueLength = valueLength;
        frame.nextPosition = body + 33 + keyLength + valueLength;
        String defect = RecordPayload.defect(frame);
        return defect == null ? null : new Damaged(defect, false);
    }
}
