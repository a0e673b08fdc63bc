package memdb.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The flat encoding of one stored entry inside a slab ({@link Store}): a header, the key and the value,
 * back to back, so that a key costs no heap object at all (issue 8: bytes per key).
 *
 * <pre>
 *   offset  size  field
 *        0     1  kind: 0 VALUE, 1 TOMBSTONE, 2 DEAD (freed space a walk of the slab skips)
 *        1     8  lamport (u64)
 *        9     2  nodeId (u16)
 *       11     2  keyLength (u16, 1..1024)
 *       13     4  valueLength (u32; 0 for a tombstone)
 *       17     k  key bytes
 *     17+k     v  value bytes
 *            pad  zero to seven bytes, so that the next entry starts on a multiple of 8
 * </pre>
 * A DEAD entry keeps its lengths, so its size is still known. Little-endian, in memory only (never
 * written out); fields are read unaligned with the slab's absolute accessors (slabs are direct buffers in
 * little-endian order, {@link Slabs}). Pure and stateless: every method takes the slab and the entry's
 * offset in it.
 */
final class EntryLayout {
    static final int KIND = 0;
    static final int LAMPORT = 1;
    static final int NODE_ID = 9;
    static final int KEY_LENGTH = 11;
    static final int VALUE_LENGTH = 13;
    static final int KEY = 17;
    /** Bytes of an entry besides its key, value and padding. */
    static final int HEADER_BYTES = KEY;
    static final byte DEAD = 2;
    /** Entries start on multiples of this (the table stores offsets divided by it). */
    static final int ALIGNMENT = 8;

    /** Reads a key given as an array eight bytes at a time, in the slabs' order, to compare it with a stored one. */
    private static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final Versioned.Kind[] KINDS = Versioned.Kind.values();

    private EntryLayout() {}

    /** Bytes an entry of these lengths takes in a shared slab, padding included (long: a value may be ~2 GiB). */
    static long alignedBytes(int keyLength, int valueLength) {
        return align((long) HEADER_BYTES + keyLength + valueLength);
    }

    /** Bytes of the header and key, padded: what staging a large entry takes in a shared slab. */
    static int alignedHeaderAndKeyBytes(int keyLength) {
        return (int) align(HEADER_BYTES + keyLength);
    }

    /** Bytes the entry at {@code offset} takes, padding included. */
    static int alignedBytes(ByteBuffer slab, int offset) {
        return (int) alignedBytes(keyLength(slab, offset), valueLength(slab, offset));
    }

    static void writeHeader(ByteBuffer slab, int offset, byte kind, long lamport, int nodeId, int keyLength, int valueLength) {
        slab.put(offset + KIND, kind);
        slab.putLong(offset + LAMPORT, lamport);
        slab.putShort(offset + NODE_ID, (short) nodeId);
        slab.putShort(offset + KEY_LENGTH, (short) keyLength);
        slab.putInt(offset + VALUE_LENGTH, valueLength);
    }

    static byte kindCode(Versioned.Kind kind) {
        return (byte) kind.ordinal();
    }

    static byte kindCode(ByteBuffer slab, int offset) {
        return slab.get(offset + KIND);
    }

    static boolean isTombstoneCode(byte kind) {
        return kind == kindCode(Versioned.Kind.TOMBSTONE);
    }

    static void markDead(ByteBuffer slab, int offset) {
        slab.put(offset + KIND, DEAD);
    }

    static long lamport(ByteBuffer slab, int offset) {
        return slab.getLong(offset + LAMPORT);
    }

    static int nodeId(ByteBuffer slab, int offset) {
        return slab.getShort(offset + NODE_ID) & 0xFFFF;
    }

    static int keyLength(ByteBuffer slab, int offset) {
        return slab.getShort(offset + KEY_LENGTH) & 0xFFFF;
    }

    static int valueLength(ByteBuffer slab, int offset) {
        return slab.getInt(offset + VALUE_LENGTH);
    }

    /** The hash of the entry's key: {@link Key#hashCode()} of the same bytes. */
    static int keyHash(ByteBuffer slab, int offset) {
        int h = 1;
        for (int i = offset + KEY, end = i + keyLength(slab, offset); i < end; i++) h = 31 * h + slab.get(i);
        return h;
    }

    /** Whether two entries hold the same key. */
    static boolean sameKey(ByteBuffer a, int aOffset, ByteBuffer b, int bOffset) {
        int length = keyLength(a, aOffset);
        if (length != keyLength(b, bOffset)) return false;
        int i = 0;
        for (int a0 = aOffset + KEY, b0 = bOffset + KEY; i <= length - Long.BYTES; i += Long.BYTES) {
            if (a.getLong(a0 + i) != b.getLong(b0 + i)) return false;
        }
        for (; i < length; i++) {
            if (a.get(aOffset + KEY + i) != b.get(bOffset + KEY + i)) return false;
        }
        return true;
    }

    static boolean hasKey(ByteBuffer slab, int offset, byte[] key) {
        int length = keyLength(slab, offset);
        if (length != key.length) return false;
        int start = offset + KEY;
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            if (slab.getLong(start + i) != (long) ARRAY_LONG.get(key, i)) return false;
        }
        for (; i < length; i++) {
            if (slab.get(start + i) != key[i]) return false;
        }
        return true;
    }

    /** True when the entry at {@code incoming} is newer than the one at {@code held} (last-writer-wins order). */
    static boolean isNewer(ByteBuffer incomingSlab, int incoming, ByteBuffer heldSlab, int held) {
        long lamport = lamport(incomingSlab, incoming);
        long heldLamport = lamport(heldSlab, held);
        if (lamport != heldLamport) return lamport > heldLamport;
        return nodeId(incomingSlab, incoming) > nodeId(heldSlab, held);
    }

    static Key key(ByteBuffer slab, int offset) {
        byte[] key = new byte[keyLength(slab, offset)];
        slab.get(offset + KEY, key);
        return Key.wrap(key);
    }

    static byte[] value(ByteBuffer slab, int offset) {
        int start = offset + KEY + keyLength(slab, offset);
        byte[] value = new byte[valueLength(slab, offset)];
        slab.get(start, value);
        return value;
    }

    static Versioned version(ByteBuffer slab, int offset) {
        Timestamp ts = new Timestamp(lamport(slab, offset), nodeId(slab, offset));
        Versioned.Kind kind = KINDS[kindCode(slab, offset)];
        return kind == Versioned.Kind.TOMBSTONE ? Versioned.tombstone(ts) : Versioned.value(ts, value(slab, offset));
    }

    /** Heap bytes of an array of this many bytes (the store's table): a 16-byte header, the contents, padded to 8 bytes. */
    static long arrayHeapBytes(long length) {
        return align(16 + length);
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
