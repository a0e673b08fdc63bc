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
 * open-addressing table with linear probing of mutable slots (their hashes in an int array beside them),
 * searched with the frame's key copied into one scratch array, so that a record that replaces the held one
 * only copies its fields, and its value into the slot's array when that is large enough. Reading a log of
 * overwrites allocates nothing per record; the memory used follows the distinct keys, and
 * {@link Slot#toRecord} makes records only of what is kept.
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
        long sequence;
        /** {@link Op#code()}: an overwrite stores only primitives into the slot. */
        int opCode;
        long lamport;
        int nodeId;
        long wallMillis;
        byte[] value = EMPTY;
        int valueLength;

        private Slot(byte[] key) {
            this.key = key;
        }

        Timestamp timestamp() {
            return new Timestamp(lamport, nodeId);
        }

        boolean isTombstone() {
            return opCode == Op.DELETE.code();
        }

        /** The held record, copied out (its own copy of the value: the slot's array is overwritten by newer records). */
        LogRecord toRecord() {
            return new LogRecord(sequence, Op.fromCode(opCode), timestamp(), wallMillis, Key.wrap(key),
                    Arrays.copyOf(value, valueLength));
        }
    }

    /** The key of the frame being offered, copied out of its buffer. */
    private byte[] scratch = new byte[64];
    private Slot[] slots = new Slot[CAPACITY_MIN];
    /** Each slot's key hash beside it, so that a probe compares ints and touches a slot only on a match. */
    private int[] hashes = new int[CAPACITY_MIN];
    private int size;

    /** Offers the record of a frame: kept when it is the first of its key or newer than the held one. */
    void offer(Frame f) {
        if (scratch.length < f.keyLength) scratch = new byte[Math.max(f.keyLength, scratch.length * 2)];
        f.buf.get(f.keyPosition, scratch, 0, f.keyLength); // one bulk copy: hashed and compared on the heap
        offer(scratch, f.keyLength, f.buf, f.valuePosition, f.valueLength, f.sequence, f.op, f.lamport, f.nodeId, f.wallMillis);
    }

    /** Offers a whole record: the same rule as for a frame. */
    void offer(LogRecord r) {
        byte[] key = r.key().bytes();
        offer(key, key.length, ByteBuffer.wrap(r.value()), 0, r.value().length,
                r.sequence(), r.op(), r.timestamp().lamport(), r.timestamp().nodeId(), r.wallMillis());
    }

    /** {@code key[0, keyLength)} is the key; a new slot takes a copy of it. */
    private void offer(byte[] key, int keyLength, ByteBuffer valueSource, int valuePosition, int valueLength,
                       long sequence, Op op, long lamport, int nodeId, long wallMillis) {
        int hash = hash(key, keyLength);
        int i = find(key, keyLength, hash);
        Slot slot = slots[i];
        if (slot == null) {
            slot = new Slot(Arrays.copyOf(key, keyLength));
            slots[i] = slot;
            hashes[i] = hash;
            if (++size * 4L > slots.length * 3L) grow();
        } else if (lamport < slot.lamport || (lamport == slot.lamport && nodeId <= slot.nodeId)) {
            return;
        }
        slot.sequence = sequence;
        slot.opCode = op.code();
        slot.lamport = lamport;
        slot.nodeId = nodeId;
        slot.wallMillis = wallMillis;
        if (slot.value.length < valueLength) slot.value = new byte[valueLength];
        valueSource.get(valuePosition, slot.value, 0, valueLength);
        slot.valueLength = valueLength;
    }

    /** The slot of {@code key}, or null when no record of it was offered. */
    Slot get(byte[] key) {
        return slots[find(key, key.length, hash(key, key.length))];
    }

    /** The index of the slot holding {@code key[0, length)}, or of the empty slot where it would go. */
    private int find(byte[] key, int length, int hash) {
        int mask = slots.length - 1;
        int i = spread(hash) & mask;
        while (slots[i] != null && !(hashes[i] == hash && Arrays.equals(slots[i].key, 0, slots[i].key.length, key, 0, length))) {
            i = (i + 1) & mask;
        }
        return i;
    }

    int size() {
        return size;
    }

    void forEach(Consumer<Slot> action) {
        for (Slot slot : slots) if (slot != null) action.accept(slot);
    }

    private void grow() {
        Slot[] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new Slot[oldSlots.length * 2];
        hashes = new int[slots.length];
        int mask = slots.length - 1;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] == null) continue;
            int i = spread(oldHashes[j]) & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = oldSlots[j];
            hashes[i] = oldHashes[j];
        }
    }

    /** A hash of {@code key[0, length)}, eight bytes at a time. */
    private static int hash(byte[] key, int length) {
        long h = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) h = (h ^ (long) LONG.get(key, i)) * 0x9E3779B97F4A7C15L;
        for (; i < length; i++) h = (h ^ (key[i] & 0xFF)) * 0x9E3779B97F4A7C15L;
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
}
