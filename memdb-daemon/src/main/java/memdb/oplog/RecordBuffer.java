package memdb.oplog;

import java.nio.ByteBuffer;
import java.util.Arrays;
import memdb.oplog.format.LogRecord;
import memdb.oplog.format.RecordCodec;

/**
 * Encoded frames waiting to be written, with the highest sequence and lamport time among them.
 * Not thread-safe: {@link CommitQueue} hands it from the core thread to the writer thread under its lock.
 */
final class RecordBuffer {
    private byte[] bytes = new byte[64 << 10];
    private int size;
    private long sequenceHigh;
    private long lamportHigh;

    void add(LogRecord record) {
        RecordCodec.checkLimits(record);
        int frame = RecordCodec.frameBytes(record);
        if (bytes.length - size < frame) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + frame));
        size += RecordCodec.encode(record, bytes, size);
        sequenceHigh = Math.max(sequenceHigh, record.sequence());
        lamportHigh = Math.max(lamportHigh, record.timestamp().lamport());
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
