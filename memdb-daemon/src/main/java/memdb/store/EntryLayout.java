package memdb.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import memdb.protocol.Key;
import memdb.protocol.Timestamp;

/**
 * The flat encoding of one stored entry: a single {@code byte[]} per key holding the version's kind,
 * timestamp, the key and the value, so that a key costs one heap object instead of the six of a
 * map node, key wrapper, key bytes, version, timestamp and value bytes (issue 8: bytes per key).
 *
 * <pre>
 *   u8 kind | u64 lamport | u16 nodeId | u16 keyLength | key | value (the rest of the array)
 * </pre>
 * Pure and stateless; multi-byte fields are big-endian.
 */
final class EntryLayout {
    static final int KIND = 0;
    static final int LAMPORT = 1;
    static final int NODE_ID = 9;
    static final int KEY_LENGTH = 11;
    static final int KEY = 13;
    /** Bytes of an entry besides its key and value. */
    static final int HEADER_BYTES = KEY;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final Versioned.Kind[] KINDS = Versioned.Kind.values();

    private EntryLayout() {}

    static byte[] encode(Key key, Versioned version) {
        byte[] keyBytes = key.bytes();
        byte[] value = version.value();
        byte[] entry = new byte[HEADER_BYTES + keyBytes.length + value.length];
        entry[KIND] = (byte) version.kind().ordinal();
        LONG.set(entry, LAMPORT, version.timestamp().lamport());
        SHORT.set(entry, NODE_ID, (short) version.timestamp().nodeId());
        SHORT.set(entry, KEY_LENGTH, (short) keyBytes.length);
        System.arraycopy(keyBytes, 0, entry, KEY, keyBytes.length);
        System.arraycopy(value, 0, entry, KEY + keyBytes.length, value.length);
        return entry;
    }

    /** The entry of a version read in place from {@code source} (absolute positions): one copy of key and value. */
    static byte[] encode(ByteBuffer source, int keyPosition, int keyLength, int valuePosition, int valueLength,
                         Versioned.Kind kind, long lamport, int nodeId) {
        byte[] entry = new byte[HEADER_BYTES + keyLength + valueLength];
        entry[KIND] = (byte) kind.ordinal();
        LONG.set(entry, LAMPORT, lamport);
        SHORT.set(entry, NODE_ID, (short) nodeId);
        SHORT.set(entry, KEY_LENGTH, (short) keyLength);
        source.get(keyPosition, entry, KEY, keyLength);
        source.get(valuePosition, entry, KEY + keyLength, valueLength);
        return entry;
    }

    /** The hash of the entry's key: {@link Key#hashCode()} of the same bytes. */
    static int keyHash(byte[] entry) {
        int h = 1;
        for (int i = KEY, end = KEY + keyLength(entry); i < end; i++) h = 31 * h + entry[i];
        return h;
    }

    /** Whether two entries hold the same key. */
    static boolean sameKey(byte[] a, byte[] b) {
        int length = keyLength(a);
        return length == keyLength(b) && Arrays.equals(a, KEY, KEY + length, b, KEY, KEY + length);
    }

    /** True when {@code incoming}'s version is newer than the entry's (last-writer-wins order). */
    static boolean isOlderThan(byte[] entry, byte[] incoming) {
        long lamport = lamport(entry);
        long incomingLamport = lamport(incoming);
        if (incomingLamport != lamport) return incomingLamport > lamport;
        return nodeId(incoming) > nodeId(entry);
    }

    static Versioned.Kind kind(byte[] entry) {
        return KINDS[entry[KIND]];
    }

    static long lamport(byte[] entry) {
        return (long) LONG.get(entry, LAMPORT);
    }

    static int nodeId(byte[] entry) {
        return (short) SHORT.get(entry, NODE_ID) & 0xFFFF;
    }

    static int keyLength(byte[] entry) {
        return (short) SHORT.get(entry, KEY_LENGTH) & 0xFFFF;
    }

    static boolean hasKey(byte[] entry, byte[] key) {
        int length = keyLength(entry);
        return length == key.length && Arrays.equals(entry, KEY, KEY + length, key, 0, length);
    }

    static Key key(byte[] entry) {
        return Key.wrap(Arrays.copyOfRange(entry, KEY, KEY + keyLength(entry)));
    }

    static byte[] value(byte[] entry) {
        return Arrays.copyOfRange(entry, KEY + keyLength(entry), entry.length);
    }

    static Versioned version(byte[] entry) {
        Timestamp ts = new Timestamp(lamport(entry), nodeId(entry));
        return kind(entry) == Versioned.Kind.TOMBSTONE ? Versioned.tombstone(ts) : Versioned.value(ts, value(entry));
    }

    /** Heap bytes of an entry's array: a 16-byte header, the contents, padded to 8 bytes. */
    static long heapBytes(byte[] entry) {
        return (16L + entry.length + 7) & ~7L;
    }
}
