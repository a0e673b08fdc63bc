package memdb.node;

import memdb.protocol.Consistency;

/**
 * How the node takes part in the cluster: replication factor N, vnodes per node, the gossip period,
 * how long without a heartbeat before a peer is held down, how long a request may wait for replicas,
 * the consistency of requests that name none, how many hints (writes a peer missed) it keeps per peer,
 * whether the node joins an existing cluster (taking its ranges' data before serving them), how fast it
 * streams data when nodes join or leave, and how long a CAS or serial read may take before it gives up
 * (with UNKNOWN_OUTCOME when it may have been applied).
 */
public record ClusterConfig(int replicationFactor, int vnodesPerNode, long gossipIntervalMs, long downAfterMs,
                            long requestTimeoutMs, Consistency writeConsistency, Consistency readConsistency,
                            int maxHintsPerPeer, boolean join, long streamBytesPerSec, long casTimeoutMs) {
    public static final int MAX_HINTS_PER_PEER_DEFAULT = memdb.handoff.HandoffSettings.MAX_HINTS_PER_PEER_DEFAULT;
    public static final long STREAM_BYTES_PER_SEC_DEFAULT = 32L << 20;
    public static final int REPLICATION_FACTOR_DEFAULT = 3;
    public static final int VNODES_DEFAULT = 128;
    public static final long GOSSIP_INTERVAL_MS_DEFAULT = 500;
    public static final long DOWN_AFTER_MS_DEFAULT = 3_000;
    public static final long REQUEST_TIMEOUT_MS_DEFAULT = 5_000;
    /** Below the clients' request timeout, so that the client hears why a CAS gave up. */
    public static final long CAS_TIMEOUT_MS_DEFAULT = 4_000;

    /** With the default CAS timeout. */
    public ClusterConfig(int replicationFactor, int vnodesPerNode, long gossipIntervalMs, long downAfterMs,
                         long requestTimeoutMs, Consistency writeConsistency, Consistency readConsistency,
                         int maxHintsPerPeer, boolean join, long streamBytesPerSec) {
        this(replicationFactor, vnodesPerNode, gossipIntervalMs, downAfterMs, requestTimeoutMs, writeConsistency,
                readConsistency, maxHintsPerPeer, join, streamBytesPerSec, CAS_TIMEOUT_MS_DEFAULT);
    }

    /** A node of the cluster from the start, with the default hint cap and streaming rate and the given CAS timeout. */
    public ClusterConfig(int replicationFactor, int vnodesPerNode, long gossipIntervalMs, long downAfterMs,
                         long requestTimeoutMs, Consistency writeConsistency, Consistency readConsistency,
                         long casTimeoutMs) {
        this(replicationFactor, vnodesPerNode, gossipIntervalMs, downAfterMs, requestTimeoutMs, writeConsistency,
                readConsistency, MAX_HINTS_PER_PEER_DEFAULT, false, STREAM_BYTES_PER_SEC_DEFAULT, casTimeoutMs);
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(REPLICATION_FACTOR_DEFAULT, VNODES_DEFAULT, GOSSIP_INTERVAL_MS_DEFAULT,
                DOWN_AFTER_MS_DEFAULT, REQUEST_TIMEOUT_MS_DEFAULT, Consistency.QUORUM, Consistency.ONE);
    }

    /** A node of the cluster from the start (not joining), with the default hint cap, streaming rate and CAS timeout. */
    public ClusterConfig(int replicationFactor, int vnodesPerNode, long gossipIntervalMs, long downAfterMs,
                         long requestTimeoutMs, Consistency writeConsistency, Consistency readConsistency) {
        this(replicationFactor, vnodesPerNode, gossipIntervalMs, downAfterMs, requestTimeoutMs, writeConsistency,
                readConsistency, MAX_HINTS_PER_PEER_DEFAULT, false, STREAM_BYTES_PER_SEC_DEFAULT, CAS_TIMEOUT_MS_DEFAULT);
    }
}
