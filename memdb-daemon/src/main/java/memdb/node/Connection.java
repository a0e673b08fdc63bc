package memdb.node;

import java.util.List;
import memdb.protocol.Envelope;

/**
 * The port through which the core loop answers one client connection (implemented by memdb.net over a
 * Netty channel, and by tests in memory). {@link #send} may be called from any thread; it writes the
 * replies in order and flushes once.
 */
public interface Connection {
    void send(List<Envelope> replies);
}
