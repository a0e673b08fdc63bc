package memdb.admin;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import memdb.handoff.HandoffMetrics;
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
                          long concurrentWrites, long nodesUp, long nodesDown, long ringVersion, Handoff handoff) {
    /** Hinted handoff: as a coordinator (hints) and as a returning replica (catch-up). */
    public record Handoff(long hintsPending, long hintsStored, long hintsReplayed, Map<String, Long> hintsDropped,
                          long replayBatchesFailed, long catchupRecordsReceived, long catchupRecordsApplied) {
        public static final Handoff NONE = new Handoff(0, 0, 0, Map.of(), 0, 0, 0);

        public Handoff {
            hintsDropped = Map.copyOf(hintsDropped);
        }

        static Handoff of(NodeCore core) {
            HandoffMetrics h = core.handoffMetrics();
            Map<String, Long> dropped = new TreeMap<>();
            for (HandoffMetrics.DropReason reason : HandoffMetrics.DropReason.values()) {
                dropped.put(reason.name().toLowerCase(Locale.ROOT), h.hintsDropped(reason));
            }
            return new Handoff(core.pendingHints(), h.hintsStored(), h.hintsReplayed(), dropped, h.replayBatchesFailed(),
                    h.catchupRecordsReceived(), h.catchupRecordsApplied());
        }
    }

    /** Without hinted-handoff figures (all zero). */
    public NodeMetrics(long lamportTime, long keys, long entries, long storeBytes, long pendingOperations,
                       long writesSucceeded, long writesFailed, long readsSucceeded, long readsFailed,
                       long replicationTimeouts, long replicationMessages, long readRepairs, long concurrentWrites,
                       long nodesUp, long nodesDown, long ringVersion) {
        this(lamportTime, keys, entries, storeBytes, pendingOperations, writesSucceeded, writesFailed, readsSucceeded, readsFailed,
                replicationTimeouts, replicationMessages, readRepairs, concurrentWrites, nodesUp, nodesDown, ringVersion,
                Handoff.NONE);
    }

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
                core.store().memoryBytes(), core.pendingOperations(), r.writesSucceeded(), r.writesFailed(), r.readsSucceeded(),
                r.readsFailed(), r.timeouts(), r.replicaMessagesSent(), r.readRepairs(), r.concurrentWritesDetected(), up, down,
                core.membership().ringVersion(), Handoff.of(core));
    }
}
