package memdb.net;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import memdb.node.CoreLoop;
import memdb.node.LimitsConfig;
import memdb.protocol.EnvelopeDecoder;
import memdb.protocol.EnvelopeEncoder;
import memdb.protocol.ErrorCode;

/**
 * The node's client port (the native protocol) over a {@link ClientListener}, whose limits and
 * back-pressure it shares with the RESP port. Each channel's pipeline ends with
 * <pre>
 *   … → FlowControl → EnvelopeDecoder(max-frame-bytes) → ClientHandler(Session, CoreLoop)
 * </pre>
 * Lifecycle: {@link #bind} → {@link #stopAccepting()} (no new connections; open ones keep being
 * answered) → {@link #close()} (closes every connection and stops the event loops).
 */
public final class ClientServer implements AutoCloseable {
    private final ClientListener listener;

    private ClientServer(ClientListener listener) {
        this.listener = listener;
    }

    /**
     * Listens on {@code bind:port} (port 0: any free port) and serves each connection with a fresh session.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ClientServer bind(String bind, int port, LimitsConfig limits, Supplier<Session> sessions, CoreLoop loop,
                                    Runnable killSwitch) {
        return new ClientServer(ClientListener.bind("client", bind, port, limits, new EnvelopeEncoder(),
                sentence -> Replies.connectionError(loop.lamportTime(), ErrorCode.OVERLOADED, sentence),
                (pipeline, flow) -> {
                    pipeline.addLast("decoder", new EnvelopeDecoder(limits.frameBytesMax()));
                    pipeline.addLast("handler", new ClientHandler(sessions.get(), loop, flow, killSwitch));
                }));
    }

    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    /** "epoll" or "nio". */
    public String transportName() {
        return listener.transportName();
    }

    public int openConnections() {
        return listener.openConnections();
    }

    /** Stops accepting connections; the open ones are still served. */
    public void stopAccepting() {
        listener.stopAccepting();
    }

    /** Closes every connection (after the replies already handed to them) and stops the event loops. */
    @Override
    public void close() {
        listener.close();
    }
}
