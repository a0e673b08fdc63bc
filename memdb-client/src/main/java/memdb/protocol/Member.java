package memdb.protocol;

/**
 * One node as gossip knows it: identity and address, its incarnation ({@code generation}, which grows
 * at every restart), a heartbeat counter that its owner increments while alive, and its ring status.
 * {@code up} is the sender's local failure-detector verdict: carried for clients and the admin view,
 * never merged by gossip (each node judges liveness for itself).
 */
public record Member(int nodeId, String host, int port, long generation, long heartbeat, Status status, boolean up) {
    /**
     * A member's place in the ring (docs/cluster.md): in it (NORMAL); gone for good (LEFT, kept so the news
     * spreads); taking its vnodes and streaming their data, not serving reads yet (JOINING); streaming its
     * ranges away before it goes (LEAVING, still in the ring); stopped by an admin kill (DOWN: ring
     * unchanged, until it restarts with a new generation). Wire codes are the ordinals: append only.
     */
    public enum Status {
        NORMAL, LEFT, JOINING, LEAVING, DOWN;

        /** Whether a member in this status holds its ranges in the ring (reads and writes go to it). */
        public boolean inRing() {
            return this == NORMAL || this == LEAVING || this == DOWN;
        }

        static Status fromWire(int b) {
            if (b >= values().length) throw Wire.malformed("unknown member status " + b);
            return values()[b];
        }
    }

    public Member {
        if (nodeId < Timestamp.NODE_ID_MIN || nodeId > Timestamp.NODE_ID_MAX) {
            throw new IllegalArgumentException("node id out of range: " + nodeId);
        }
        if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port out of range: " + port);
    }

    public String address() {
        return host + ":" + port;
    }

    /** Whether this record carries newer news of the node than {@code other}: a later incarnation or heartbeat. */
    public boolean isNewerThan(Member other) {
        if (generation != other.generation) return generation > other.generation;
        if (heartbeat != other.heartbeat) return heartbeat > other.heartbeat;
        return status == Status.LEFT && other.status != Status.LEFT
                || status == Status.DOWN && other.status != Status.DOWN && other.status != Status.LEFT;
    }

    public Member withUp(boolean isUp) {
        return new Member(nodeId, host, port, generation, heartbeat, status, isUp);
    }

    /** The same incarnation one heartbeat later in {@code newStatus}: how a status change outranks the old record. */
    public Member withStatus(Status newStatus) {
        return new Member(nodeId, host, port, generation, heartbeat + 1, newStatus, up);
    }

    void encode(io.netty.buffer.ByteBuf out) {
        out.writeShort(nodeId);
        Wire.writeString(out, host);
        out.writeShort(port);
        out.writeLong(generation);
        out.writeLong(heartbeat);
        out.writeByte(status.ordinal());
        out.writeByte(up ? 1 : 0);
    }

    static Member decode(io.netty.buffer.ByteBuf in) {
        int nodeId = Wire.readUnsignedShort(in);
        String host = Wire.readString(in);
        int port = Wire.readUnsignedShort(in);
        long generation = Wire.readLong(in);
        long heartbeat = Wire.readLong(in);
        Status status = Status.fromWire(Wire.readUnsignedByte(in));
        boolean up = Wire.readBoolean(in);
        if (nodeId < Timestamp.NODE_ID_MIN) throw Wire.malformed("node id 0");
        return new Member(nodeId, host, port, generation, heartbeat, status, up);
    }
}
