package memdb.oplog.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * One valid record frame read in place (replay's fast path, docs/oplog.md "Replay"): the fixed fields
 * decoded, the key and value left where they lie in the buffer, so that a sink can copy them straight
 * into its own layout (the store's flat entry) without a {@link LogRecord}, a {@link Key} and two arrays
 * per record on the way.
 *
 * <p>Invariants: only {@link RecordCodec#decodeInto} fills it, and only with a frame that passed every
 * check of {@link RecordCodec#decode} (CRC, lengths, op, DELETE without value, well-formed HINT). A
 * flyweight: the scanner reuses one instance for every frame of a run, so a sink must not keep it (or
 * its buffer positions) past its {@code accept}; {@link #toRecord()} copies what it needs.
 */
public final class Frame {
    /** Receives the frames of a run, in order; the frame is valid only during the call. */
    public interface Sink {
        void accept(Frame frame);

        /** A sink that takes whole records (every frame is copied into a {@link LogRecord}). */
        static Sink of(java.util.function.Consumer<LogRecord> records) {
            return frame -> records.accept(frame.toRecord());
        }
    }

    ByteBuffer buf;
    /** Scratch for the CRC check, reused for every frame of a run: no allocation per record. */
    final CRC32C crc = new CRC32C();
    private ByteBuffer crcSource;
    private ByteBuffer crcView;
    long sequence;
    Op op;
    long lamport;
    int nodeId;
    long wallMillis;
    int keyPosition;
    int keyLength;
    int valuePosition;
    int valueLength;
    int nextPosition;

    /** A view of {@code source} whose position and limit the CRC check may move (made once per buffer). */
    ByteBuffer crcView(ByteBuffer source) {
        if (crcSource != source) {
            crcSource = source;
            crcView = source.duplicate();
        }
        return crcView;
    }

    public long sequence() {
        return sequence;
    }

    public Op op() {
        return op;
    }

    public long lamport() {
        return lamport;
    }

    public int nodeId() {
        return nodeId;
    }

    public long wallMillis() {
        return wallMillis;
    }

    /** The buffer the key and value lie in (absolute positions; never modify it). */
    public ByteBuffer buffer() {
        return buf;
    }

    public int keyPosition() {
        return keyPosition;
    }

    public int keyLength() {
        return keyLength;
    }

    public int valuePosition() {
        return valuePosition;
    }

    public int valueLength() {
        return valueLength;
    }

    /** Where the next frame starts. */
    public int nextPosition() {
        return nextPosition;
    }

    /** A copy of the key. */
    public Key key() {
        return Key.wrap(copy(keyPosition, keyLength));
    }

    /** A copy of the value (empty for a DELETE). */
    public byte[] value() {
        return copy(valuePosition, valueLength);
    }

    public Timestamp timestamp() {
        return new Timestamp(lamport, nodeId);
    }

    /** The record this frame holds, copied out of the buffer. */
    public LogRecord toRecord() {
        return new LogRecord(sequence, op, timestamp(), wallMillis, key(), value());
    }

    private byte[] copy(int position, int length) {
        byte[] bytes = new byte[length];
        buf.get(position, bytes);
        return bytes;
    }
}
