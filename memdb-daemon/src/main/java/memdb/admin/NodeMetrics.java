package memdb.admin;

import memdb.node.NodeCore;
import memdb.protocol.Member;
import memdb.replication.ReplicationMetrics;

/**
 * Counters and gauges of a node's core at one instant, copied on the core thread so that /metrics can
 * render them on an I/O thread. Pure data; {@link #of} builds it from a core.
 */
public record NodeMetrics(long lamportTime, long keys, long entries, long storeBytes, long pendingOperations,
                          long writesSucceeded, long writesFailed, long readsSucceeded, long readsFailed,
                          long replicationTimeouts, long replicationMessages, long readRepairs,
                          long concurrentWrites, long nodesUp, long nodesDown, long ringVersion) {

    /** The metrics of {@code core} at {@code nowMs}. Core thread only (inside CoreLoop.query). */
    public static NodeMetrics of(NodeCore core, long nowMs) {
        ReplicationMetrics r = core.metrics();
        long up = 0;
        long down = 0;
        for (Member m : core.membership().digest(nowMs)) {
            if (m.status() != Member.Status.NORMAL) continue;
            if (m.up()) up++; else down++;
        }
        return new NodeMetrics(core.lamportTime(), core.store().liveKeys(), core.store().entries(),
                core.store().heapBytes(), core.pendingOperations(), r.writesSucceeded(), r.writesFailed(), r.readsSucceeded(),
                r.readsFailed(),
                r.timeouts(), r.replicaMessagesSent(), r.readRepairs(), r.concurrentWritesDetected(), up, down,
                core.membership().ringVersion());
    }
}
