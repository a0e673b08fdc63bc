package memdb.net;

import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import memdb.auth.AuthThrottle;
import memdb.protocol.FrameCodec;
import memdb.tls.ServerTls;
import memdb.tls.TlsGate;
import memdb.node.CoreLoop;
import memdb.node.LimitsConfig;
import memdb.protocol.EnvelopeDecoder;
import memdb.protocol.EnvelopeEncoder;
import memdb.protocol.ErrorCode;

/**
 * The node's client port (the native protocol) over a {@link ClientListener}, whose limits and
 * back-pressure it shares with the RESP port. Each channel's pipeline ends with
 * <pre>
 *   [TlsGate → SslHandler] → … → FlowControl → EnvelopeDecoder(max-frame-bytes) → ClientHandler(Session, CoreLoop)
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
        return bind(bind, port, limits, null, certified -> sessions.get(), loop, killSwitch);
    }

    /**
     * As above, over TLS when {@code tls} is not null: each session learns whether its peer presented a
     * certificate the CA signed (mutual TLS) through the {@link BooleanSupplier} it is made with.
     */
    public static ClientListener bind(String bind, int port, LimitsConfig limits, ServerTls tls,
                                      Function<BooleanSupplier, Session> sessions, CoreLoop loop, Runnable killSwitch) {
        return bind(bind, port, limits, tls, sessions, loop, killSwitch, new AuthThrottle());
    }

    /**
     * As above, with the {@link AuthThrottle} that slows down repeated wrong keys: the node shares one between
     * its client ports (native and RESP), so that a guesser gains nothing by switching ports.
     */
    public static ClientListener bind(String bind, int port, LimitsConfig limits, ServerTls tls,
                                      Function<BooleanSupplier, Session> sessions, CoreLoop loop, Runnable killSwitch,
                                      AuthThrottle throttle) {
        return serve(ClientListener.hold("client", bind, port, null), limits, tls, sessions, loop, killSwitch, throttle);
    }

    /**
     * Serves a port bound before with {@link ClientListener#hold} (a node: on the core loop's own event loop, so
     * that a request reaches the core and its reply the channel without a hand-off): from now on connections
     * are accepted, those that waited in the backlog first.
     */
    public static ClientListener serve(HeldPort port, LimitsConfig limits, ServerTls tls, Function<BooleanSupplier, Session> sessions,
                                       CoreLoop loop, Runnable killSwitch, AuthThrottle throttle) {
        return ClientListener.serve("client", port, limits,
                tls == null ? null : () -> new TlsGate(tls, ctx -> tlsRequired(ctx, loop)),
                new EnvelopeEncoder(),
                sentence -> Replies.connectionError(loop.lamportTime(), ErrorCode.OVERLOADED, sentence),
                (pipeline, flow) -> {
                    pipeline.addLast("decoder", new EnvelopeDecoder(limits.frameBytesMax()));
                    BooleanSupplier certified = () -> ServerTls.peerCertified(pipeline.get(SslHandler.class));
                    pipeline.addLast("handler", new ClientHandler(sessions.apply(certified), loop, flow, killSwitch, throttle));
                });
    }

    /** The plaintext error frame for a client that connected to the TLS port without TLS. */
    private static ByteBuf tlsRequired(ChannelHandlerContext ctx, CoreLoop loop) {
        ByteBuf frame = ctx.alloc().buffer();
        FrameCodec.encode(Replies.unattributedError(loop.lamportTime(), ErrorCode.TLS_REQUIRED,
                "this MemDB port accepts TLS only: connect with TLS (memdb --tls-ca FILE, or MemDbConnections.Builder.tls)"), frame);
        return frame;
    }
}
