package memdb.oplog.format;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value of a HINT record (docs/oplog.md, "Hint records"): which peer missed the version, and what
 * the record says about it. The record's key and timestamp are the hinted version's.
 *
 * <pre>
 *   u16 peer node id | u8 kind (0 VALUE, 1 TOMBSTONE, 2 DONE) | value bytes (VALUE only)
 * </pre>
 *
 * <p>VALUE and TOMBSTONE store a hint for {@code peer}; DONE removes the hint of that key and timestamp
 * (the peer acknowledged it, or it was dropped). The newest record of a (peer, key) decides. Pure.
 */
public record HintPayload(int peer, Kind kind, byte[] value) {
    public enum Kind { VALUE, TOMBSTONE, DONE }

    public static final int PREFIX_BYTES = 3;
    private static final byte[] EMPTY = new byte[0];

    public HintPayload {
        if (peer < 1 || peer > 0xFFFF) throw new IllegalArgumentException("peer node id 1..65535: " + peer);
        if (kind != Kind.VALUE && value.length != 0) throw new IllegalArgumentException(kind + " carries no value");
    }

    public static HintPayload of(int peer, boolean tombstone, byte[] value) {
        return tombstone ? new HintPayload(peer, Kind.TOMBSTONE, EMPTY) : new HintPayload(peer, Kind.VALUE, value);
    }

    public static HintPayload done(int peer) {
        return new HintPayload(peer, Kind.DONE, EMPTY);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(PREFIX_BYTES + value.length);
        b.putShort((short) peer).put((byte) kind.ordinal()).put(value);
        return b.array();
    }

    /** Why {@code bytes} are not a payload, or null when they are one. */
    public static String defect(byte[] bytes) {
        if (bytes.length < PREFIX_BYTES) return "HINT record shorter than its " + PREFIX_BYTES + "-byte prefix";
        int peer = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        int kind = bytes[2] & 0xFF;
        if (peer == 0) return "HINT record for node id 0";
        if (kind >= Kind.values().length) return "HINT record of unknown kind " + kind;
        if (kind != Kind.VALUE.ordinal() && bytes.length != PREFIX_BYTES) return "HINT record of kind " + kind + " with a value";
        return null;
    }

    /** Decodes a payload that {@link #defect} accepted; throws IllegalArgumentException otherwise. */
    public static HintPayload decode(byte[] bytes) {
        String defect = defect(bytes);
        if (defect != null) throw new IllegalArgumentException(defect);
        int peer = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        return new HintPayload(peer, Kind.values()[bytes[2]], Arrays.copyOfRange(bytes, PREFIX_BYTES, bytes.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HintPayload p && peer == p.peer && kind == p.kind && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        return peer * 31 + kind.hashCode();
    }

    @Override
    public String toString() {
        return "HintPayload[peer " + peer + ", " + kind + ", " + value.length + " bytes]";
    }
}
