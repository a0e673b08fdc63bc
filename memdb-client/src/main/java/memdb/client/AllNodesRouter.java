package memdb.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import memdb.protocol.Key;

/**
 * The router for a client that knows no ring yet: every node it knows (its seeds) is a replica of every
 * key, and coordinators are taken round-robin so that the load spreads; the rest follow in order as
 * fallbacks. With a single node both lists are that node.
 */
final class AllNodesRouter implements Router {
    private final List<NodeAddress> nodes;
    private final AtomicInteger nextCoordinator = new AtomicInteger();

    AllNodesRouter(List<NodeAddress> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("a router needs at least one node");
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public List<NodeAddress> coordinatorsFor(Key key) {
        if (nodes.size() == 1) return nodes;
        int first = Math.floorMod(nextCoordinator.getAndIncrement(), nodes.size());
        List<NodeAddress> order = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) order.add(nodes.get((first + i) % nodes.size()));
        return order;
    }

    @Override
    public List<NodeAddress> replicasFor(Key key) {
        return nodes;
    }
}
