package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/** The request records of protocol v1 (docs/protocol.md §5). */
public final class Requests {
    private Requests() {}

    /** Authenticates the connection with the cluster's key; nothing else is served before it. */
    public record Auth(byte[] authKey) implements Request {
        public Auth {
            Objects.requireNonNull(authKey, "authKey");
        }

        public Opcode opcode() { return Opcode.AUTH; }

        public void encode(ByteBuf out) { Wire.writeBlob(out, authKey); }

        static Auth decode(ByteBuf in) { return new Auth(Wire.readBlob(in)); }

        @Override public boolean equals(Object o) { return o instanceof Auth a && Arrays.equals(authKey, a.authKey); }

        @Override public int hashCode() { return Arrays.hashCode(authKey); }

        /** Never shows the key. */
        @Override public String toString() { return "Auth[" + authKey.length + " bytes]"; }
    }

    public record Ping() implements Request {
        public Opcode opcode() { return Opcode.PING; }

        public void encode(ByteBuf out) {}

        static Ping decode(ByteBuf in) { return new Ping(); }
    }

    public record Get(Key key, Consistency consistency) implements Request {
        public Get {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.GET; }

        public void encode(ByteBuf out) { Shapes.writeTarget(out, consistency, key); }

        static Get decode(ByteBuf in) { return Shapes.readTarget(in, Get::new); }
    }

    public record Set(Key key, byte[] value, Consistency consistency) implements Request {
        public Set {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.SET; }

        public void encode(ByteBuf out) {
            Shapes.writeTarget(out, consistency, key);
            Wire.writeBlob(out, value);
        }

        static Set decode(ByteBuf in) {
            return Shapes.readTarget(in, (key, consistency) -> new Set(key, Wire.readBlob(in), consistency));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Set s && key.equals(s.key) && Arrays.equals(value, s.value)
                    && consistency == s.consistency;
        }

        @Override public int hashCode() { return key.hashCode() * 31 + Arrays.hashCode(value); }

        @Override public String toString() { return "Set[" + key + ", " + value.length + " bytes, " + consistency + "]"; }
    }

    public record Delete(Key key, Consistency consistency) implements Request {
        public Delete {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.DELETE; }

        public void encode(ByteBuf out) { Shapes.writeTarget(out, consistency, key); }

        static Delete decode(ByteBuf in) { return Shapes.readTarget(in, Delete::new); }
    }

    public record Contains(Key key, Consistency consistency) implements Request {
        public Contains {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(consistency, "consistency");
        }

        public Opcode opcode() { return Opcode.CONTAINS; }

        public void encode(ByteBuf out) { Shapes.writeTarget(out, consistency, key); }

        static Contains decode(ByteBuf in) { return Shapes.readTarget(in, Contains::new); }
    }
}
