package memdb.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import memdb.protocol.ClusterResponses.ClusterView;
import memdb.protocol.Key;
import memdb.protocol.Member;
import memdb.ring.Ring;

/**
 * The client's copy of the cluster, made from one CLUSTER_INFO answer: the ring the nodes compute (every
 * NORMAL member, up or down, with the cluster's vnode count; DESIGN §5), the replication factor, each
 * member's address, and which members the answering node believed up. Pure and immutable: no I/O, no
 * clock; the caller says which nodes it recently failed to reach.
 *
 * <p>Invariants: the ring holds exactly the NORMAL members, at least one; every ring node has an
 * address; a key's replicas are its preference list of min(N, ring size) nodes, in ring order.
 */
final class RoutingTable {
    private final long ringVersion;
    private final int replicationFactor;
    private final Ring ring;
    private final Map<Integer, NodeAddress> addresses;
    private final Set<Integer> up;
    /** With one node in the ring every key has the same route: this one (null with more nodes). */
    private final Router.Route onlyRoute;

    private RoutingTable(long ringVersion, int replicationFactor, Ring ring, Map<Integer, NodeAddress> addresses,
                         Set<Integer> up) {
        this.ringVersion = ringVersion;
        this.replicationFactor = replicationFactor;
        this.ring = ring;
        this.addresses = addresses;
        this.up = up;
        if (addresses.size() == 1) {
            List<NodeAddress> only = List.copyOf(addresses.values());
            this.onlyRoute = new Router.Route(only, only);
        } else {
            this.onlyRoute = null;
        }
    }

    /** The table of a view; IllegalArgumentException (with a reason) when the view holds no usable ring. */
    static RoutingTable of(ClusterView view) {
        Map<Integer, NodeAddress> addresses = addressesOf(view);
        if (addresses.isEmpty()) throw new IllegalArgumentException("its cluster view lists no NORMAL member");
        Ring ring = Ring.of(addresses.keySet(), view.vnodesPerNode());
        return new RoutingTable(view.ringVersion(), view.replicationFactor(), ring, addresses, upOf(view));
    }

    /**
     * The table after a newer answer: the same ring with the view's liveness when ring version, member set,
     * addresses and ring parameters are unchanged; a new table when any of them changed; this table
     * when the view is older (a lagging node's answer must not roll the ring back).
     */
    RoutingTable next(ClusterView view) {
        if (view.ringVersion() < ringVersion) return this;
        if (view.ringVersion() == ringVersion && view.replicationFactor() == replicationFactor
                && view.vnodesPerNode() == ring.vnodesPerNode() && addressesOf(view).equals(addresses)) {
            return new RoutingTable(ringVersion, replicationFactor, ring, addresses, upOf(view));
        }
        return of(view);
    }

    /**
     * The key's route: its replicas in preference-list order; as coordinators the same replicas with those
     * believed up and not {@code recentlyUnreachable} first, each group keeping ring order. With one node in
     * the ring that node is the whole route of every key, and the same Route object is returned each time.
     */
    Router.Route route(Key key, Predicate<NodeAddress> recentlyUnreachable) {
        if (onlyRoute != null) return onlyRoute;
        List<NodeAddress> replicas = new ArrayList<>(replicationFactor);
        List<NodeAddress> healthy = new ArrayList<>(replicationFactor);
        List<NodeAddress> doubtful = new ArrayList<>();
        for (int nodeId : ring.preferenceList(key, replicationFactor)) {
            NodeAddress address = addresses.get(nodeId);
            replicas.add(address);
            (up.contains(nodeId) && !recentlyUnreachable.test(address) ? healthy : doubtful).add(address);
        }
        healthy.addAll(doubtful);
        return new Router.Route(healthy, replicas);
    }

    /** Every ring member's address, those believed up first: where to ask for a newer view. */
    List<NodeAddress> membersUpFirst() {
        List<NodeAddress> order = new ArrayList<>(addresses.size());
        addresses.forEach((id, address) -> { if (up.contains(id)) order.add(address); });
        addresses.forEach((id, address) -> { if (!up.contains(id)) order.add(address); });
        return order;
    }

    long ringVersion() {
        return ringVersion;
    }

    /** Whether {@code other} routes over the same ring object (no rebuild happened). */
    boolean sharesRingWith(RoutingTable other) {
        return ring == other.ring;
    }

    private static Map<Integer, NodeAddress> addressesOf(ClusterView view) {
        Map<Integer, NodeAddress> addresses = new TreeMap<>(); // sorted: candidates in a stable order
        for (Member member : view.members()) {
            if (member.status().inRing()) addresses.put(member.nodeId(), addressOf(member));
        }
        return Collections.unmodifiableMap(addresses);
    }

    private static NodeAddress addressOf(Member member) {
        try {
            return new NodeAddress(member.host(), member.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its cluster view gives node " + member.nodeId()
                    + " the unusable address " + member.address());
        }
    }

    private static Set<Integer> upOf(ClusterView view) {
        Set<Integer> up = new HashSet<>();
        for (Member member : view.members()) if (member.up()) up.add(member.nodeId());
        return Set.copyOf(up);
    }
}
