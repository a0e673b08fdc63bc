package memdb.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    /** True when a version with this timestamp is newer than the entry's (last-writer-wins order). */
    static boolean isOlderThan(byte[] entry, Timestamp incoming) {
        long lamport = lamport(entry);
        if (incoming.lamport() != lamport) return incoming.lamport() > lamport;
        return incoming.nodeId() > nodeId(entry);
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
