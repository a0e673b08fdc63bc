package memdb.net;

import java.io.UncheckedIOException;
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
 * The listener's lifecycle is {@link ClientListener}'s.
 */
public final class ClientServer {
    private ClientServer() {}

    /**
     * Listens on {@code bind:port} (port 0: any free port) and serves each connection with a fresh session.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ClientListener bind(String bind, int port, LimitsConfig limits, Supplier<Session> sessions, CoreLoop loop,
                                      Runnable killSwitch) {
        return ClientListener.bind("client", bind, port, limits, new EnvelopeEncoder(),
                sentence -> Replies.connectionError(loop.lamportTime(), ErrorCode.OVERLOADED, sentence),
                (pipeline, flow) -> {
                    pipeline.addLast("decoder", new EnvelopeDecoder(limits.frameBytesMax()));
                    pipeline.addLast("handler", new ClientHandler(sessions.get(), loop, flow, killSwitch));
                });
    }
}
