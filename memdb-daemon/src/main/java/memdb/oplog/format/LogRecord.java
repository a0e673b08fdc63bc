package memdb.oplog.format;

import java.util.Arrays;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * One op-log record as it is stored (docs/oplog.md, "Record").
 *
 * <p>Invariants: a DELETE carries an empty value; {@code wallMillis} is the wall-clock time of the core-thread
 * batch that appended the record (read once a batch), used only for ages: tombstones against tombstone-grace and
 * the repair horizon, hints against their expiry (ordering always uses {@code timestamp}).
 */
public record LogRecord(long sequence, Op op, Timestamp timestamp, long wallMillis, Key key, byte[] value) {
    private static final byte[] EMPTY = new byte[0];

    public LogRecord {
        checkFields(op, timestamp, key, value);
    }

    /** This record's invariants on loose fields: RecordCodec's append path encodes records without making one. */
    static void checkFields(Op op, Timestamp timestamp, Key key, byte[] value) {
        if (op == null || timestamp == null || key == null || value == null) throw new NullPointerException("record field");
        if (op == Op.DELETE && value.length != 0) throw new IllegalArgumentException("a DELETE record has no value");
    }

    public static LogRecord delete(long sequence, Timestamp timestamp, long wallMillis, Key key) {
        return new LogRecord(sequence, Op.DELETE, timestamp, wallMillis, key, EMPTY);
    }

    public boolean isTombstone() {
        return op == Op.DELETE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && sequence == r.sequence && op == r.op && wallMillis == r.wallMillis
                && timestamp.equals(r.timestamp) && key.equals(r.key) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + key.hashCode();
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + op + " " + key + " @" + timestamp + " [" + value.length + " bytes]";
    }
}
