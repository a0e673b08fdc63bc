package memdb.node;

import memdb.protocol.Opcode;
import memdb.protocol.Request;

/**
 * A client's request on its way through the node, one object from submission to reply: the {@link CoreLoop}'s
 * input, then the core's {@code replyTo} (where the reply goes: the connection it came on, with the request's
 * id for the reply's envelope), then the {@link BatchOutbox}'s record of it (when it arrived, for the latency
 * metrics and the slow-request log). {@code lamport} is the sender's Lamport time.
 */
record ClientRequest(Connection connection, int requestId, long lamport, Request request, long arrivedNanos)
        implements CoreLoop.Input {
    Opcode opcode() {
        return request.opcode();
    }
}
