package memdb.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import memdb.node.NodeCore;
import memdb.protocol.ClusterResponses.ClusterView;
import memdb.protocol.Member;

/**
 * One node's view of the cluster, as {@code GET /v1/cluster} shows it (and {@code memdb cluster status}
 * reads it): this node's id, the replication factor, the ring version and every known member. Pure
 * data; {@link #of} builds it from a core.
 *
 * <p>{@code lamport} and {@code keys} are null where this node does not know them (a peer's, unless
 * the backend asked the peer). {@code ownership} is the share of the hash space a node holds a
 * replica of; the shares sum to min(N, nodes in the ring).
 */
public record ClusterSnapshot(int nodeId, int replicationFactor, long ringVersion, List<NodeView> nodes,
                              long clusterLogVersion) {
    /** Liveness by this node's failure detector. */
    public enum State { UP, DOWN }

    /**
     * One member. Field names are part of the API: the CLI reads them. {@code progress}: how far a JOINING
     * or LEAVING node has streamed, in percent (null when it is not moving, or not known here).
     */
    public record NodeView(int id, String address, State state, Member.Status status, double ownership,
                           Long lamport, Long keys, String note, Integer progress) {
        public NodeView(int id, String address, State state, Member.Status status, double ownership, Long lamport,
                        Long keys, String note) {
            this(id, address, state, status, ownership, lamport, keys, note, null);
        }

        /** The same member with the figures it gave about itself (NODE_STATS). */
        public NodeView withStats(long lamportTime, long keyCount, int movePercent) {
            return new NodeView(id, address, state, status, ownership, lamportTime, keyCount, note,
                    movePercent < 0 ? null : movePercent);
        }
    }

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
    }

    public ClusterSnapshot(int nodeId, int replicationFactor, long ringVersion, List<NodeView> nodes) {
        this(nodeId, replicationFactor, ringVersion, nodes, 0);
    }

    /** The member {@code id}, if this node knows it. */
    public Optional<NodeView> node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst();
    }

    /** The snapshot of {@code core} at {@code nowMs}. Call it on the core thread (inside CoreLoop.query). */
    public static ClusterSnapshot of(NodeCore core, long nowMs) {
        ClusterView view = CoreViews.clusterView(core, nowMs);
        Map<Integer, Double> shares = core.membership().ring().ownership(view.replicationFactor());
        int self = core.membership().selfId();
        List<NodeView> nodes = new ArrayList<>(view.members().size());
        for (Member m : view.members()) {
            boolean isSelf = m.nodeId() == self;
            nodes.add(new NodeView(m.nodeId(), m.address(), m.up() ? State.UP : State.DOWN, m.status(),
                    shares.getOrDefault(m.nodeId(), 0.0),
                    isSelf ? core.lamportTime() : null,
                    isSelf ? (long) core.store().liveKeys() : null,
                    note(m, isSelf), isSelf && core.moveProgressPercent() >= 0 ? core.moveProgressPercent() : null));
        }
        return new ClusterSnapshot(self, view.replicationFactor(), view.ringVersion(), nodes, core.clusterLogVersion());
    }

    private static String note(Member m, boolean isSelf) {
        if (isSelf) return "this node";
        if (m.status() == Member.Status.LEFT) return "left the ring";
        return m.up() ? "" : "no heartbeat within the failure-detector timeout";
    }
}
