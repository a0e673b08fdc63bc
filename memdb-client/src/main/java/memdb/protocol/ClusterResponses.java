package memdb.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** Responses of the cluster opcodes (docs/protocol.md §5). */
public final class ClusterResponses {
    private ClusterResponses() {}

    /** The answer to GOSSIP: the receiver's digest. */
    public record GossipAck(List<Member> members) implements Response {
        public GossipAck {
            members = List.copyOf(members);
        }

        public void encode(ByteBuf out) { ClusterRequests.writeMembers(out, members); }

        static GossipAck decode(ByteBuf in) { return new GossipAck(ClusterRequests.readMembers(in)); }
    }

    /**
     * The answer to REPLICA_WRITE: whether the version was applied, whether the key held a live value
     * before it, and the replica's version of the key afterwards (newer than the write's when the
     * replica already held a newer one: a detected concurrent write).
     */
    public record ReplicaAck(boolean applied, boolean existed, Timestamp current) implements Response {
        public void encode(ByteBuf out) {
            out.writeByte((applied ? 1 : 0) | (existed ? 2 : 0));
            Wire.writeTimestamp(out, current);
        }

        static ReplicaAck decode(ByteBuf in) {
            int bits = Wire.readUnsignedByte(in);
            if (bits > 3) throw Wire.malformed("unknown replica ack flags " + bits);
            return new ReplicaAck((bits & 1) != 0, (bits & 2) != 0, Wire.readTimestamp(in));
        }
    }

    /**
     * The answer to HINTS: how many of the batch's entries the receiver applied (the others it already
     * held, or held newer). Sent only once every entry is in the receiver's op log.
     */
    public record HintsAck(int applied) implements Response {
        public HintsAck {
            if (applied < 0 || applied > ClusterRequests.Hints.ENTRIES_MAX) throw new IllegalArgumentException("applied " + applied);
        }

        public void encode(ByteBuf out) { out.writeShort(applied); }

        static HintsAck decode(ByteBuf in) { return new HintsAck(Wire.readUnsignedShort(in)); }
    }

    /**
     * The answer to NODE_STATS: the node's Lamport time, how many keys hold a live value there, and how
     * far its join or leave has streamed, in percent (-1 when it is not joining or leaving).
     */
    public record Stats(long lamport, long keys, int movePercent) implements Response {
        public Stats {
            if (movePercent < -1 || movePercent > 100) throw new IllegalArgumentException("move percent " + movePercent);
        }

        public Stats(long lamport, long keys) {
            this(lamport, keys, -1);
        }

        public void encode(ByteBuf out) {
            out.writeLong(lamport);
            out.writeLong(keys);
            out.writeByte(movePercent + 1);
        }

        static Stats decode(ByteBuf in) {
            long lamport = Wire.readLong(in);
            long keys = Wire.readLong(in);
            int movePercent = Wire.readUnsignedByte(in) - 1;
            if (lamport < 0 || keys < 0) throw Wire.malformed("negative node stats");
            if (movePercent > 100) throw Wire.malformed("move progress over 100%");
            return new Stats(lamport, keys, movePercent);
        }
    }

    /** The answer to CLUSTER_INFO: enough for a client to compute the ring and route each key. */
    public record ClusterView(int replicationFactor, int vnodesPerNode, long ringVersion, List<Member> members)
            implements Response {
        public ClusterView {
            members = List.copyOf(members);
        }

        public void encode(ByteBuf out) {
            out.writeByte(replicationFactor);
            out.writeShort(vnodesPerNode);
            out.writeLong(ringVersion);
            ClusterRequests.writeMembers(out, members);
        }

        static ClusterView decode(ByteBuf in) {
            int replicationFactor = Wire.readUnsignedByte(in);
            int vnodes = Wire.readUnsignedShort(in);
            long ringVersion = Wire.readLong(in);
            if (replicationFactor < 1 || vnodes < 1) throw Wire.malformed("replication factor and vnodes must be >= 1");
            return new ClusterView(replicationFactor, vnodes, ringVersion, ClusterRequests.readMembers(in));
        }
    }
}
