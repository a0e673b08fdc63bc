package memdb.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
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
 * written out); fields are read unaligned through VarHandles. Pure and stateless: every method takes the
 * slab and the entry's offset in it.
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

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
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
    static int alignedBytes(byte[] slab, int offset) {
        return (int) alignedBytes(keyLength(slab, offset), valueLength(slab, offset));
    }

    static void writeHeader(byte[] slab, int offset, byte kind, long lamport, int nodeId, int keyLength, int valueLength) {
        slab[offset + KIND] = kind;
        LONG.set(slab, offset + LAMPORT, lamport);
        SHORT.set(slab, offset + NODE_ID, (short) nodeId);
        SHORT.set(slab, offset + KEY_LENGTH, (short) keyLength);
        INT.set(slab, offset + VALUE_LENGTH, valueLength);
    }

    static byte kindCode(Versioned.Kind kind) {
        return (byte) kind.ordinal();
    }

    static byte kindCode(byte[] slab, int offset) {
        return slab[offset + KIND];
    }

    static boolean isTombstoneCode(byte kind) {
        return kind == kindCode(Versioned.Kind.TOMBSTONE);
    }

    static void markDead(byte[] slab, int offset) {
        slab[offset + KIND] = DEAD;
    }

    static long lamport(byte[] slab, int offset) {
        return (long) LONG.get(slab, offset + LAMPORT);
    }

    static int nodeId(byte[] slab, int offset) {
        return (short) SHORT.get(slab, offset + NODE_ID) & 0xFFFF;
    }

    static int keyLength(byte[] slab, int offset) {
        return (short) SHORT.get(slab, offset + KEY_LENGTH) & 0xFFFF;
    }

    static int valueLength(byte[] slab, int offset) {
        return (int) INT.get(slab, offset + VALUE_LENGTH);
    }

    /** The hash of the entry's key: {@link Key#hashCode()} of the same bytes. */
    static int keyHash(byte[] slab, int offset) {
        int h = 1;
        for (int i = offset + KEY, end = i + keyLength(slab, offset); i < end; i++) h = 31 * h + slab[i];
        return h;
    }

    /** Whether two entries hold the same key. */
    static boolean sameKey(byte[] a, int aOffset, byte[] b, int bOffset) {
        int length = keyLength(a, aOffset);
        return length == keyLength(b, bOffset)
                && Arrays.equals(a, aOffset + KEY, aOffset + KEY + length, b, bOffset + KEY, bOffset + KEY + length);
    }

    static boolean hasKey(byte[] slab, int offset, byte[] key) {
        int length = keyLength(slab, offset);
        return length == key.length && Arrays.equals(slab, offset + KEY, offset + KEY + length, key, 0, length);
    }

    /** True when the entry at {@code incoming} is newer than the one at {@code held} (last-writer-wins order). */
    static boolean isNewer(byte[] incomingSlab, int incoming, byte[] heldSlab, int held) {
        long lamport = lamport(incomingSlab, incoming);
        long heldLamport = lamport(heldSlab, held);
        if (lamport != heldLamport) return lamport > heldLamport;
        return nodeId(incomingSlab, incoming) > nodeId(heldSlab, held);
    }

    static Key key(byte[] slab, int offset) {
        return Key.wrap(Arrays.copyOfRange(slab, offset + KEY, offset + KEY + keyLength(slab, offset)));
    }

    static byte[] value(byte[] slab, int offset) {
        int start = offset + KEY + keyLength(slab, offset);
        return Arrays.copyOfRange(slab, start, start + valueLength(slab, offset));
    }

    static Versioned version(byte[] slab, int offset) {
        Timestamp ts = new Timestamp(lamport(slab, offset), nodeId(slab, offset));
        Versioned.Kind kind = KINDS[kindCode(slab, offset)];
        return kind == Versioned.Kind.TOMBSTONE ? Versioned.tombstone(ts) : Versioned.value(ts, value(slab, offset));
    }

    /** Heap bytes of a {@code byte[]} of this length: a 16-byte header, the contents, padded to 8 bytes. */
    static long arrayHeapBytes(long length) {
        return align(16 + length);
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
