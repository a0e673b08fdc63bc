package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import memdb.crdt.PnCounter;

/**
 * Node-to-node state that lives beside the store's entries and must follow a key range (opcodes
 * 0x4C-0x4F, docs/protocol.md §5.6a): the Paxos acceptor state of a range moves with the range when a
 * node joins or leaves (PAXOS_STATE_PULL, PAXOS_STATE_PUSH; docs/cas.md, "Joins and leaves"), and
 * anti-entropy compares and exchanges the counters of a range (COUNTER_DIGEST, COUNTER_FETCH;
 * docs/counters.md, "Anti-entropy"). A range is (start, end] on the ring, start = end the whole ring.
 */
public final class StateTransferMessages {
    /** Items in one message at most, whatever their size. */
    public static final int ITEMS_MAX = 4096;

    private StateTransferMessages() {}

    /**
     * One key's acceptor state: the promised ballot and the accepted proposal not known committed
     * (accepted ballot ZERO: none; then origin is ZERO and the value empty).
     */
    public record AcceptorEntry(Key key, Timestamp promised, Timestamp acceptedBallot, Timestamp acceptedOrigin,
                                byte[] acceptedValue) {
        public AcceptorEntry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(promised, "promised");
            Objects.requireNonNull(acceptedBallot, "acceptedBallot");
            Objects.requireNonNull(acceptedOrigin, "acceptedOrigin");
            Objects.requireNonNull(acceptedValue, "acceptedValue");
        }

        void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            Wire.writeTimestamp(out, promised);
            Shapes.writeProposal(out, acceptedBallot, acceptedOrigin, acceptedValue);
        }

        static AcceptorEntry decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            Timestamp promised = Wire.readTimestamp(in);
            return Shapes.readProposal(in, (ballot, origin, value) -> new AcceptorEntry(key, promised, ballot, origin, value));
        }

        /** Roughly what the entry costs on the wire. */
        public int wireBytes() {
            return key.length() + acceptedValue.length + 40;
        }

        @Override public boolean equals(Object o) {
            return o instanceof AcceptorEntry e && key.equals(e.key) && promised.equals(e.promised)
                    && acceptedBallot.equals(e.acceptedBallot) && acceptedOrigin.equals(e.acceptedOrigin)
                    && Arrays.equals(acceptedValue, e.acceptedValue);
        }

        @Override public int hashCode() { return key.hashCode() * 31 + promised.hashCode(); }

        @Override public String toString() {
            return "AcceptorEntry[" + key + ", promised " + promised + ", accepted " + acceptedBallot + " origin "
                    + acceptedOrigin + ", " + acceptedValue.length + " bytes]";
        }
    }

    /** One key's counter. */
    public record CounterEntry(Key key, PnCounter counter) {
        public CounterEntry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(counter, "counter");
        }

        void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            counter.encode(out);
        }

        static CounterEntry decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            return new CounterEntry(key, PnCounter.decode(in));
        }
    }

    /** Asks a replica for its acceptor state of the keys in (start, end] that sort after {@code after}. */
    public record PaxosStatePull(long start, long end, Key after) implements Request {
        public PaxosStatePull {
            Objects.requireNonNull(after, "after");
        }

        public Opcode opcode() { return Opcode.PAXOS_STATE_PULL; }

        public void encode(ByteBuf out) { Shapes.writeRangeCursor(out, start, end, after); }

        static PaxosStatePull decode(ByteBuf in) { return Shapes.readRangeCursor(in, PaxosStatePull::new); }
    }

    /** The answer to PAXOS_STATE_PULL: entries in key order, and whether more follow after the last one. */
    public record PaxosStateChunk(List<AcceptorEntry> entries, boolean more) implements Response {
        public PaxosStateChunk {
            entries = List.copyOf(entries);
            if (entries.size() > ITEMS_MAX) throw new IllegalArgumentException("too many entries in a chunk");
        }

        public void encode(ByteBuf out) {
            out.writeByte(more ? 1 : 0);
            writeAcceptorEntries(out, entries);
        }

        static PaxosStateChunk decode(ByteBuf in) {
            boolean more = Wire.readBoolean(in);
            return new PaxosStateChunk(readAcceptorEntries(in), more);
        }
    }

    /** A leaving node hands the acceptor state of a range to one of its new replicas, which merges it. */
    public record PaxosStatePush(List<AcceptorEntry> entries) implements Request {
        public PaxosStatePush {
            entries = List.copyOf(entries);
            if (entries.size() > ITEMS_MAX) throw new IllegalArgumentException("too many entries in a chunk");
        }

        public Opcode opcode() { return Opcode.PAXOS_STATE_PUSH; }

        public void encode(ByteBuf out) { writeAcceptorEntries(out, entries); }

        static PaxosStatePush decode(ByteBuf in) { return new PaxosStatePush(readAcceptorEntries(in)); }
    }

    /** Anti-entropy: asks a replica for a digest of its counters in (start, end]. */
    public record CounterDigest(long start, long end) implements Request {
        public Opcode opcode() { return Opcode.COUNTER_DIGEST; }

        public void encode(ByteBuf out) { Shapes.writeRange(out, start, end); }

        static CounterDigest decode(ByteBuf in) {
            long start = Wire.readLong(in);
            return new CounterDigest(start, Wire.readLong(in));
        }
    }

    /** The answer to COUNTER_DIGEST: how many counters, and an order-free hash of them. */
    public record CounterHash(int count, long hash) implements Response {
        public CounterHash {
            if (count < 0) throw new IllegalArgumentException("negative count");
        }

        public void encode(ByteBuf out) {
            out.writeInt(count);
            out.writeLong(hash);
        }

        static CounterHash decode(ByteBuf in) {
            int count = Wire.readInt(in);
            if (count < 0) throw Wire.malformed("negative counter count");
            return new CounterHash(count, Wire.readLong(in));
        }
    }

    /** Anti-entropy: asks a replica for its counters in (start, end] whose keys sort after {@code after}. */
    public record CounterFetch(long start, long end, Key after) implements Request {
        public CounterFetch {
            Objects.requireNonNull(after, "after");
        }

        public Opcode opcode() { return Opcode.COUNTER_FETCH; }

        public void encode(ByteBuf out) { Shapes.writeRangeCursor(out, start, end, after); }

        static CounterFetch decode(ByteBuf in) { return Shapes.readRangeCursor(in, CounterFetch::new); }
    }

    /** The answer to COUNTER_FETCH: counters in key order, and whether more follow after the last one. */
    public record CounterChunk(List<CounterEntry> entries, boolean more) implements Response {
        public CounterChunk {
            entries = List.copyOf(entries);
            if (entries.size() > ITEMS_MAX) throw new IllegalArgumentException("too many counters in a chunk");
        }

        public void encode(ByteBuf out) {
            out.writeByte(more ? 1 : 0);
            Wire.writeList16(out, entries, CounterEntry::encode);
        }

        static CounterChunk decode(ByteBuf in) {
            boolean more = Wire.readBoolean(in);
            return new CounterChunk(Wire.readList16(in, ITEMS_MAX, "too many counters in a chunk", CounterEntry::decode), more);
        }
    }

    private static void writeAcceptorEntries(ByteBuf out, List<AcceptorEntry> entries) {
        Wire.writeList16(out, entries, AcceptorEntry::encode);
    }

    private static List<AcceptorEntry> readAcceptorEntries(ByteBuf in) {
        return Wire.readList16(in, ITEMS_MAX, "too many acceptor entries in a chunk", AcceptorEntry::decode);
    }
}
