package memdb.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import memdb.protocol.Key;

/**
 * Decides which nodes a request for a key goes to; nothing else in the client knows how nodes are
 * chosen. {@link RingRouter} learns the cluster's ring and sends each key to its replicas;
 * {@link SingleNodeRouter} sends everything to the one node it was given.
 *
 * <p>Routing is asynchronous because a ring-aware router may first have to learn the cluster; once it
 * has, {@link #route} completes at once.
 */
interface Router {
    /**
     * The nodes for a request on {@code key}; fails with UnavailableException when the router cannot learn
     * where the key lives (no seed answered).
     */
    CompletableFuture<Route> route(Key key);

    /**
     * The key's route when the router knows it without waiting (the data path's common case: no future per
     * request), else null: then {@link #route} learns it.
     */
    Route routeIfKnown(Key key);

    /**
     * The client could not reach {@code node}, or lost its connection: the router's picture may be stale
     * (a ring-aware router refreshes it soon). Called from any thread; never blocks.
     */
    void nodeFailed(NodeAddress node);

    /** Stops background work (refresh timers). Idempotent. */
    void close();

    /**
     * Where one request goes.
     *
     * @param coordinators nodes that may coordinate the request, best first; never empty. The client tries
     *                     the next one only when the request never reached the previous one, so a write is
     *                     never applied twice.
     * @param replicas     the key's replicas in preference-list order, which a quorum read asks directly;
     *                     never empty
     */
    record Route(List<NodeAddress> coordinators, List<NodeAddress> replicas) {
        public Route {
            coordinators = List.copyOf(coordinators);
            replicas = List.copyOf(replicas);
            if (coordinators.isEmpty() || replicas.isEmpty()) throw new IllegalArgumentException("a route needs nodes");
        }
    }
}
