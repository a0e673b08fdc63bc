package memdb.store;

import java.util.Arrays;
import memdb.protocol.Timestamp;

/**
 * One version of a key: a value or a tombstone, with the Lamport timestamp of the write that made it.
 * A tombstone keeps its timestamp so that an older write arriving later cannot bring the key back.
 */
public record Versioned(Kind kind, Timestamp timestamp, byte[] value) {
    private static final byte[] EMPTY = new byte[0];

    public enum Kind { VALUE, TOMBSTONE }

    public Versioned {
        if (kind == Kind.TOMBSTONE && value.length != 0) throw new IllegalArgumentException("a tombstone has no value");
    }

    public static Versioned value(Timestamp ts, byte[] value) {
        return new Versioned(Kind.VALUE, ts, value);
    }

    public static Versioned tombstone(Timestamp ts) {
        return new Versioned(Kind.TOMBSTONE, ts, EMPTY);
    }

    public boolean isTombstone() {
        return kind == Kind.TOMBSTONE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Versioned v && kind == v.kind && timestamp.equals(v.timestamp) && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        return timestamp.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return kind + "@" + timestamp + (kind == Kind.VALUE ? "[" + value.length + " bytes]" : "");
    }
}
