package memdb.replication;

import memdb.protocol.Consistency;

/**
 * How the coordinator replicates: N, the defaults for requests that name no consistency, how long a
 * request may wait for replicas, and the largest value accepted.
 */
public record ReplicationSettings(int replicationFactor, Consistency defaultWrite, Consistency defaultRead,
                                  long requestTimeoutMs, int maxValueBytes) {
    public static final ReplicationSettings DEFAULTS =
            new ReplicationSettings(3, Consistency.QUORUM, Consistency.ONE, 5_000, 1 << 20);

    public ReplicationSettings {
        if (replicationFactor < 1 || replicationFactor > 255) throw new IllegalArgumentException("replication factor 1..255");
        if (defaultWrite == Consistency.DEFAULT || defaultRead == Consistency.DEFAULT) {
            throw new IllegalArgumentException("defaults must be ONE, QUORUM or ALL");
        }
        if (requestTimeoutMs < 1) throw new IllegalArgumentException("request timeout must be positive");
        if (maxValueBytes < 0) throw new IllegalArgumentException("max value bytes must be >= 0");
    }

    public ReplicationSettings withDefaults(Consistency write, Consistency read) {
        return new ReplicationSettings(replicationFactor, write, read, requestTimeoutMs, maxValueBytes);
    }

    public Consistency writeLevel(Consistency requested) {
        return requested == Consistency.DEFAULT ? defaultWrite : requested;
    }

    public Consistency readLevel(Consistency requested) {
        return requested == Consistency.DEFAULT ? defaultRead : requested;
    }
}
