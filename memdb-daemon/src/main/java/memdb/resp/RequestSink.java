package memdb.resp;

import memdb.node.Connection;
import memdb.node.CoreLoop;
import memdb.protocol.Request;

/** The part of the node's core loop that the RESP handler uses: the same door the native port goes through. */
interface RequestSink {
    /**
     * Hands a request to the core with the id its reply will carry and the sender's Lamport time; the reply
     * comes back through {@code connection}. Never blocks.
     */
    CoreLoop.Submission submit(Connection connection, int requestId, long lamport, Request request);

    /** The core's Lamport time, stamped on the requests handed over. */
    long lamportTime();

    static RequestSink of(CoreLoop loop) {
        return new RequestSink() {
            @Override
            public CoreLoop.Submission submit(Connection connection, int requestId, long lamport, Request request) {
                return loop.submit(connection, requestId, lamport, request);
            }

            @Override
            public long lamportTime() {
                return loop.lamportTime();
            }
        };
    }
}
