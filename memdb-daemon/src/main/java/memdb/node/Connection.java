package memdb.node;

import java.util.concurrent.Executor;

/**
 * The port through which the core loop answers one client connection (implemented by memdb.net over a
 * Netty channel, and by tests in memory). {@link #send} may be called from any thread; it writes the
 * replies in order and flushes once. The batch it is given may be valid only during the call
 * ({@link ReplyBatch}): a connection that writes later keeps a {@link ReplyBatch#copy()}.
 */
public interface Connection {
    void send(ReplyBatch replies);

    /**
     * The thread (a Netty event loop) on which {@link #send} does its work, or null when it has none or is
     * the calling thread (a channel served on the core's own loop: send writes at once). The core loop hands
     * each such executor one task per batch that sends to all of its connections (rather than each
     * connection hopping onto it by itself).
     */
    default Executor executor() {
        return null;
    }

    /**
     * Whether the client is still connected. The core loop does not run a read of a connection that closed
     * before its turn came (its answer could go nowhere): a client that hung up with a long pipeline of GETs
     * costs the node no work for them. Writes still run: a client may send them and hang up at once.
     */
    default boolean isOpen() {
        return true;
    }
}
