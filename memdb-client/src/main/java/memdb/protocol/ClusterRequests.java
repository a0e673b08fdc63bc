package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * Requests between nodes (opcodes 0x40-0x5F), plus CLUSTER_INFO, which clients also send to learn the
 * ring. docs/protocol.md §5.
 */
public final class ClusterRequests {
    private ClusterRequests() {}

    /** Push-pull gossip: the sender's whole membership digest; the answer is the receiver's. */
    public record Gossip(List<Member> members) implements Request {
        public Gossip {
            members = List.copyOf(members);
        }

        public Opcode opcode() { return Opcode.GOSSIP; }

        public void encode(ByteBuf out) { writeMembers(out, members); }

        static Gossip decode(ByteBuf in) { return new Gossip(readMembers(in)); }
    }

    /**
     * A coordinator asks a replica to apply one version of a key (a value or a tombstone) by
     * last-writer-wins; also used for read repair.
     */
    public record ReplicaWrite(Key key, boolean tombstone, Timestamp timestamp, byte[] value) implements Request {
        public Opcode opcode() { return Opcode.REPLICA_WRITE; }

        public void encode(ByteBuf out) {
            Wire.writeKey(out, key);
            out.writeByte(tombstone ? 1 : 0);
            Wire.writeTimestamp(out, timestamp);
            Wire.writeBlob(out, value);
        }

        static ReplicaWrite decode(ByteBuf in) {
            Key key = Wire.readKey(in);
            boolean tombstone = Wire.readBoolean(in);
            Timestamp ts = Wire.readTimestamp(in);
            byte[] value = Wire.readBlob(in);
            if (tombstone && value.length != 0) throw Wire.malformed("a tombstone carries no value");
            return new ReplicaWrite(key, tombstone, ts, value);
        }

        @Override public boolean equals(Object o) {
            return o instanceof ReplicaWrite w && key.equals(w.key) && tombstone == w.tombstone
                    && timestamp.equals(w.timestamp) && Arrays.equals(value, w.value);
        }

        @Override public int hashCode() { return key.hashCode() * 31 + timestamp.hashCode(); }

        @Override public String toString() {
            return "ReplicaWrite[" + key + ", " + (tombstone ? "tombstone" : value.length + " bytes") + ", " + timestamp + "]";
        }
    }

    /**
     * Hinted handoff (docs/cluster.md, "Catch-up"): a batch of versions a replica missed while it was down
     * or cut off, replayed by the coordinator that kept them. Each is applied like a REPLICA_WRITE; the
     * receiver counts them as records received in catch-up. At most {@link #ENTRIES_MAX} entries.
     */
    public record Hints(List<ReplicaWrite> entries) implements Request {
        public static final int ENTRIES_MAX = 0xFFFF;

        public Hints {
            entries = List.copyOf(entries);
            if (entries.size() > ENTRIES_MAX) throw new IllegalArgumentException("at most " + ENTRIES_MAX + " hints a batch");
        }

        public Opcode opcode() { return Opcode.HINTS; }

        public void encode(ByteBuf out) { Wire.writeList16(out, entries, ReplicaWrite::encode); }

        static Hints decode(ByteBuf in) {
            return new Hints(Wire.readList16(in, ENTRIES_MAX, "too many hints", ReplicaWrite::decode));
        }
    }

    /** A coordinator asks a replica for its local version of a key (answered with a Value). */
    public record ReplicaRead(Key key) implements Request {
        public Opcode opcode() { return Opcode.REPLICA_READ; }

        public void encode(ByteBuf out) { Wire.writeKey(out, key); }

        static ReplicaRead decode(ByteBuf in) { return new ReplicaRead(Wire.readKey(in)); }
    }

    /** Asks a node for its view of the cluster: members, liveness, ring parameters. */
    public record ClusterInfo() implements Request {
        public Opcode opcode() { return Opcode.CLUSTER_INFO; }

        public void encode(ByteBuf out) {}

        static ClusterInfo decode(ByteBuf in) { return new ClusterInfo(); }
    }

    /** Asks a node for its own figures (Lamport time, live keys), for the admin API's cluster view. */
    public record NodeStats() implements Request {
        public Opcode opcode() { return Opcode.NODE_STATS; }

        public void encode(ByteBuf out) {}

        static NodeStats decode(ByteBuf in) { return new NodeStats(); }
    }

    /** Tells a node to stop at once (the admin API's kill of another node); answered with Ok, then the node halts. */
    public record Kill() implements Request {
        public Opcode opcode() { return Opcode.KILL; }

        public void encode(ByteBuf out) {}

        static Kill decode(ByteBuf in) { return new Kill(); }
    }

    static void writeMembers(ByteBuf out, List<Member> members) {
        Wire.writeList16(out, members, Member::encode);
    }

    static List<Member> readMembers(ByteBuf in) {
        return Wire.readList16(in, Wire.U16_MAX, "too many members", Member::decode);
    }
}
