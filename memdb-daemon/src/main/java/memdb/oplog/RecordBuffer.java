package memdb.oplog;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import memdb.oplog.OpLog.Op;
import memdb.oplog.format.RecordCodec;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * Encoded frames waiting to be written, with the highest sequence and lamport time among them.
 * Not thread-safe: {@link CommitQueue} hands it from the core thread to the writer thread under its lock.
 */
final class RecordBuffer {
    private byte[] bytes = new byte[64 << 10];
    private int size;
    private long sequenceHigh;
    private long lamportHigh;
    private final CRC32C crc = new CRC32C();

    /** Encodes one record, given by its fields (nothing is allocated for it but room, now and then). */
    void add(long sequence, Op op, Timestamp timestamp, long wallMillis, Key key, byte[] value) {
        int frame = RecordCodec.frameBytes(key.length(), value.length);
        if (bytes.length - size < frame) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + frame));
        size += RecordCodec.encode(sequence, op, timestamp, wallMillis, key, value, bytes, size, crc);
        sequenceHigh = Math.max(sequenceHigh, sequence);
        lamportHigh = Math.max(lamportHigh, timestamp.lamport());
    }

    int size() {
        return size;
    }

    long sequenceHigh() {
        return sequenceHigh;
    }

    long lamportHigh() {
        return lamportHigh;
    }

    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    void clear() {
        size = 0;
        sequenceHigh = 0;
        lamportHigh = 0;
    }
}
