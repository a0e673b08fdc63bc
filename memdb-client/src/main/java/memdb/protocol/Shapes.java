package memdb.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The field groups that several messages share (docs/protocol.md §5), written and read in one place so that
 * each message states only its own fields. A reader reads the group in wire order and hands its fields to
 * {@code make}: the message's constructor, or a lambda that reads the fields that follow and then builds
 * the message.
 */
final class Shapes {
    private Shapes() {}

    /** {@code consistency, key}: GET, DELETE, CONTAINS, COUNTER_GET; the start of SET, COUNTER_ADD, COUNTER_LEAD. */
    @FunctionalInterface
    interface TargetFields<T> {
        T make(Key key, Consistency consistency);
    }

    static void writeTarget(ByteBuf out, Consistency consistency, Key key) {
        out.writeByte(consistency.wireCode());
        Wire.writeKey(out, key);
    }

    static <T> T readTarget(ByteBuf in, TargetFields<T> make) {
        Consistency consistency = Consistency.fromWire(Wire.readUnsignedByte(in));
        return make.make(Wire.readKey(in), consistency);
    }

    /**
     * A Paxos proposal, {@code timestamp ballot, timestamp origin, blob value}: PAXOS_PROPOSE and PAXOS_COMMIT
     * (after the key), the accepted proposal of a promise and of an acceptor entry.
     */
    @FunctionalInterface
    interface ProposalFields<T> {
        T make(Timestamp ballot, Timestamp origin, byte[] value);
    }

    static void writeProposal(ByteBuf out, Timestamp ballot, Timestamp origin, byte[] value) {
        Wire.writeTimestamp(out, ballot);
        Wire.writeTimestamp(out, origin);
        Wire.writeBlob(out, value);
    }

    static <T> T readProposal(ByteBuf in, ProposalFields<T> make) {
        Timestamp ballot = Wire.readTimestamp(in);
        Timestamp origin = Wire.readTimestamp(in);
        return make.make(ballot, origin, Wire.readBlob(in));
    }

    /** A ring range, {@code u64 start, u64 end}: the keys at positions in (start, end]; start = end is the whole ring. */
    static void writeRange(ByteBuf out, long start, long end) {
        out.writeLong(start);
        out.writeLong(end);
    }

    /**
     * A range and a cursor, {@code u64 start, u64 end, blob after}: the range's keys that sort after {@code after}
     * (empty: from the first). STREAM_PULL, PAXOS_STATE_PULL, COUNTER_FETCH.
     */
    @FunctionalInterface
    interface RangeCursorFields<T> {
        T make(long start, long end, Key after);
    }

    static void writeRangeCursor(ByteBuf out, long start, long end, Key after) {
        writeRange(out, start, end);
        Wire.writeBlob(out, after.bytes());
    }

    static <T> T readRangeCursor(ByteBuf in, RangeCursorFields<T> make) {
        long start = Wire.readLong(in);
        long end = Wire.readLong(in);
        return make.make(start, end, Key.wrap(Wire.readBlob(in)));
    }
}
