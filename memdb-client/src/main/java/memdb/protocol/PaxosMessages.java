package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Compare-and-set and Paxos messages, opcodes 0x30-0x3F (docs/protocol.md §5.9, docs/cas.md): the
 * client's CAS and SERIAL_GET, and the node-to-node PAXOS_PREPARE / PAXOS_PROPOSE / PAXOS_COMMIT of
 * single-decree Paxos per key. A ballot is a {@link Timestamp} (round from the Lamport clock, node id).
 * A proposal carries its {@code origin}: the ballot under which the CAS that made it was first proposed,
 * kept when another proposer finishes it, so that the CAS can recognise its own value.
 */
public final class PaxosMessages {
    private PaxosMessages() {}

    /** CAS: set {@code key} to {@code newValue} if it holds {@code expected} (null: if it holds no live value). */
    public record Cas(Key key, byte[] expected, byte[] newValue) implements Request {
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(newValue, "newValue");
        }

        public boolean expectAbsent() { return expected == null; }

        public Opcode opcode() { return Opcode.CAS; }

        public void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            out.writeByte(expected == null ? 1 : 0);
            Wire.writeBlob(out, expected == null ? new byte[0] : expected);
            Wire.writeBlob(out, newValue);
        }

        static Cas decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            int flags = Wire.readUnsignedByte(in);
            if (flags > 1) throw Wire.malformed("unknown cas flags " + flags);
            byte[] expected = Wire.readBlob(in);
            if (flags == 1 && expected.length != 0) throw Wire.malformed("an absent expectation carries no bytes");
            return new Cas(key, flags == 1 ? null : expected, Wire.readBlob(in));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Cas c && key.equals(c.key) && Arrays.equals(expected, c.expected)
                    && Arrays.equals(newValue, c.newValue);
        }

        @Override public int hashCode() { return key.hashCode() * 31 + Arrays.hashCode(newValue); }

        @Override public String toString() {
            return "Cas[" + key + ", " + (expected == null ? "absent" : expected.length + " bytes") + " -> "
                    + newValue.length + " bytes]";
        }
    }

    /** SERIAL_GET: a read linearizable with CAS (answered with a {@link Responses.Value}). */
    public record SerialGet(Key key) implements Request {
        public SerialGet {
            Objects.requireNonNull(key, "key");
        }

        public Opcode opcode() { return Opcode.SERIAL_GET; }

        public void encode(ByteBuf out) { Wire.writeKey(out, key); }

        static SerialGet decode(ByteBuf in) { return new SerialGet(Wire.readKey(in)); }
    }

    /** Phase 1a: promise to accept no ballot below {@code ballot}. */
    public record Prepare(Key key, Timestamp ballot) implements Request {
        public Prepare {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(ballot, "ballot");
        }

        public Opcode opcode() { return Opcode.PAXOS_PREPARE; }

        public void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            Wire.writeTimestamp(out, ballot);
        }

        static Prepare decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            return new Prepare(key, Wire.readTimestamp(in));
        }
    }

    /** Phase 2a: accept {@code value} (made by the CAS first proposed at {@code origin}) under {@code ballot}. */
    public record Propose(Key key, Timestamp ballot, Timestamp origin, byte[] value) implements Request {
        public Propose {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(ballot, "ballot");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(value, "value");
        }

        public Opcode opcode() { return Opcode.PAXOS_PROPOSE; }

        public void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            Shapes.writeProposal(out, ballot, origin, value);
        }

        static Propose decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            return Shapes.readProposal(in, (ballot, origin, value) -> new Propose(key, ballot, origin, value));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Propose p && key.equals(p.key) && ballot.equals(p.ballot) && origin.equals(p.origin)
                    && Arrays.equals(value, p.value);
        }

        @Override public int hashCode() { return key.hashCode() * 31 + ballot.hashCode(); }

        @Override public String toString() {
            return "Propose[" + key + ", " + ballot + ", origin " + origin + ", " + value.length + " bytes]";
        }
    }

    /**
     * Phase 3: {@code value} (of the CAS first proposed at {@code origin}) was chosen under {@code ballot};
     * store it with the ballot as its timestamp.
     */
    public record Commit(Key key, Timestamp ballot, Timestamp origin, byte[] value) implements Request {
        public Commit {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(ballot, "ballot");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(value, "value");
        }

        public Opcode opcode() { return Opcode.PAXOS_COMMIT; }

        public void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            Shapes.writeProposal(out, ballot, origin, value);
        }

        static Commit decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            return Shapes.readProposal(in, (ballot, origin, value) -> new Commit(key, ballot, origin, value));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Commit c && key.equals(c.key) && ballot.equals(c.ballot) && origin.equals(c.origin)
                    && Arrays.equals(value, c.value);
        }

        @Override public int hashCode() { return key.hashCode() * 31 + ballot.hashCode(); }

        @Override public String toString() { return "Commit[" + key + ", " + ballot + ", " + value.length + " bytes]"; }
    }

    /**
     * Phase 1b. {@code promised}: whether the prepare's ballot was promised; {@code ballot}: the acceptor's
     * promise floor when refused (the prepare's ballot when promised). {@code acceptedBallot}: the highest
     * proposal the acceptor accepted and has not seen committed ({@link Timestamp#ZERO}: none), with its
     * origin and value. {@code current}: the acceptor's stored version of the key (the read, folded in);
     * {@code currentOrigin}: the origin of the CAS whose commit stored it, when the acceptor still
     * remembers it (else {@link Timestamp#ZERO}), so that a CAS can tell its own committed value.
     */
    public record Promise(boolean promised, Timestamp ballot, Timestamp acceptedBallot, Timestamp acceptedOrigin,
                          byte[] acceptedValue, Responses.Value current, Timestamp currentOrigin) implements Response {
        public Promise {
            Objects.requireNonNull(ballot, "ballot");
            Objects.requireNonNull(acceptedBallot, "acceptedBallot");
            Objects.requireNonNull(acceptedOrigin, "acceptedOrigin");
            Objects.requireNonNull(acceptedValue, "acceptedValue");
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(currentOrigin, "currentOrigin");
        }

        public static Promise refused(Timestamp floor) {
            return new Promise(false, floor, Timestamp.ZERO, Timestamp.ZERO, new byte[0], Responses.Value.ABSENT, Timestamp.ZERO);
        }

        public boolean hasAccepted() { return !acceptedBallot.equals(Timestamp.ZERO); }

        public void encode(ByteBuf out) {
            out.writeByte(promised ? 1 : 0);
            Wire.writeTimestamp(out, ballot);
            Shapes.writeProposal(out, acceptedBallot, acceptedOrigin, acceptedValue);
            current.encode(out);
            Wire.writeTimestamp(out, currentOrigin);
        }

        static Promise decode(ByteBuf in) {
            boolean promised = Wire.readBoolean(in);
            Timestamp ballot = Wire.readTimestamp(in);
            return Shapes.readProposal(in, (acceptedBallot, acceptedOrigin, acceptedValue) -> {
                Responses.Value current = Responses.Value.decode(in);
                return new Promise(promised, ballot, acceptedBallot, acceptedOrigin, acceptedValue, current,
                        Wire.readTimestamp(in));
            });
        }

        @Override public boolean equals(Object o) {
            return o instanceof Promise p && promised == p.promised && ballot.equals(p.ballot)
                    && acceptedBallot.equals(p.acceptedBallot) && acceptedOrigin.equals(p.acceptedOrigin)
                    && Arrays.equals(acceptedValue, p.acceptedValue) && current.equals(p.current)
                    && currentOrigin.equals(p.currentOrigin);
        }

        @Override public int hashCode() { return ballot.hashCode() * 31 + acceptedBallot.hashCode(); }

        @Override public String toString() {
            return "Promise[" + (promised ? "promised " : "refused, floor ") + ballot
                    + (hasAccepted() ? ", accepted " + acceptedBallot + " origin " + acceptedOrigin : "") + ", " + current + "]";
        }
    }

    /** Phase 2b: whether the proposal was accepted; when refused, the acceptor's promise floor. */
    public record Accepted(boolean accepted, Timestamp floor) implements Response {
        public Accepted {
            Objects.requireNonNull(floor, "floor");
        }

        public void encode(ByteBuf out) {
            out.writeByte(accepted ? 1 : 0);
            Wire.writeTimestamp(out, floor);
        }

        static Accepted decode(ByteBuf in) {
            boolean accepted = Wire.readBoolean(in);
            return new Accepted(accepted, Wire.readTimestamp(in));
        }
    }
}
