package memdb.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import memdb.protocol.Key;

/**
 * The router of {@link MemDbConnections#single}: every request goes to the one node given, which
 * coordinates it (any node coordinates any request, DESIGN §5); no ring is learned and nothing is
 * refreshed. That node is also the only "replica" a quorum read asks.
 */
final class SingleNodeRouter implements Router {
    private final Route only;
    private final CompletableFuture<Route> route;

    SingleNodeRouter(NodeAddress node) {
        this.only = new Route(List.of(node), List.of(node));
        this.route = CompletableFuture.completedFuture(only);
    }

    @Override
    public CompletableFuture<Route> route(Key key) {
        return route;
    }

    @Override
    public Route routeIfKnown(Key key) {
        return only;
    }

    @Override
    public void nodeFailed(NodeAddress node) {
        // One node, nowhere else to go: the next request reconnects.
    }

    @Override
    public void close() {}
}
