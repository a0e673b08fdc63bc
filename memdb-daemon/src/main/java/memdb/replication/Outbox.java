package memdb.replication;

import memdb.protocol.Request;
import memdb.protocol.Response;

/**
 * What the node's core asks the outside world to do, collected during one step and carried out by
 * the driver (Netty in production, the simulated network in tests) after the step's op-log records
 * are durable. The core never touches a socket.
 */
public interface Outbox {
    /** Answers a request; {@code replyTo} is the driver's handle of that request (connection + id). */
    void reply(Object replyTo, Response response);

    /**
     * Sends a request to a peer node. Its answer comes back as a peer response with the same
     * {@code correlationId}; if the peer cannot be reached, as a peer failure.
     */
    void send(int nodeId, long correlationId, Request request);

    /** Sends a request to an address whose node id is not known yet (a seed). */
    void sendToAddress(String address, long correlationId, Request request);
}
