package memdb.replication;

/** Counters of the coordinator, read by the admin API's /metrics. Owned by the core thread. */
public final class ReplicationMetrics {
    long writesSucceeded;
    long writesFailed;
    long readsSucceeded;
    long readsFailed;
    long timeouts;
    long replicaMessagesSent;
    long readRepairs;
    long concurrentWritesDetected;

    public long writesSucceeded() { return writesSucceeded; }

    public long writesFailed() { return writesFailed; }

    public long readsSucceeded() { return readsSucceeded; }

    public long readsFailed() { return readsFailed; }

    public long timeouts() { return timeouts; }

    public long replicaMessagesSent() { return replicaMessagesSent; }

    public long readRepairs() { return readRepairs; }

    public long concurrentWritesDetected() { return concurrentWritesDetected; }
}
