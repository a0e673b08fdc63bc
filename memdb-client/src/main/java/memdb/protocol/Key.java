package memdb.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key as stored: its full UTF-8 bytes, compared by content (never by a hash alone: two keys with the
 * same hash are still two keys). Immutable: the array is never exposed for writing.
 */
public final class Key implements Comparable<Key> {
    public static final int BYTES_MAX = 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps bytes that the caller will not modify afterwards (no copy). */
    public static Key wrap(byte[] bytes) {
        return new Key(bytes);
    }

    public static Key of(String key) {
        return new Key(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Throws {@link MemDbException} (KEY_TOO_LONG / INVALID_ARGUMENT) if the key breaks the limits:
     * 1..{@link #BYTES_MAX} bytes of well-formed UTF-8 (DESIGN §3).
     */
    public Key validate() {
        if (bytes.length == 0) throw ErrorCode.INVALID_ARGUMENT.exception("key must not be empty");
        if (bytes.length > BYTES_MAX) {
            throw ErrorCode.KEY_TOO_LONG.exception("key is " + bytes.length + " bytes; the limit is " + BYTES_MAX);
        }
        if (isAscii(bytes)) return this; // the usual key: valid UTF-8 without running a decoder
        if (Utf8.decode(bytes).isEmpty()) throw ErrorCode.INVALID_ARGUMENT.exception("key is not valid UTF-8");
        return this;
    }

    /** No byte with its high bit set: eight bytes at a time, then the rest one by one. */
    private static boolean isAscii(byte[] bytes) {
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            if (((long) LONGS.get(bytes, i) & 0x8080_8080_8080_8080L) != 0) return false;
        }
        for (; i < bytes.length; i++) if (bytes[i] < 0) return false;
        return true;
    }

    public int length() {
        return bytes.length;
    }

    /** The key's bytes; callers must not modify them. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
