package memdb.oplog.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import memdb.oplog.OpLog.Op;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The newest record of each key among those a compaction offers (one table per kind of record, see
 * {@link Compactor}). Built for the compactor's common case, a key overwritten again and again: an
 * open-addressing table with linear probing of mutable slots, searched with the key where it lies (in the
 * frame's buffer), so that a record that replaces the held one only copies its fields, and its value into
 * the slot's array when that is large enough. Reading a log of overwrites allocates nothing per record; the
 * memory used follows the distinct keys, and {@link Slot#toRecord} makes records only of what is kept.
 *
 * <p>Invariants: one slot per distinct key bytes; a slot holds the fields of the newest record offered for
 * its key by timestamp (lamport, then node id, as {@link Timestamp#isAfter}); a record whose timestamp is
 * not after the held one changes nothing (the first offered of equal timestamps stays, as with
 * {@code Map.merge}); the table is at most three-quarters full. Not thread-safe.
 */
final class NewestPerKey {
    private static final int CAPACITY_MIN = 16;
    private static final byte[] EMPTY = new byte[0];
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The newest record of one key, its value in {@code value[0, valueLength)}. */
    static final class Slot {
        final byte[] key;
        final int hash;
        long sequence;
        Op op;
        long lamport;
        int nodeId;
        long wallMillis;
        byte[] value = EMPTY;
        int valueLength;

        private Slot(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }

        Timestamp timestamp() {
            return new Timestamp(lamport, nodeId);
        }

        boolean isTombstone() {
            return op == Op.DELETE;
        }

        /** The held record, copied out (the value trimmed to its length). */
        LogRecord toRecord() {
            byte[] exact = value.length == valueLength ? value : Arrays.copyOf(value, valueLength);
            return new LogRecord(sequence, op, timestamp(), wallMillis, Key.wrap(key), exact);
        }
    }

    private Slot[] slots = new Slot[CAPACITY_MIN];
    private int size;

    /** Offers the record of a frame: kept when it is the first of its key or newer than the held one. */
    void offer(Frame f) {
        offer(f.buf, f.keyPosition, f.keyLength, f.buf, f.valuePosition, f.valueLength,
                f.sequence, f.op, f.lamport, f.nodeId, f.wallMillis);
    }

    /** Offers a whole record: the same rule as for a frame. */
    void offer(LogRecord r) {
        byte[] key = r.key().bytes();
        offer(ByteBuffer.wrap(key), 0, key.length, ByteBuffer.wrap(r.value()), 0, r.value().length,
                r.sequence(), r.op(), r.timestamp().lamport(), r.timestamp().nodeId(), r.wallMillis());
    }

    private void offer(ByteBuffer keySource, int keyPosition, int keyLength, ByteBuffer valueSource, int valuePosition,
                       int valueLength, long sequence, Op op, long lamport, int nodeId, long wallMillis) {
        int hash = hash(keySource, keyPosition, keyLength);
        int mask = slots.length - 1;
        int i = spread(hash) & mask;
        Slot slot;
        while ((slot = slots[i]) != null) {
            if (slot.hash == hash && sameKey(slot.key, keySource, keyPosition, keyLength)) break;
            i = (i + 1) & mask;
        }
        if (slot == null) {
            byte[] key = new byte[keyLength];
            keySource.get(keyPosition, key);
            slot = new Slot(key, hash);
            slots[i] = slot;
            if (++size * 4L > slots.length * 3L) grow();
        } else if (lamport < slot.lamport || (lamport == slot.lamport && nodeId <= slot.nodeId)) {
            return;
        }
        slot.sequence = sequence;
        slot.op = op;
        slot.lamport = lamport;
        slot.nodeId = nodeId;
        slot.wallMillis = wallMillis;
        if (slot.value.length < valueLength) slot.value = new byte[valueLength];
        valueSource.get(valuePosition, slot.value, 0, valueLength);
        slot.valueLength = valueLength;
    }

    /** The slot of {@code key}, or null when no record of it was offered. */
    Slot get(Key key) {
        byte[] bytes = key.bytes();
        int hash = hash(ByteBuffer.wrap(bytes), 0, bytes.length);
        int mask = slots.length - 1;
        for (int i = spread(hash) & mask; slots[i] != null; i = (i + 1) & mask) {
            Slot slot = slots[i];
            if (slot.hash == hash && Arrays.equals(slot.key, bytes)) return slot;
        }
        return null;
    }

    int size() {
        return size;
    }

    void forEach(Consumer<Slot> action) {
        for (Slot slot : slots) if (slot != null) action.accept(slot);
    }

    private void grow() {
        Slot[] old = slots;
        slots = new Slot[old.length * 2];
        int mask = slots.length - 1;
        for (Slot slot : old) {
            if (slot == null) continue;
            int i = spread(slot.hash) & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = slot;
        }
    }

    /**
     * A hash of the key's bytes in place, eight at a time (a frame's buffer is big-endian, as the record
     * format: docs/oplog.md; {@link #get} hashes a key's array through a big-endian wrap, so both agree).
     */
    private static int hash(ByteBuffer source, int position, int length) {
        long h = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) h = (h ^ source.getLong(position + i)) * 0x9E3779B97F4A7C15L;
        for (; i < length; i++) h = (h ^ (source.get(position + i) & 0xFF)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Murmur3's finalizer, so that the low bits the table uses depend on every bit of the hash. */
    private static int spread(int hash) {
        int h = hash ^ (hash >>> 16);
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    private static boolean sameKey(byte[] key, ByteBuffer source, int position, int length) {
        if (key.length != length) return false;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if ((long) LONG.get(key, i) != source.getLong(position + i)) return false;
        }
        for (; i < length; i++) if (key[i] != source.get(position + i)) return false;
        return true;
    }
}
