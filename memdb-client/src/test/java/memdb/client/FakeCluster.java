package memdb.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import memdb.protocol.ClusterResponses.ClusterView;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.ring.Ring;

/**
 * Several {@link FakeNode}s that answer CLUSTER_INFO with one shared view, which a test edits: mark a
 * node down in the view, add a member that refuses connections, add a node (each change of the ring
 * bumps the ring version, as {@code memdb.cluster.Membership} does). The expected routes are computed
 * with the real {@link Ring}, exactly as the nodes would.
 */
final class FakeCluster implements AutoCloseable {
    static final String AUTH_KEY = "secret";

    final int replicationFactor;
    final int vnodesPerNode;
    private final List<FakeNode> nodes = new CopyOnWriteArrayList<>();
    /** Members that are in the ring but listen nowhere (node id -> port). */
    private final Map<Integer, Integer> unreachableMembers = new ConcurrentHashMap<>();
    private final Set<Integer> downInView = ConcurrentHashMap.newKeySet();
    private volatile long ringVersion = 1;

    FakeCluster(int size, int replicationFactor, int vnodesPerNode) {
        this.replicationFactor = replicationFactor;
        this.vnodesPerNode = vnodesPerNode;
        for (int id = 1; id <= size; id++) join(new FakeNode(AUTH_KEY, id));
    }

    /** A started node joins: it answers with the shared view, and the ring now includes it. */
    FakeNode join(FakeNode node) {
        nodes.add(node);
        node.clusterView = this::view;
        ringVersion++;
        return node;
    }

    /** A ring member at a port where nobody listens (the view says it is up: it just died). */
    NodeAddress addUnreachableMember(int nodeId) {
        int port = Eventually.unusedPort();
        unreachableMembers.put(nodeId, port);
        ringVersion++;
        return new NodeAddress("127.0.0.1", port);
    }

    /** The view's failure detector now says this node is down (the node itself keeps running). */
    void markDown(int nodeId) {
        downInView.add(nodeId);
    }

    ClusterView view() {
        List<Member> members = new ArrayList<>();
        for (FakeNode node : nodes) members.add(node.member(!downInView.contains(node.nodeId)));
        unreachableMembers.forEach((id, port) ->
                members.add(new Member(id, "127.0.0.1", port, 1, 1, Member.Status.NORMAL, !downInView.contains(id))));
        return new ClusterView(replicationFactor, vnodesPerNode, ringVersion, members);
    }

    List<String> seeds() {
        return nodes.stream().map(FakeNode::seed).toList();
    }

    FakeNode node(int nodeId) {
        return nodes.stream().filter(n -> n.nodeId == nodeId).findFirst().orElseThrow();
    }

    List<FakeNode> nodes() {
        return List.copyOf(nodes);
    }

    /** The key's preference list by node id, computed from the current view as the nodes compute it. */
    List<Integer> preferenceList(String key) {
        List<Integer> ids = new ArrayList<>();
        for (FakeNode node : nodes) ids.add(node.nodeId);
        ids.addAll(unreachableMembers.keySet());
        return Ring.of(ids, vnodesPerNode).preferenceList(Key.of(key), replicationFactor);
    }

    MemDbConnections.Builder client() {
        return MemDbConnections.builder().authKey(AUTH_KEY).seeds(seeds());
    }

    @Override
    public void close() {
        nodes.forEach(FakeNode::close);
    }
}
