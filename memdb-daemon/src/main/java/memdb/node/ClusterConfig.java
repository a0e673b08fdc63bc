package memdb.node;

import memdb.protocol.Consistency;

/**
 * How the node takes part in the cluster: replication factor N, vnodes per node, the gossip period,
 * how long without a heartbeat before a peer is held down, how long a request may wait for replicas,
 * the consistency of requests that name none, and how long a CAS or serial read may take before it
 * gives up (with UNKNOWN_OUTCOME when it may have been applied).
 */
public record ClusterConfig(int replicationFactor, int vnodesPerNode, long gossipIntervalMs, long downAfterMs,
                            long requestTimeoutMs, Consistency writeConsistency, Consistency readConsistency,
                            long casTimeoutMs) {
    public static final int REPLICATION_FACTOR_DEFAULT = 3;
    public static final int VNODES_DEFAULT = 128;
    public static final long GOSSIP_INTERVAL_MS_DEFAULT = 500;
    public static final long DOWN_AFTER_MS_DEFAULT = 3_000;
    public static final long REQUEST_TIMEOUT_MS_DEFAULT = 5_000;
    /** Below the clients' request timeout, so that the client hears why a CAS gave up. */
    public static final long CAS_TIMEOUT_MS_DEFAULT = 4_000;

    public ClusterConfig(int replicationFactor, int vnodesPerNode, long gossipIntervalMs, long downAfterMs,
                         long requestTimeoutMs, Consistency writeConsistency, Consistency readConsistency) {
        this(replicationFactor, vnodesPerNode, gossipIntervalMs, downAfterMs, requestTimeoutMs, writeConsistency,
                readConsistency, CAS_TIMEOUT_MS_DEFAULT);
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(REPLICATION_FACTOR_DEFAULT, VNODES_DEFAULT, GOSSIP_INTERVAL_MS_DEFAULT,
                DOWN_AFTER_MS_DEFAULT, REQUEST_TIMEOUT_MS_DEFAULT, Consistency.QUORUM, Consistency.ONE);
    }
}
