package memdb.node;

import memdb.protocol.Request;

/**
 * The port through which the core loop sends requests to other nodes (memdb.net's peer transport in
 * production). Answers and failures come back into the loop as inputs
 * ({@link CoreLoop#submitPeerResponse}, {@link CoreLoop#submitPeerFailure}). Callable from any thread.
 */
public interface PeerSender {
    /** Sends to a node at an address; {@code nodeId} is 0 when not known yet (a seed). */
    void send(int nodeId, String address, long correlationId, Request request, long lamport);

    /** A sender for a node that has no peers (a single node, and tests). */
    PeerSender NONE = (nodeId, address, correlationId, request, lamport) -> {};
}
