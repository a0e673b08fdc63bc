package memdb.node;

import java.util.List;
import java.util.concurrent.Executor;
import memdb.protocol.Envelope;

/**
 * The port through which the core loop answers one client connection (implemented by memdb.net over a
 * Netty channel, and by tests in memory). {@link #send} may be called from any thread; it writes the
 * replies in order and flushes once.
 */
public interface Connection {
    void send(List<Envelope> replies);

    /**
     * The thread (a Netty event loop) on which {@link #send} does its work, or null when it has none or is
     * the calling thread (a channel served on the core's own loop: send writes at once). The core loop hands
     * each such executor one task per batch that sends to all of its connections (rather than each
     * connection hopping onto it by itself).
     */
    default Executor executor() {
        return null;
    }
}
