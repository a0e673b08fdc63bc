package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/** The response records of protocol v1 (docs/protocol.md §5). */
public final class Responses {
    private Responses() {}

    /** A success with nothing to say (PING). */
    public record Ok() implements Response {
        public void encode(ByteBuf out) {}

        static Ok decode(ByteBuf in) { return new Ok(); }
    }

    /** AUTH accepted: the node's id and its software version. */
    public record Authenticated(int nodeId, String serverVersion) implements Response {
        public Authenticated {
            if (nodeId < 0 || nodeId > Timestamp.NODE_ID_MAX) throw new IllegalArgumentException("nodeId out of range: " + nodeId);
            Objects.requireNonNull(serverVersion, "serverVersion");
        }

        public void encode(ByteBuf out) {
            out.writeShort(nodeId);
            Wire.writeString(out, serverVersion);
        }

        static Authenticated decode(ByteBuf in) {
            int nodeId = Wire.readUnsignedShort(in);
            return new Authenticated(nodeId, Wire.readString(in));
        }
    }

    /** What a replica holds for a key. */
    public enum ValueState {
        ABSENT, PRESENT, TOMBSTONE;

        /** values() copies its array on every call; decoding runs once per answer. */
        private static final ValueState[] ALL = values();

        static ValueState fromWire(int b) {
            if (b >= ALL.length) throw Wire.malformed("unknown value state " + b);
            return ALL[b];
        }
    }

    /**
     * The answer to GET: absent (timestamp ZERO, empty value), present (its value and timestamp) or
     * deleted (a tombstone's timestamp, empty value).
     */
    public record Value(ValueState state, Timestamp timestamp, byte[] value) implements Response {
        private static final byte[] EMPTY = new byte[0];
        public static final Value ABSENT = new Value(ValueState.ABSENT, Timestamp.ZERO, EMPTY);

        /** Only what the wire can carry: ABSENT has no timestamp and no value, a tombstone no value. */
        public Value {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(value, "value");
            if (state == ValueState.ABSENT && !timestamp.equals(Timestamp.ZERO)) {
                throw new IllegalArgumentException("an absent value has no timestamp");
            }
            if (state != ValueState.PRESENT && value.length != 0) {
                throw new IllegalArgumentException(state + " carries no value bytes");
            }
        }

        public static Value present(Timestamp ts, byte[] value) { return new Value(ValueState.PRESENT, ts, value); }

        public static Value tombstone(Timestamp ts) { return new Value(ValueState.TOMBSTONE, ts, EMPTY); }

        public boolean isPresent() { return state == ValueState.PRESENT; }

        public void encode(ByteBuf out) {
            out.writeByte(state.ordinal());
            if (state == ValueState.ABSENT) return;
            Wire.writeTimestamp(out, timestamp);
            if (state == ValueState.PRESENT) Wire.writeBlob(out, value);
        }

        static Value decode(ByteBuf in) {
            return switch (ValueState.fromWire(Wire.readUnsignedByte(in))) {
                case ABSENT -> ABSENT;
                case TOMBSTONE -> tombstone(Wire.readTimestamp(in));
                case PRESENT -> {
                    Timestamp ts = Wire.readTimestamp(in);
                    yield present(ts, Wire.readBlob(in));
                }
            };
        }

        @Override public boolean equals(Object o) {
            return o instanceof Value v && state == v.state && timestamp.equals(v.timestamp) && Arrays.equals(value, v.value);
        }

        @Override public int hashCode() { return timestamp.hashCode() * 31 + Arrays.hashCode(value); }

        @Override public String toString() { return "Value[" + state + ", " + timestamp + ", " + value.length + " bytes]"; }
    }

    /**
     * The answer to SET and DELETE: the write's timestamp, whether the key held a live value before,
     * and whether a replica already held a newer version (a detected concurrent write, which wins).
     */
    public record Written(Timestamp timestamp, boolean existed, boolean superseded) implements Response {
        public Written {
            Objects.requireNonNull(timestamp, "timestamp");
        }

        public void encode(ByteBuf out) {
            Wire.writeTimestamp(out, timestamp);
            out.writeByte((existed ? 1 : 0) | (superseded ? 2 : 0));
        }

        static Written decode(ByteBuf in) {
            Timestamp ts = Wire.readTimestamp(in);
            int bits = Wire.readUnsignedByte(in);
            if (bits > 3) throw Wire.malformed("unknown write flags " + bits);
            return new Written(ts, (bits & 1) != 0, (bits & 2) != 0);
        }
    }

    /** A yes/no answer (CONTAINS). */
    public record Bool(boolean value) implements Response {
        public void encode(ByteBuf out) { out.writeByte(value ? 1 : 0); }

        static Bool decode(ByteBuf in) { return new Bool(Wire.readBoolean(in)); }
    }

    /** A failed request: an error code and one sentence for a human. Sent with the ERROR flag. */
    public record Error(ErrorCode code, String message) implements Response {
        public Error {
            Objects.requireNonNull(code, "code");
        }

        public static Error of(MemDbException e) { return new Error(e.code(), e.getMessage()); }

        public MemDbException toException() { return code.exception(message); }

        public void encode(ByteBuf out) {
            out.writeShort(code.code());
            Wire.writeString(out, message == null ? "" : message);
        }

        static Error decode(ByteBuf in) {
            ErrorCode code = ErrorCode.fromWire(Wire.readUnsignedShort(in));
            return new Error(code, Wire.readString(in));
        }
    }
}
