package memdb.client;

import java.util.List;
import memdb.protocol.Key;

/**
 * Decides which nodes a request for a key goes to. This is the seam where a ring-aware router
 * (issue 4: learn the ring, send each key to one of its replicas, route around nodes that are down)
 * replaces {@link AllNodesRouter}; nothing else in the client knows how nodes are chosen.
 */
interface Router {
    /**
     * Nodes that may coordinate a request for {@code key}, best first; never empty. The client tries the
     * next one only when the request never reached the previous one, so a write is never applied twice.
     */
    List<NodeAddress> coordinatorsFor(Key key);

    /** The replicas of {@code key}, which a quorum read asks directly; never empty. */
    List<NodeAddress> replicasFor(Key key);
}
