package memdb.protocol;

/**
 * A Lamport timestamp: (lamport, nodeId), ordered by lamport, then by nodeId.
 *
 * <p>Every version of every value carries one; last-writer-wins compares them. Because node ids are
 * unique in a cluster, two distinct writes never carry equal timestamps. {@link #ZERO} is below every
 * real timestamp (real node ids are 1..65535).
 */
public record Timestamp(long lamport, int nodeId) implements Comparable<Timestamp> {
    public static final Timestamp ZERO = new Timestamp(0, 0);
    public static final int NODE_ID_MIN = 1;
    public static final int NODE_ID_MAX = 65535;

    public Timestamp {
        if (lamport < 0) throw new IllegalArgumentException("lamport must be >= 0: " + lamport);
        if (nodeId < 0 || nodeId > NODE_ID_MAX) throw new IllegalArgumentException("nodeId out of range: " + nodeId);
    }

    @Override
    public int compareTo(Timestamp other) {
        int byLamport = Long.compare(lamport, other.lamport);
        return byLamport != 0 ? byLamport : Integer.compare(nodeId, other.nodeId);
    }

    public boolean isAfter(Timestamp other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return lamport + "@" + nodeId;
    }
}
